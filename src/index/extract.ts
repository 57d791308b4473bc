/*
 * The per-file part of the corpus index: what one file declares and uses
 * of the old VIMAGE design, computed without looking at any other file (so
 * files can be scanned in parallel, or on several machines, and merged).
 *
 * Facts that live in the preprocessor (macro definitions, includes, macro
 * calls at file scope) come from the lexer's tokens; declarations, struct
 * members and statements come from tree-sitter, through the parse variants
 * when the plain parse has ERROR nodes.
 */
import { allConditionals, Directive, joinTokens, matchParen, splitArguments, Token, tokenIndexAt } from '../lex/lexer';
import type { ParsedFile } from '../parse/parsed-file';
import { insideError, SyntaxNode } from '../parse/parser';
import { functionIn } from '../parse/variants';
import { conditionsAt, inVimageGlobals, relativeConditions } from './conditions';
import { classifyConstant, MACRO_NAME } from './constants';
import { codeText, declaratorInfo } from './ctypes';
import { constantMacro, scanTypes } from './records';
import { isInitVnetName } from './corpus-index';
import type {
	AccessorMacro,
	Assignment,
	CallSite,
	Constructor,
	Container,
	ContainerAccessorMacro,
	DirectAccess,
	FileIndex,
	FunctionInfo,
	GlobalDeclaration,
	InitMacro,
	Member,
	ModInfo,
	Span,
	Storage,
	SymmapTable,
	SysctlSite,
	ValueMacro,
	VnetDefinition,
} from './types';

/** Macro names of the framework that look like container accessors but are not. */
const FRAMEWORK_VNET_MACROS = new Set([ 'VNET_FOREACH', 'VNET_LIST_RLOCK', 'VNET_LIST_RUNLOCK', 'VNET_LIST_WLOCK',
	'VNET_LIST_WUNLOCK', 'VNET_ITERATOR_DECL', 'VNET_SYMMAP', 'VNET_SYMMAP_END', 'VNET_NAME', 'VNET_VNET',
	'VNET_VNET_PTR', 'VNET_PTR', 'VNET_GET', 'VNET_SET', 'VNET_VNET_GET', 'VNET_VNET_SET', 'VNET_ASSERT',
	'VNET_SYSCTL_ARG', 'VNET_SYSINIT', 'VNET_SYSUNINIT', 'VNET_MOD_DECLARE', 'VNET_MOD_DECLARE_STATELESS',
]);

const SYSCTL_HANDLER_ARG = 8;

/** The old framework's subsystem selectors (SYSCTL_V_*'s first argument), not accessors. */
const SUBSYSTEM_SELECTORS = new Set(['V_NET', 'V_PROCG', 'V_CPU', 'V_GLOBAL']);

export class Spans {
	constructor(private readonly file: ParsedFile) {}
	at(start: number, end: number): Span {
		return { file: this.file.path, line: this.file.lines.line(start), start, end };
	}
	node(n: SyntaxNode): Span {
		return this.at(n.startIndex, n.endIndex);
	}
}

export function emptyFileIndex(file: string): FileIndex {
	return {
		file,
		containers: [],
		initMacros: [],
		containerAccessors: [],
		accessorMacros: [],
		valueMacros: [],
		definedMacros: [],
		directAccesses: [],
		globals: [],
		functions: [],
		modinfos: [],
		registrations: [],
		sysinits: [],
		protocolInits: [],
		constructorBodies: [],
		sysctls: [],
		symmaps: [],
		ctasserts: [],
		fallbackRefs: [],
		containerPointers: [],
		typedefs: [],
		initVnetUses: [],
		structRefs: [],
		vnetDefinitions: [],
		includes: [],
		accessorUses: {},
		accessorFirstUse: {},
		macroDefinitions: [],
		unparsed: [],
		items: [],
		diagnostics: [],
	};
}

export function scanFile(file: ParsedFile): FileIndex {
	const idx = emptyFileIndex(file.path);
	const spans = new Spans(file);
	scanDirectives(file, idx, spans);
	lastMentions(file, idx);
	const pendingPointers: number[] = [];
	scanCodeTokens(file, idx, spans, pendingPointers);
	scanTree(file, idx, spans);
	for (const i of pendingPointers) {
		if (!containerPointer(file, idx, spans, i)) {
			diag(idx, file, 'warning', 'index/other-vnet-shape', file.lexed.tokens[i].start, 'access to another vnet\'s container in an unrecognized form');
		}
	}
	sortFileIndex(idx);
	return idx;
}

/**
 * A token-free header's part: the names of the ALL_CAPS macros it defines
 * (those a value can rely on as constants) and its constant macros, from its
 * directives alone (the prefilter spares it the parse). Without it, a constant such as `TCP_MSS` in `netinet/tcp.h` would
 * count as not defined in the tree, and an array bound using it could not be
 * sized.
 */
export function scanMacroDefinitions(file: ParsedFile): FileIndex {
	const idx = emptyFileIndex(file.path);
	const spans = new Spans(file);
	for (const d of file.lexed.directives) {
		if (d.name !== 'define') continue;
		const m = macroParts(d);
		if (!m) continue;
		// classifyConstant's names only: a header of thousands of macros costs less.
		if (MACRO_NAME.test(m.name.text)) idx.definedMacros.push(m.name.text);
		const constant = constantMacro(d, (s, e) => spans.at(s, e));
		if (constant) (idx.constantMacros ??= []).push(constant);
	}
	idx.definedMacros = [...new Set(idx.definedMacros)].sort();
	idx.macrosOnly = true;
	return idx;
}

function diag(idx: FileIndex, file: ParsedFile, severity: 'error' | 'warning' | 'note', code: string, offset: number, message: string): void {
	idx.diagnostics.push({ severity, code, message, file: file.path, line: file.lines.line(offset) });
}

/** The display column of an offset on its line, tabs every 8 (0-based). */
function displayColumn(text: string, offset: number): number {
	let col = 0;
	for (let k = text.lastIndexOf('\n', offset - 1) + 1; k < offset; k++) col = text[k] === '\t' ? (Math.floor(col / 8) + 1) * 8 : col + 1;
	return col;
}

/** For a function-like macro definition: parameter tokens and body tokens. */
function macroParts(d: Directive): { name: Token; params?: string[]; body: Token[] } | undefined {
	const [name, ...rest] = d.tokens;
	if (!name || name.kind !== 'ident') return undefined;
	if (rest[0]?.text === '(' && rest[0].start === name.end) {
		const close = matchParen(rest, 0);
		if (close === -1) return undefined;
		const params = splitArguments(rest, 0, close).map((a) => joinTokens(a));
		return { name, params, body: rest.slice(close + 1) };
	}
	return { name, body: rest };
}

/** Strips redundant outer parentheses from a macro body. */
function unwrap(body: Token[]): Token[] {
	let b = body;
	while (b.length >= 2 && b[0].text === '(' && matchParen(b, 0) === b.length - 1) b = b.slice(1, -1);
	return b;
}

/** `NAME ( args )` exactly: the call's name and argument token lists. */
function asCall(body: Token[]): { name: string; args: Token[][] } | undefined {
	const b = unwrap(body);
	if (b.length < 3 || b[0].kind !== 'ident' || b[1].text !== '(') return undefined;
	const close = matchParen(b, 1);
	if (close !== b.length - 1) return undefined;
	return { name: b[0].text, args: splitArguments(b, 1, close) };
}

function scanDirectives(file: ParsedFile, idx: FileIndex, spans: Spans): void {
	for (const d of file.lexed.directives) {
		if (d.name === 'include') {
			const t = d.tokens;
			if (t[0]?.kind === 'string') {
				idx.includes.push({ path: t[0].text.slice(1, -1), system: false, span: spans.at(d.start, d.end) });
			} else if (t[0]?.text === '<') {
				const close = t.findIndex((x) => x.text === '>');
				const path = close > 0 ? file.text.slice(t[0].end, t[close].start) : '';
				idx.includes.push({ path, system: true, span: spans.at(d.start, d.end) });
			}
			continue;
		}
		if (d.name === 'define' || d.name === 'undef' || d.name === 'pragma' || d.name === 'error' || d.name === 'line') {
			const guard = file.lexed.conditionals.find((c) => c.includeGuard);
			const isGuardDefine = guard && d.name === 'define' && d.tokens.length === 1 && d.tokens[0].text === guard.arms[0].directive.tokens[0]?.text;
			if (!isGuardDefine) idx.items.push({ kind: `#${d.name}`, ...(d.tokens[0] ? { name: d.tokens[0].text } : {}), span: spans.at(d.start, d.end) });
		}
		for (const t of d.tokens.slice(d.name === 'define' || d.name === 'undef' ? 1 : 0)) {
			if (t.kind === 'ident' && isInitVnetName(t.text)) idx.initVnetUses.push({ name: t.text, span: spans.at(t.start, t.end) });
		}
		if (d.name !== 'define') continue;
		const m = macroParts(d);
		if (!m) {
			diag(idx, file, 'warning', 'index/malformed-define', d.start, 'malformed #define');
			continue;
		}
		const name = m.name.text;
		idx.definedMacros.push(name);
		// A V_ accessor used in another macro's body (`#define ip_newid() ... V_ip_id++`) is used
		// by this file and every file expanding the macro: the variable needs a declaration here.
		if (!name.startsWith('V_')) {
			for (const t of m.body) {
				if (t.kind === 'ident' && t.text.startsWith('V_') && !t.text.startsWith('V_MOD_') && !SUBSYSTEM_SELECTORS.has(t.text)) {
					idx.accessorUses[t.text] = (idx.accessorUses[t.text] ?? 0) + 1;
				}
			}
		}
		const span = spans.at(d.start, d.end);
		const guard = file.lexed.conditionals.find((c) => c.includeGuard);
		if (!(guard && m.body.length === 0 && m.params === undefined && name === guard.arms[0].directive.tokens[0]?.text)) {
			const previous = idx.macroDefinitions[idx.macroDefinitions.length - 1];
			idx.macroDefinitions.push({
				name,
				span,
				lines: { start: d.lineStart, end: d.lineEnd },
				paragraph: previous && previous.lines.end === d.lineStart ? previous.paragraph : (previous?.paragraph ?? -1) + 1,
				conditional: conditionsAt(file.text, file.lexed, d.start).length > 0,
				body: [...new Set(m.body.filter((t) => t.kind === 'ident').map((t) => t.text))],
			});
		}
		const constant = constantMacro(d, (s, e) => spans.at(s, e));
		if (constant) (idx.constantMacros ??= []).push(constant);
		const call = asCall(m.body);
		if (isInitVnetName(name)) {
			const init: InitMacro = { name, span };
			if (call?.name === 'INIT_FROM_VNET' && call.args.length === 4) {
				init.moduleId = joinTokens(call.args[1]);
				const tagToks = call.args[2];
				if (tagToks.length === 2 && tagToks[0].text === 'struct') init.containerTag = tagToks[1].text;
				init.containerSymbol = joinTokens(call.args[3]);
			} else if (m.body.length > 0) {
				diag(idx, file, 'note', 'index/init-macro-shape', d.start, `${name} does not expand to INIT_FROM_VNET(vnet, id, struct tag, symbol)`);
			}
			idx.initMacros.push(init);
			continue;
		}
		if (name.startsWith('V_') && m.params === undefined) {
			const column = m.body[0] ? displayColumn(file.text, m.body[0].start) : 0;
			if (call && call.args.length === 1 && call.args[0].length === 1 && call.args[0][0].kind === 'ident') {
				idx.accessorMacros.push({ name, member: call.args[0][0].text, via: call.name, span, conditions: conditionsAt(file.text, file.lexed, d.start), column });
			} else if (call && call.name === 'VSYM' && call.args.length === 2) {
				idx.accessorMacros.push({
					name,
					member: joinTokens(call.args[1]),
					via: 'VSYM',
					containerSymbol: joinTokens(call.args[0]),
					span,
					conditions: conditionsAt(file.text, file.lexed, d.start),
					column,
				});
			} else if (name.startsWith('V_MOD_') && m.body.length === 1) {
				idx.valueMacros.push({ name, value: m.body[0].text, span });
			} else {
				diag(idx, file, 'warning', 'index/accessor-shape', d.start, `${name} is not of the form VNET_<MOD>(member) or VSYM(container, member)`);
			}
			continue;
		}
		if (m.params?.length === 1 && call?.name === 'VSYM' && call.args.length === 2 && joinTokens(call.args[1]) === m.params[0]) {
			idx.containerAccessors.push({ name, containerSymbol: joinTokens(call.args[0]), span });
			continue;
		}
		if (name.startsWith('VNET_MOD_') && m.params === undefined && m.body.length >= 1) {
			idx.valueMacros.push({ name, value: joinTokens(m.body), span });
		}
	}
}

/** For each macro definition, the mentions of its name before it (code or other directives). */
function lastMentions(file: ParsedFile, idx: FileIndex): void {
	const names = new Set(idx.macroDefinitions.map((m) => m.name));
	if (names.size === 0) return;
	const mentions = new Map<string, number[]>();
	const note = (t: Token) => {
		if (t.kind === 'ident' && names.has(t.text)) (mentions.get(t.text) ?? mentions.set(t.text, []).get(t.text)!).push(t.start);
	};
	for (const t of file.lexed.tokens) note(t);
	for (const d of file.lexed.directives) for (const t of d.tokens) note(t);
	for (const m of idx.macroDefinitions) {
		const own = m.span.start;
		const before = (mentions.get(m.name) ?? []).filter((o) => o < own);
		if (before.length) m.mentionsBefore = before.sort((a, b) => a - b);
	}
}

function scanCodeTokens(file: ParsedFile, idx: FileIndex, spans: Spans, pendingPointers: number[]): void {
	const toks = file.lexed.tokens;
	for (let i = 0; i < toks.length; i++) {
		const t = toks[i];
		if (t.kind !== 'ident') continue;
		const next = toks[i + 1];
		if (isInitVnetName(t.text)) {
			idx.initVnetUses.push({ name: t.text, span: spans.at(t.start, t.end) });
			continue;
		}
		if (t.text.startsWith('V_') && !t.text.startsWith('V_MOD_') && !SUBSYSTEM_SELECTORS.has(t.text)) {
			idx.accessorUses[t.text] = (idx.accessorUses[t.text] ?? 0) + 1;
			idx.accessorFirstUse[t.text] ??= t.start;
			continue;
		}
		if (t.text.startsWith('vnet_') && t.text.endsWith('_0') && toks[i - 1]?.text !== '->' && toks[i - 1]?.text !== '.') {
			idx.fallbackRefs.push({ name: t.text, span: spans.at(t.start, t.end) });
			// `vnet_inet_0._member`: the non-VIMAGE instance's member.
			const member = toks[i + 2];
			if (next?.text === '.' && member?.kind === 'ident' && member.text.startsWith('_')) {
				idx.directAccesses.push({
					kind: 'fallback',
					member: member.text.slice(1),
					via: t.text.slice(0, -2),
					span: spans.at(t.start, member.end),
					text: file.text.slice(t.start, member.end),
				});
				i += 2;
			}
			continue;
		}
		if (next?.text === '->' && toks[i + 2]?.kind === 'ident' && toks[i + 2].text.startsWith('_') && /^vnet_[a-z0-9_]+$/.test(t.text) && toks[i - 1]?.text !== '->' && toks[i - 1]?.text !== '.') {
			const member = toks[i + 2];
			idx.directAccesses.push({
				kind: 'container-pointer',
				member: member.text.slice(1),
				via: t.text,
				span: spans.at(t.start, member.end),
				text: file.text.slice(t.start, member.end),
			});
			i += 2;
			continue;
		}
		if (t.text.startsWith('vnet_') && toks[i - 1]?.text === 'struct' && next?.text !== '{') {
			idx.structRefs.push({ name: t.text, span: spans.at(toks[i - 1].start, t.end) });
			continue;
		}
		if (t.text === 'mod_data' && toks[i - 1]?.text === '->') {
			const access = otherVnetAccess(file, toks, i, spans);
			if (access) idx.directAccesses.push(access);
			else pendingPointers.push(i);
			continue;
		}
		if (next?.text !== '(') continue;
		const close = matchParen(toks, i + 1);
		if (close === -1) {
			if (/^(VSYM|VNET_[A-Z0-9_]+|SYSCTL_V_[A-Z]+|VIMAGE_CTASSERT)$/.test(t.text)) {
				diag(idx, file, 'warning', 'index/unbalanced', t.start, `${t.text}( has no closing parenthesis`);
			}
			continue;
		}
		const args = splitArguments(toks, i + 1, close);
		const span = spans.at(t.start, toks[close].end);
		if (t.text === 'VSYM' && args.length === 2) {
			idx.directAccesses.push({ kind: 'vsym', member: joinTokens(args[1]), via: joinTokens(args[0]), span, text: file.text.slice(span.start, span.end) });
		} else if (/^VNET_[A-Z0-9_]+$/.test(t.text) && !FRAMEWORK_VNET_MACROS.has(t.text) && t.text !== 'VNET_DEFINE' && t.text !== 'VNET_DECLARE' && !t.text.startsWith('VNET_MOD_') && args.length === 1 && args[0].length === 1 && args[0][0].kind === 'ident') {
			idx.directAccesses.push({ kind: 'accessor-macro', member: args[0][0].text, via: t.text, span, text: file.text.slice(span.start, span.end) });
		} else if (/^SYSCTL_V_[A-Z]+$/.test(t.text)) {
			idx.sysctls.push(sysctlSite(file, t, args, span, spans));
		} else if ((t.text === 'VNET_DEFINE' || t.text === 'VNET_DECLARE') && args.length === 2) {
			idx.vnetDefinitions.push(vnetDefinition(file, toks, i, close, args, spans));
		} else if (t.text === 'VIMAGE_CTASSERT') {
			idx.ctasserts.push({ name: t.text, args: args.map((a) => joinTokens(a)), span: withSemicolon(toks, close, span, spans) });
		} else if (t.text === 'vnet_mod_register' || t.text === 'vnet_mod_register_multi') {
			idx.registrations.push({ name: t.text, args: args.map((a) => joinTokens(a)), span });
		} else if (t.text === 'SYSINIT' || t.text === 'SYSUNINIT') {
			idx.sysinits.push({ name: t.text, args: args.map((a) => joinTokens(a)), span: withSemicolon(toks, close, span, spans) });
		}
	}
	scanSymmaps(file, idx, spans);
}

/** `[static] VNET_DEFINE(type, name[bounds]) [= initializer];` read from its tokens. */
function vnetDefinition(file: ParsedFile, toks: Token[], i: number, close: number, args: Token[][], spans: Spans): VnetDefinition {
	const nameToks = args[1];
	const bounds: string[] = [];
	for (let k = 1; k < nameToks.length; k++) {
		if (nameToks[k].text !== '[') continue;
		let depth = 0;
		let e = k;
		for (; e < nameToks.length; e++) {
			if (nameToks[e].text === '[') depth++;
			else if (nameToks[e].text === ']' && --depth === 0) break;
		}
		bounds.push(joinTokens(nameToks, k + 1, e));
		k = e;
	}
	let end = close;
	let initializer: string | undefined;
	if (toks[close + 1]?.text === '=') {
		let depth = 0;
		let e = close + 2;
		for (; e < toks.length; e++) {
			const x = toks[e].text;
			if (x === '{' || x === '(') depth++;
			else if (x === '}' || x === ')') depth--;
			else if (x === ';' && depth === 0) break;
		}
		initializer = codeText(file.lexed, toks[close + 2].start, toks[e - 1].end);
		end = e - 1;
	}
	if (toks[end + 1]?.text === ';') end++;
	const isStatic = toks[i - 1]?.text === 'static';
	const start = isStatic ? toks[i - 1].start : toks[i].start;
	return {
		macro: toks[i].text as 'VNET_DEFINE' | 'VNET_DECLARE',
		name: nameToks[0]?.text ?? '',
		type: args[0].length ? codeText(file.lexed, args[0][0].start, args[0][args[0].length - 1].end) : '',
		bounds,
		isStatic,
		...(initializer !== undefined ? { initializer } : {}),
		conditions: conditionsAt(file.text, file.lexed, start),
		span: spans.at(start, toks[end].end),
	};
}

function withSemicolon(toks: Token[], close: number, span: Span, spans: Spans): Span {
	return toks[close + 1]?.text === ';' ? spans.at(span.start, toks[close + 1].end) : span;
}

/** `((struct vnet_inet *)vnet->mod_data[VNET_MOD_INET])->_member` */
function otherVnetAccess(file: ParsedFile, toks: Token[], i: number, spans: Spans): DirectAccess | undefined {
	// Backwards from `->mod_data` to the cast `(struct vnet_x *)`.
	let k = i - 2;
	let depth = 0;
	while (k >= 0) {
		const x = toks[k].text;
		if (x === ')') {
			if (depth === 0 && toks[k - 1]?.text === '*') break;
			depth++;
		} else if (x === '(') {
			if (depth === 0) return undefined;
			depth--;
		}
		k--;
	}
	const castClose = k;
	if (castClose < 4 || toks[castClose - 2]?.kind !== 'ident' || toks[castClose - 3]?.text !== 'struct' || toks[castClose - 4]?.text !== '(') return undefined;
	const vnetExpr = joinTokens(toks, castClose + 1, i - 1);
	const open = castClose - 5;
	if (toks[open]?.text !== '(') return undefined;
	// Forwards: `[ID] ) -> _member`
	if (toks[i + 1]?.text !== '[') return undefined;
	let j = i + 2;
	while (j < toks.length && toks[j].text !== ']') j++;
	if (toks[j + 1]?.text !== ')' || toks[j + 2]?.text !== '->' || toks[j + 3]?.kind !== 'ident') return undefined;
	const member = toks[j + 3];
	return {
		kind: 'other-vnet',
		member: member.text.replace(/^_/, ''),
		via: toks[castClose - 2].text,
		vnet: vnetExpr,
		span: spans.at(toks[open].start, member.end),
		text: file.text.slice(toks[open].start, member.end),
	};
}

/**
 * `P = E->mod_data[ID];` where P is a local `struct vnet_x *` whose only
 * other uses, all after it in the same function, are `P->_member`.
 */
function containerPointer(file: ParsedFile, idx: FileIndex, spans: Spans, i: number): boolean {
	const toks = file.lexed.tokens;
	const fn = idx.functions.find((f) => f.span.start <= toks[i].start && toks[i].end <= f.span.end);
	if (!fn) return false;
	// Backwards: `P = E ->` (E a plain identifier chain).
	let k = i - 2;
	while (k > 0 && (toks[k].kind === 'ident' || toks[k].text === '->' || toks[k].text === '.')) k--;
	if (toks[k]?.text !== '=' || toks[k - 1]?.kind !== 'ident') return false;
	const pointer = toks[k - 1].text;
	const vnet = joinTokens(toks, k + 1, i - 1);
	// Forwards: `[ID] ;`
	let j = i + 1;
	if (toks[j]?.text !== '[') return false;
	while (j < toks.length && toks[j].text !== ']') j++;
	if (toks[j + 1]?.text !== ';') return false;
	const assignEnd = toks[j + 1].end;
	const first = tokenIndexAt(toks, fn.span.start);
	let declaration: Span | undefined;
	let tag = '';
	const uses: Array<{ member: string; start: number; end: number }> = [];
	let assignStart = toks[k - 1].start;
	for (let m = first; m < toks.length && toks[m].end <= fn.span.end; m++) {
		if (toks[m].text !== pointer || toks[m].kind !== 'ident') continue;
		if (m === k - 1) continue;
		// `struct vnet_x *P;` or `struct vnet_x *P = E->mod_data[ID];`
		if (toks[m - 1]?.text === '*' && toks[m - 3]?.text === 'struct' && toks[m - 2]?.text.startsWith('vnet_') && !declaration) {
			tag = toks[m - 2].text;
			if (toks[m + 1]?.text === ';' && toks[m - 4]?.text !== ',') {
				declaration = spans.at(toks[m - 3].start, toks[m + 1].end);
				continue;
			}
			if (toks[m + 1]?.text === '=' && m + 1 === k) {
				assignStart = toks[m - 3].start;
				continue;
			}
			return false;
		}
		if (toks[m + 1]?.text === '->' && toks[m + 2]?.text.startsWith('_') && toks[m].start > toks[i].start) {
			uses.push({ member: toks[m + 2].text.slice(1), start: toks[m].start, end: toks[m + 2].end });
			continue;
		}
		return false;
	}
	if (!tag || uses.length === 0) return false;
	idx.containerPointers.push({ pointer, tag, vnet, statements: [...(declaration ? [declaration] : []), spans.at(assignStart, assignEnd)] });
	for (const u of uses) {
		idx.directAccesses.push({ kind: 'other-vnet', member: u.member, via: tag, vnet, span: spans.at(u.start, u.end), text: file.text.slice(u.start, u.end) });
	}
	return true;
}

function sysctlSite(file: ParsedFile, t: Token, args: Token[][], span: Span, spans: Spans): SysctlSite {
	const kind = t.text.slice('SYSCTL_V_'.length);
	const text = args.map((a) => joinTokens(a));
	const argSpans = args.map((a) => (a.length ? spans.at(a[0].start, a[a.length - 1].end) : spans.at(span.start, span.start)));
	const site: SysctlSite = {
		macro: t.text,
		kind,
		args: text,
		argSpans,
		container: text[1] ?? '',
		symbol: text[6] ?? '',
		conditions: conditionsAt(file.text, file.lexed, t.start),
		span,
	};
	if ((kind === 'PROC' || kind === 'OID') && text[SYSCTL_HANDLER_ARG]) site.handler = text[SYSCTL_HANDLER_ARG];
	return site;
}

/** `static struct vnet_symmap NAME[] = { VNET_SYMMAP(mod, member), ..., VNET_SYMMAP_END };` */
function scanSymmaps(file: ParsedFile, idx: FileIndex, spans: Spans): void {
	const toks = file.lexed.tokens;
	for (let i = 1; i < toks.length; i++) {
		if (toks[i].text !== 'vnet_symmap' || toks[i - 1].text !== 'struct') continue;
		const nameTok = toks[i + 1];
		if (nameTok?.kind !== 'ident') continue;
		let k = i + 2;
		while (k < toks.length && toks[k].text !== '=' && toks[k].text !== ';') k++;
		if (toks[k]?.text !== '=' || toks[k + 1]?.text !== '{') continue;
		let depth = 0;
		let end = k + 1;
		for (; end < toks.length; end++) {
			if (toks[end].text === '{') depth++;
			else if (toks[end].text === '}' && --depth === 0) break;
		}
		if (end >= toks.length) {
			diag(idx, file, 'warning', 'index/unbalanced', nameTok.start, `symbol map ${nameTok.text} has no closing brace`);
			continue;
		}
		let first = i - 1;
		if (toks[first - 1]?.text === 'static') first--;
		if (toks[first - 1]?.text === 'const') first--;
		if (toks[first - 1]?.text === 'static') first--;
		const stop = toks[end + 1]?.text === ';' ? end + 1 : end;
		const table: SymmapTable = { name: nameTok.text, entries: [], span: spans.at(toks[first].start, toks[stop].end) };
		for (let e = k + 2; e < end; e++) {
			if (toks[e].text !== 'VNET_SYMMAP' || toks[e + 1]?.text !== '(') continue;
			const close = matchParen(toks, e + 1);
			if (close === -1 || close > end) continue;
			const args = splitArguments(toks, e + 1, close);
			if (args.length === 2) table.entries.push({ module: joinTokens(args[0]), member: joinTokens(args[1]), span: spans.at(toks[e].start, toks[close].end) });
		}
		idx.symmaps.push(table);
		i = end;
	}
}

/** File-scope items of a tree, looking through #if nodes. */
function topLevelItems(root: SyntaxNode): SyntaxNode[] {
	const out: SyntaxNode[] = [];
	const walk = (n: SyntaxNode) => {
		for (const c of n.namedChildren) {
			if (c.type.startsWith('preproc_if') || c.type.startsWith('preproc_el')) walk(c);
			else out.push(c);
		}
	};
	walk(root);
	return out;
}

/** Tree nodes that count as file content (directives are counted from the lexer). */
const ITEM_KINDS = new Set(['declaration', 'function_definition', 'struct_specifier', 'union_specifier', 'enum_specifier', 'type_definition', 'expression_statement', 'linkage_specification']);

/** Whether some conditional at file scope (outside braces) has a `;` in an arm after its first. */
function laterArmDeclarations(file: ParsedFile): boolean {
	const toks = file.lexed.tokens;
	const depthAt: number[] = [];
	let depth = 0;
	for (const t of toks) {
		depthAt.push(depth);
		if (t.text === '{') depth++;
		else if (t.text === '}') depth = Math.max(0, depth - 1);
	}
	for (const c of allConditionals(file.lexed)) {
		for (const arm of c.arms.slice(1)) {
			for (let k = tokenIndexAt(toks, arm.start); k < toks.length && toks[k].start < arm.end; k++) {
				if (toks[k].text === ';' && depthAt[k] === 0) return true;
			}
		}
	}
	return false;
}

function scanTree(file: ParsedFile, idx: FileIndex, spans: Spans): void {
	const variants = file.variants;
	// The masked variant (the original when nothing needed masking) keeps every #if arm.
	const primary = variants.masked();
	// The primary variant first; the others only when it has errors somewhere, or when a later
	// #else/#elif arm at file scope holds declarations the primary (first arms only) blanks.
	const trees = primary.tree.rootNode.hasError || laterArmDeclarations(file)
		? [primary, ...variants.all().filter((v) => v !== primary)] : [primary];
	const seen = new Set<string>();
	const seenContainers = new Set<string>();
	const containerCandidates: Array<{ node: SyntaxNode; errors: boolean }> = [];
	// Each file-scope item is read from the first variant that parses it without error;
	// one that no variant parses cleanly is read, as well as it can be, from the first.
	const clean = new Map<number, SyntaxNode>();
	const flawed = new Map<number, SyntaxNode>();
	for (const v of trees) {
		for (const item of topLevelItems(v.tree.rootNode)) {
			if (item.type === 'ERROR' || insideError(item)) continue;
			if (!item.hasError) {
				if (!clean.has(item.startIndex)) clean.set(item.startIndex, item);
			} else if (!flawed.has(item.startIndex)) flawed.set(item.startIndex, item);
		}
	}
	const chosen = [...clean.values(), ...[...flawed.entries()].filter(([start]) => !clean.has(start)).map(([, n]) => n)]
		.sort((a, b) => a.startIndex - b.startIndex);
	for (const v of trees) {
		for (const item of topLevelItems(v.tree.rootNode)) {
			if (item.type === 'ERROR') continue;
			// Struct definitions may sit inside a declaration (`struct x {...} y;`) or alone.
			for (const s of structDefinitions(item)) {
				const name = s.childForFieldName('name')?.text ?? '';
				if (!name.startsWith('vnet_') || seenContainers.has(`${name}@${s.startIndex}`)) continue;
				const body = s.childForFieldName('body');
				const errors = !body || body.hasError;
				if (errors && v !== trees[trees.length - 1]) continue; // a later variant may read it cleanly
				seenContainers.add(`${name}@${s.startIndex}`);
				containerCandidates.push({ node: s, errors });
			}
		}
	}
	for (const item of chosen) {
		seen.add(`${item.startIndex}:${item.endIndex}`);
		if (ITEM_KINDS.has(item.type)) idx.items.push({ kind: item.type, span: spans.node(item) });
		if (item.type === 'type_definition') {
			for (const d of item.childrenForFieldName('declarator')) {
				const id = d.type === 'type_identifier' ? d : d.descendantsOfType('type_identifier')[0];
				if (id) idx.typedefs.push(id.text);
			}
		}
		if (item.type === 'declaration' || item.type === 'type_definition' || item.type === 'struct_specifier' || item.type === 'union_specifier') {
			scanTypes(file, item, (s, e) => spans.at(s, e), (idx.records ??= []), (idx.typedefDefinitions ??= []));
		}
		if (item.type === 'declaration') scanDeclaration(file, idx, spans, item);
		else if (item.type === 'function_definition') scanFunction(file, idx, spans, item);
	}
	for (const c of containerCandidates) idx.containers.push(containerFrom(file, idx, spans, c.node, c.errors));
	// Items matter only where a container is declared (is its header left empty?); elsewhere they would
	// be most of a large tree's index.
	if (idx.containers.length === 0) idx.items = [];
	// A `struct vnet_x {` that no variant could read at all (e.g. its closing brace is missing).
	const toks = file.lexed.tokens;
	for (let k = 0; k + 2 < toks.length; k++) {
		if (toks[k].text !== 'struct' || !toks[k + 1].text.startsWith('vnet_') || toks[k + 2].text !== '{') continue;
		const tag = toks[k + 1].text;
		if (!containerCandidates.some((c) => c.node.startIndex === toks[k].start)) {
			diag(idx, file, 'warning', 'index/malformed-container', toks[k].start,
				`struct ${tag} could not be read (unbalanced braces or an unknown construct): its members are not indexed`);
		}
	}
	if (primary.tree.rootNode.hasError) {
		for (const e of primary.tree.rootNode.descendantsOfType('ERROR')) {
			if (e.parent && insideError(e.parent)) continue;
			const covered = [...seen].some((k) => {
				const [s, en] = k.split(':').map(Number);
				return s <= e.startIndex && e.endIndex <= en;
			});
			if (!covered && e.endIndex - e.startIndex > 0) idx.unparsed.push(spans.node(e));
		}
	}
}

function structDefinitions(item: SyntaxNode): SyntaxNode[] {
	if (item.type === 'struct_specifier') return item.childForFieldName('body') ? [item] : [];
	const out: SyntaxNode[] = [];
	const type = item.childForFieldName('type');
	if (type?.type === 'struct_specifier' && type.childForFieldName('body')) out.push(type);
	return out;
}

function fieldDeclarations(body: SyntaxNode): SyntaxNode[] {
	const out: SyntaxNode[] = [];
	const walk = (n: SyntaxNode) => {
		for (const c of n.namedChildren) {
			if (c.type === 'field_declaration') out.push(c);
			else if (c.type.startsWith('preproc_if') || c.type.startsWith('preproc_el')) walk(c);
		}
	};
	walk(body);
	return out;
}

function containerFrom(file: ParsedFile, idx: FileIndex, spans: Spans, s: SyntaxNode, errors: boolean): Container {
	const tag = s.childForFieldName('name')?.text ?? '';
	const conditions = conditionsAt(file.text, file.lexed, s.startIndex);
	const members: Member[] = [];
	const body = s.childForFieldName('body');
	if (errors) {
		diag(idx, file, 'warning', 'index/malformed-container', s.startIndex,
			`struct ${tag} does not parse cleanly (unbalanced braces or an unknown construct); members read so far are kept`);
	}
	const names = new Set<string>();
	for (const f of body ? fieldDeclarations(body) : []) {
		if (insideError(f, body)) continue;
		for (const d of f.childrenForFieldName('declarator')) {
			const info = declaratorInfo(file.lexed, f, d);
			if (!info.name) continue;
			const name = info.name.replace(/^_/, '');
			if (names.has(name)) {
				diag(idx, file, 'warning', 'index/duplicate-member', f.startIndex, `struct ${tag} declares member ${info.name} twice`);
				continue;
			}
			names.add(name);
			if (info.complex) {
				diag(idx, file, 'warning', 'index/complex-member', f.startIndex, `member ${info.name} of struct ${tag}: ${info.complex}`);
			}
			members.push({
				name,
				field: info.name,
				type: info.type,
				conditions: relativeConditions(conditionsAt(file.text, file.lexed, f.startIndex), conditions),
				span: spans.node(f),
			});
		}
	}
	return { tag, members, conditions, span: spans.node(s) };
}

function storageOf(decl: SyntaxNode): Storage {
	for (const c of decl.namedChildren) {
		if (c.type === 'storage_class_specifier') {
			if (c.text === 'static') return 'static';
			if (c.text === 'extern') return 'extern';
		}
	}
	return 'none';
}

function scanDeclaration(file: ParsedFile, idx: FileIndex, spans: Spans, decl: SyntaxNode): void {
	const type = decl.childForFieldName('type');
	const declarators = decl.childrenForFieldName('declarator');
	// vnet_modinfo_t registrations.
	if (type && (type.text === 'vnet_modinfo_t' || codeText(file.lexed, type.startIndex, type.endIndex) === 'struct vnet_modinfo')) {
		for (const d of declarators) {
			if (d.type !== 'init_declarator') continue;
			const value = d.childForFieldName('value');
			const info: ModInfo = { name: d.childForFieldName('declarator')?.text ?? '', fields: {}, span: spans.node(decl) };
			// A field given twice is ambiguous (which one would a migration remove?): it is recorded as neither.
			const repeated = new Set<string>();
			for (const pair of value?.namedChildren ?? []) {
				if (pair.type !== 'initializer_pair') continue;
				const field = pair.childForFieldName('designator')?.text.replace(/^\./, '') ?? '';
				const v = pair.childForFieldName('value');
				if (field && (info.fields[field] || repeated.has(field))) {
					repeated.add(field);
					delete info.fields[field];
					continue;
				}
				// A pair holding an ERROR node may span anything error recovery swallowed (whole functions): it is no field.
				if (field && v && !pair.hasError) info.fields[field] = { value: codeText(file.lexed, v.startIndex, v.endIndex), span: spans.node(pair) };
			}
			idx.modinfos.push(info);
		}
		return;
	}
	for (const pair of decl.descendantsOfType('initializer_pair')) {
		const v = pair.childForFieldName('value');
		if (pair.childForFieldName('designator')?.text === '.pr_init' && v?.type === 'identifier') {
			idx.protocolInits.push({ name: v.text, span: spans.node(pair) });
		}
	}
	const conditions = conditionsAt(file.text, file.lexed, decl.startIndex);
	const storage = storageOf(decl);
	for (const d of declarators) {
		const info = declaratorInfo(file.lexed, decl, d);
		if (!info.name || info.complex === 'a function, not a variable') continue;
		const value = d.type === 'init_declarator' ? d.childForFieldName('value') : null;
		const g: GlobalDeclaration = {
			name: info.name,
			storage,
			definition: storage !== 'extern' || value !== null,
			type: info.type,
			declarator: info.declarator,
			vimageGlobals: inVimageGlobals(conditions),
			conditions,
			statement: spans.node(decl),
			siblings: declarators.length - 1,
			span: spans.node(d),
		};
		if (value) g.initializer = codeText(file.lexed, value.startIndex, value.endIndex);
		idx.globals.push(g);
	}
}

function functionName(fn: SyntaxNode): string | undefined {
	let d = fn.childForFieldName('declarator');
	while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
	const name = d?.childForFieldName('declarator');
	return name?.type === 'identifier' ? name.text : undefined;
}

const LOOP_OR_BRANCH: Record<string, string> = {
	if_statement: 'if',
	else_clause: 'else',
	for_statement: 'for loop',
	while_statement: 'while loop',
	do_statement: 'do loop',
	switch_statement: 'switch',
	case_statement: 'case',
};

/** Control flow between a statement and `top` (exclusive), innermost first (#if arms are recorded as conditions). */
function controlFlow(stmt: SyntaxNode, top: SyntaxNode): string | undefined {
	const parts: string[] = [];
	for (let n = stmt.parent; n && n.id !== top.id; n = n.parent) {
		const what = LOOP_OR_BRANCH[n.type];
		if (what) parts.push(what);
	}
	return parts.length ? `inside ${parts.join(' in ')}` : undefined;
}

function scanFunction(file: ParsedFile, idx: FileIndex, spans: Spans, fn: SyntaxNode): void {
	const name = functionName(fn);
	const body = fn.childForFieldName('body');
	if (!name || !body) return;
	const calls: string[] = [];
	const callOffsets: number[] = [];
	for (const stmt of body.namedChildren) {
		const call = stmt.type === 'expression_statement' ? stmt.namedChild(0) : null;
		const callee = call?.type === 'call_expression' ? call.childForFieldName('function') : null;
		if (callee?.type === 'identifier') {
			calls.push(callee.text);
			callOffsets.push(stmt.startIndex);
		}
	}
	const toks = file.lexed.tokens;
	const accessors = new Set<string>();
	for (let k = tokenIndexAt(toks, body.startIndex), end = body.endIndex; k < toks.length && toks[k].end <= end; k++) {
		if (toks[k].kind === 'ident' && toks[k].text.startsWith('V_')) accessors.add(toks[k].text);
	}
	const modCases = body.descendantsOfType('case_statement').filter((c) => {
		const v = c.childForFieldName('value');
		return v?.text === 'MOD_LOAD' || v?.text === 'MOD_UNLOAD';
	});
	idx.functions.push({ name, span: spans.node(fn), calls, callOffsets, accessors: [...accessors].sort(), modEvents: modCases.length > 0 });
	if (accessors.size === 0) return;

	// Statements in other #if arms are visible only in other parse variants: take them all,
	// each from the first variant that has it, after this one.
	const byStatement = new Map<number, Assignment>();
	for (const a of assignmentsIn(file, spans, body, body)) byStatement.set(a.statement.start, a);
	for (const v of file.variants.parsed()) {
		const otherBody = functionIn(v, fn.startIndex)?.childForFieldName('body');
		if (!otherBody || otherBody.tree === body.tree || insideError(otherBody)) continue;
		for (const a of assignmentsIn(file, spans, otherBody, otherBody, byStatement)) byStatement.set(a.statement.start, a);
	}
	const all = [...byStatement.values()].sort((a, b) => a.statement.start - b.statement.start).map((a, k) => ({ ...a, order: k }));
	const inCases = new Set<number>();
	for (const c of modCases) {
		const kind = c.childForFieldName('value')?.text === 'MOD_LOAD' ? 'mod-load' : 'mod-unload';
		const assignments = assignmentsIn(file, spans, c, c);
		for (const a of assignments) inCases.add(a.statement.start);
		if (assignments.length) idx.constructorBodies.push({ function: name, kind, span: spans.node(c), assignments });
	}
	const rest = all.filter((a) => !inCases.has(a.statement.start));
	if (rest.length) idx.constructorBodies.push({ function: name, kind: 'named', span: spans.node(fn), assignments: rest });
}

const ASSIGNMENT_OPERATORS = new Set(['=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=']);

/** The token index after any `.f` and `[...]` suffixes starting at `k`. */
function afterFieldsAndIndexes(toks: Token[], k: number): number {
	for (;;) {
		if (toks[k]?.text === '.' && toks[k + 1]?.kind === 'ident') k += 2;
		else if (toks[k]?.text === '[') {
			let depth = 0;
			for (; k < toks.length; k++) {
				if (toks[k].text === '[') depth++;
				else if (toks[k].text === ']' && --depth === 0) break;
			}
			k++;
		} else return k;
	}
}

/**
 * The assignment expressions in `scope` whose left side starts with a `V_`
 * token, in document order: found from the file's `V_` tokens (a variant's
 * text differs from the file's only by blanks and masks of equal length)
 * climbing through `.f` and `[i]`, rather than by visiting every node.
 */
function assignmentsToVnames(toks: Token[], scope: SyntaxNode): SyntaxNode[] {
	const out: SyntaxNode[] = [];
	const seen = new Set<number>();
	for (let k = tokenIndexAt(toks, scope.startIndex), end = scope.endIndex; k < toks.length && toks[k].start < end; k++) {
		const t = toks[k];
		if (t.kind !== 'ident' || t.text.charCodeAt(0) !== 86 /* V */ || t.text.charCodeAt(1) !== 95 /* _ */) continue;
		// Most `V_` tokens are reads: only one followed by `.f`/`[i]` and an assignment operator asks the tree.
		if (!ASSIGNMENT_OPERATORS.has(toks[afterFieldsAndIndexes(toks, k + 1)]?.text)) continue;
		let n: SyntaxNode = scope.descendantForIndex(t.start, t.end);
		if (n.type !== 'identifier' || n.startIndex !== t.start) continue;
		for (let p = n.parent; p; p = n.parent) {
			if ((p.type === 'field_expression' || p.type === 'subscript_expression') && p.startIndex === n.startIndex) n = p;
			else break;
		}
		const a = n.parent;
		if (!a || a.type !== 'assignment_expression' || a.startIndex !== n.startIndex || seen.has(a.startIndex)) continue;
		const left = a.childForFieldName('left');
		if (!left || left.endIndex !== n.endIndex) continue;
		seen.add(a.startIndex);
		out.push(a);
	}
	return out;
}

/** Assignments to `V_x`, `V_x.f`, `V_x[i]` within `scope`; conditionality measured against `top`. */
function assignmentsIn(file: ParsedFile, spans: Spans, scope: SyntaxNode, top: SyntaxNode,
	known?: ReadonlyMap<number, Assignment>): Assignment[] {
	const out: Assignment[] = [];
	const toks = file.lexed.tokens;
	const scopeConditions = conditionsAt(file.text, file.lexed, scope.startIndex);
	let order = 0;
	for (const a of assignmentsToVnames(toks, scope)) {
		const stmt = a.parent;
		if (!stmt || stmt.type !== 'expression_statement' || known?.has(stmt.startIndex) || insideError(stmt, scope)) continue;
		const left = a.childForFieldName('left');
		const right = a.childForFieldName('right');
		if (!left || !right) continue;
		let target: SyntaxNode | null = left;
		let field: string | undefined;
		let index: string | undefined;
		while (target && (target.type === 'field_expression' || target.type === 'subscript_expression')) {
			if (target.type === 'field_expression') {
				// Through a pointer (`V_p->f`) the variable itself is not assigned.
				if (target.child(1)?.text === '->') target = null;
				else {
					const f = target.childForFieldName('field')?.text ?? '';
					field = field ? `${f}.${field}` : f;
					target = target.childForFieldName('argument');
				}
			} else {
				index = target.childForFieldName('index')?.text;
				target = target.childForFieldName('argument');
			}
		}
		if (!target || target.type !== 'identifier' || !target.text.startsWith('V_')) continue;
		const variable = target.text.slice(2);
		const verdict = classifyConstant(right);
		let usesBefore = 0;
		for (let k = tokenIndexAt(toks, top.startIndex), end = stmt.startIndex; k < toks.length && toks[k].start < end; k++) {
			if (toks[k].text === target.text) usesBefore++;
		}
		const operatorNode = a.childForFieldName('operator') ?? a.child(1);
		const conditional = controlFlow(stmt, top);
		out.push({
			variable,
			...(field ? { field } : {}),
			...(index !== undefined ? { index } : {}),
			operator: operatorNode?.text ?? '=',
			value: codeText(file.lexed, right.startIndex, right.endIndex),
			constant: verdict.constant,
			...(verdict.reason ? { constantNote: verdict.reason } : verdict.names.length ? { constantNote: `assumes constants: ${verdict.names.join(', ')}` } : {}),
			...(conditional ? { conditional } : {}),
			conditions: relativeConditions(conditionsAt(file.text, file.lexed, stmt.startIndex), scopeConditions),
			precededByUse: usesBefore > 0,
			usesBefore,
			order: order++,
			statement: spans.node(stmt),
			...trailingCommentOf(file, stmt.endIndex),
		});
	}
	return out;
}

/** A one-line comment following `end` on its line, nothing else after it. */
function trailingCommentOf(file: ParsedFile, end: number): { comment?: string } {
	const text = file.text;
	let k = end;
	while (text[k] === ' ' || text[k] === '\t') k++;
	const c = file.lexed.comments.find((x) => x.start === k);
	if (!c || k === end) return {};
	const body = text.slice(c.start, c.end);
	const rest = text.slice(c.end, text.indexOf('\n', c.end) === -1 ? text.length : text.indexOf('\n', c.end));
	return body.includes('\n') || rest.trim() !== '' ? {} : { comment: body };
}

function sortFileIndex(idx: FileIndex): void {
	const bySpan = <T extends { span: Span }>(a: T, b: T) => a.span.start - b.span.start;
	idx.containers.sort(bySpan);
	// Two parse variants can read one damaged statement two ways (`static struct callout x;` and, within it,
	// `callout x;`): a declaration inside another's statement is that statement misread, not a second one.
	// (Siblings, `int a, b;`, share their statement exactly and stay.)
	const byStatement = [...idx.globals].sort((a, b) => a.statement.start - b.statement.start || b.statement.end - a.statement.end);
	let outer: Span | undefined;
	idx.globals = byStatement.filter((g) => {
		const st = g.statement;
		if (outer && st.end <= outer.end) return st.start === outer.start && st.end === outer.end;
		outer = st;
		return true;
	});
	idx.globals.sort(bySpan);
	idx.functions.sort(bySpan);
	idx.items.sort(bySpan);
	idx.modinfos.sort(bySpan);
	idx.constructorBodies.sort((a, b) => a.span.start - b.span.start || a.kind.localeCompare(b.kind));
	idx.definedMacros = [...new Set(idx.definedMacros)].sort();
	idx.accessorUses = Object.fromEntries(Object.entries(idx.accessorUses).sort(([a], [b]) => (a < b ? -1 : 1)));
	idx.diagnostics.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || a.code.localeCompare(b.code));
}

export type { ContainerAccessorMacro, AccessorMacro, CallSite, FunctionInfo, ValueMacro, Constructor };
