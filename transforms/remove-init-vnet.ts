/*
 * remove-init-vnet: removes every `INIT_VNET_<MOD>(expr);` statement and
 * every `#define INIT_VNET_<MOD>` (spec §3.1).
 *
 * In the new design `V_x` reaches the current vnet's copy by itself, so the
 * per-function pointer these macros declared has no successor. A site is
 * removed only when some parse variant sees it as a statement of a function
 * body outside any ERROR node; anything else is reported and left alone.
 * When `expr` is not `curvnet` the old code read that vnet's variables and
 * the new code reads the current vnet's: that assumption is reported, unless
 * the statement directly follows `CURVNET_SET(expr)`.
 */
import type { Diagnostic, Severity } from '../src/diagnostics';
import type { Deletion } from '../src/edit/layout';
import type { CorpusIndex } from '../src/index/corpus-index';
import { isInitVnetName } from '../src/index/corpus-index';
import { Directive, joinTokens, matchParen, Token, tokenIndexAt } from '../src/lex/lexer';
import type { Edit } from '../src/edit/edit';
import { ParsedFile } from '../src/parse/parsed-file';
import { insideError, SyntaxNode } from '../src/parse/parser';
import { functionIn, Variant } from '../src/parse/variants';
import type { RunContext, Transform, TransformResult } from '../src/transform';
import { planMigration } from '../src/plan/members';
import { toJscodeshift } from '../src/jscodeshift';

export const RULE = 'remove-init-vnet';

/** Identifiers that name the current context, not a local variable. */
const GLOBAL_CONTEXT = new Set(['curvnet', 'curthread', 'curproc', 'vnet0', 'thread0', 'proc0']);
const CURVNET_SET = new Set(['CURVNET_SET', 'CURVNET_SET_QUIET']);
/** Preprocessor directives whose operand may name an INIT_VNET macro being removed. */
const REMOVED_DIRECTIVES = new Set(['define', 'undef']);

interface Site {
	name: Token;
	/** Token indices of `(`, `)` and the `;` (-1 when missing). */
	open: number;
	close: number;
	semi: number;
	start: number;
	end: number;
}

interface Accepted {
	/** The statement (or, for a site missing its `;`, the declaration tree-sitter read it into). */
	anchor: SyntaxNode;
	functions: SyntaxNode[];
}

export function removeInitVnet(file: ParsedFile, index: CorpusIndex, context?: RunContext): TransformResult {
	const diagnostics: Diagnostic[] = [];
	// With vnet-define in the run, a module it leaves unmigrated keeps its INIT_VNET: its V_
	// accessors still read the container pointer the macro declares.
	const unmigrated = new Map<string, string>();
	if (context?.transforms.has('vnet-define')) {
		for (const mp of planMigration(index).modules) if (mp.skip && mp.module.initMacro) unmigrated.set(mp.module.initMacro, mp.module.name);
	}
	const kept = new Map<string, number>();
	const handlersNoted = new Set<string>();
	const deletions: Deletion[] = [];
	const report = (severity: Severity, code: string, offset: number, message: string) => {
		diagnostics.push({ severity, code, message, file: file.path, ...file.position(offset), rule: RULE });
	};

	const edits: Edit[] = [];
	for (const d of file.lexed.directives) {
		if (d.tokens.some((t) => unmigrated.has(t.text))) continue;
		const defined = REMOVED_DIRECTIVES.has(d.name) && d.tokens[0] && isInitVnetName(d.tokens[0].text);
		if (defined) deletions.push({ start: d.start, end: d.end, rule: RULE, withHeading: true });
		const inBody = d.name === 'define' && !defined ? macroBodyStatements(file.text, d) : undefined;
		for (const t of d.tokens.slice(defined ? 1 : 0)) {
			if (t.kind !== 'ident' || !isInitVnetName(t.text)) continue;
			const removal = inBody?.get(t.start);
			if (removal) {
				edits.push({ ...removal.edit, rule: RULE });
				if (removal.argument !== 'curvnet') {
					report('note', 'init-vnet/not-curvnet', t.start,
						`${t.text}(${removal.argument}) removed from the body of macro ${d.tokens[0].text}: the new code reads the current vnet's variables, not ${removal.argument}'s`);
				}
				continue;
			}
			report('warning', 'init-vnet/in-directive', t.start,
				d.name === 'define'
					? `${t.text} inside the body of macro ${d.tokens[0]?.text ?? '?'} is not a statement of its own: not removed; edit the macro by hand`
					: `${t.text} in a #${d.name} directive: not removed`);
		}
	}

	const tokens = file.lexed.tokens;
	for (let i = 0; i < tokens.length; i++) {
		const t = tokens[i];
		if (t.kind !== 'ident' || !isInitVnetName(t.text)) continue;
		if (unmigrated.has(t.text)) {
			if (!kept.has(t.text)) kept.set(t.text, t.start);
			continue;
		}
		if (tokens[i + 1]?.text !== '(') {
			report('warning', 'init-vnet/not-a-call', t.start, `${t.text} is not called here: not removed`);
			continue;
		}
		const close = matchParen(tokens, i + 1);
		if (close === -1) {
			report('warning', 'init-vnet/unbalanced', t.start, `${t.text}( has no closing parenthesis: not removed`);
			continue;
		}
		const semi = tokens[close + 1]?.text === ';' ? close + 1 : -1;
		const site: Site = { name: t, open: i + 1, close, semi, start: t.start, end: tokens[semi === -1 ? close : semi].end };
		const found = file.variants.find((v) => acceptSite(v, site));
		if (!found) {
			const inError = file.variants.parsed().every((v) => insideError(v.tree.rootNode.descendantForIndex(t.start, t.end)));
			report('warning', 'init-vnet/unparsed', t.start, inError
				? `${t.text}(...) lies inside a region that no parse of this file understands (an ERROR node): not removed`
				: `${t.text}(...) is not read as a statement of a function body by any parse of this file: not removed`);
			i = close;
			continue;
		}
		deletions.push({ start: site.start, end: site.end, rule: RULE });
		checkAssumptions(file, found.variant, found.value, site, report, handlersNoted);
		i = semi === -1 ? close : semi;
	}

	for (const [name, at] of kept) {
		report('warning', 'init-vnet/module-skipped', at, `${name} kept throughout this file: module ${unmigrated.get(name)} is not migrated (see vnet-define/module-skipped)`);
	}
	return { edits, deletions, diagnostics };
}

/**
 * `INIT_VNET_<MOD>(expr);` statements in a `#define` body (`do { INIT_VNET_INET(curvnet); ... } while (0)`):
 * a statement is one whose `;` is there and that follows `{`, `;` or `}` outside any parentheses,
 * so removing it leaves the other statements as they were. One alone on its continuation line
 * takes the whole line (backslash and newline included); otherwise the statement and the blanks after it go.
 */
function macroBodyStatements(text: string, d: Directive): Map<number, { edit: Omit<Edit, 'rule'>; argument: string }> {
	const out = new Map<number, { edit: Omit<Edit, 'rule'>; argument: string }>();
	const toks = d.tokens;
	let body = 1;
	if (toks[1]?.text === '(' && toks[1].start === toks[0].end) {
		const close = matchParen(toks, 1);
		if (close === -1) return out;
		body = close + 1;
	}
	let parens = 0;
	for (let i = body; i < toks.length; i++) {
		const t = toks[i];
		if (t.text === '(') parens++;
		else if (t.text === ')') parens--;
		if (t.kind !== 'ident' || !isInitVnetName(t.text) || parens !== 0) continue;
		const prev = toks[i - 1]?.text;
		if (i === body || !(prev === '{' || prev === ';' || prev === '}') || toks[i + 1]?.text !== '(') continue;
		const close = matchParen(toks, i + 1);
		if (close === -1 || toks[close + 1]?.text !== ';') continue;
		const end = toks[close + 1].end;
		const lineStart = text.lastIndexOf('\n', t.start - 1) + 1;
		const rest = /^[ \t]*\\\r?\n/.exec(text.slice(end));
		const alone = /^[ \t]*$/.test(text.slice(lineStart, t.start)) && rest !== null;
		let after = end;
		while (text[after] === ' ' || text[after] === '\t') after++;
		const edit = alone
			? { start: lineStart, end: end + rest![0].length, text: '' }
			: { start: t.start, end: text[after] === '\\' ? end : after, text: '' };
		out.set(t.start, { edit, argument: joinTokens(toks.slice(i + 2, close)) });
	}
	return out;
}

function acceptSite(v: Variant, site: Site): Accepted | undefined {
	const node = v.tree.rootNode.descendantForIndex(site.start, site.name.end);
	if (node.type !== 'identifier' || node.startIndex !== site.start || node.endIndex !== site.name.end) return undefined;
	const parent = node.parent;
	if (!parent || insideError(node)) return undefined;
	let anchor: SyntaxNode;
	if (parent.type === 'call_expression') {
		const stmt = parent.parent;
		if (!stmt || stmt.type !== 'expression_statement' || stmt.startIndex !== site.start) return undefined;
		const expectedEnd = site.end;
		const missingSemi = site.semi === -1;
		if (missingSemi) {
			const last = stmt.child(stmt.childCount - 1);
			if (!last || !last.isMissing || parent.endIndex !== expectedEnd) return undefined;
		} else if (stmt.endIndex !== expectedEnd || stmt.hasError) {
			return undefined;
		}
		anchor = stmt;
	} else if (parent.type === 'macro_type_specifier' && site.semi === -1) {
		// `INIT_VNET_X(v)` with no `;`, read as a type for the next line's declaration.
		const decl = parent.parent;
		if (!decl || decl.type !== 'declaration' || parent.endIndex !== site.end) return undefined;
		anchor = decl;
	} else {
		return undefined;
	}
	// The statement must belong to a block of a function body, possibly through #if nodes.
	let up = anchor.parent;
	while (up && up.type.startsWith('preproc_')) up = up.parent;
	if (!up || up.type !== 'compound_statement') return undefined;
	const functions: SyntaxNode[] = [];
	for (let n: SyntaxNode | null = up; n; n = n.parent) {
		if (n.type === 'function_definition') functions.push(n);
	}
	if (functions.length === 0) return undefined;
	return { anchor, functions };
}

function checkAssumptions(
	file: ParsedFile,
	variant: Variant,
	accepted: Accepted,
	site: Site,
	report: (severity: Severity, code: string, offset: number, message: string) => void,
	handlersNoted: Set<string>,
): void {
	const tokens = file.lexed.tokens;
	const arg = joinTokens(tokens, site.open + 1, site.close);
	const call = `${site.name.text}(${arg})`;
	// `curvnet` is defined as `curthread->td_vnet`: the same vnet.
	if (arg === 'curvnet' || arg === 'curthread->td_vnet') return;
	if (arg === '') {
		report('note', 'init-vnet/no-argument', site.start, `${call} removed: it names no vnet`);
		return;
	}
	const handler = arg === 'TD_TO_VNET(req->td)' ? sysctlHandler(accepted) : undefined;
	if (handler) {
		// The sysctl framework sets curvnet to the requesting thread's vnet: one note per handler.
		if (!handlersNoted.has(handler)) {
			handlersNoted.add(handler);
			report('note', 'init-vnet/sysctl-handler', site.start,
				`${call} removed from sysctl handler ${file.path}:${handler.slice(handler.indexOf('@') + 1)}: this assumes the framework sets curvnet to the requesting thread's vnet, as r195699's does`);
		}
	} else if (!followsCurvnetSet(file, accepted.anchor, arg)) {
		report('note', 'init-vnet/not-curvnet', site.start,
			`${call} removed: the old code read the variables of ${arg}, the new code reads curvnet's; ` +
				`this assumes curvnet is ${arg} here (set by the caller or the framework)`);
	}
	// Variables the argument names: identifiers outside types, member names and called macros.
	const call_ = accepted.anchor.type === 'expression_statement' ? accepted.anchor.namedChild(0) : null;
	const args = call_?.childForFieldName('arguments');
	for (const id of args?.descendantsOfType('identifier') ?? []) {
		const parent = id.parent;
		if (parent?.type === 'call_expression' && parent.childForFieldName('function')?.id === id.id) continue;
		if (GLOBAL_CONTEXT.has(id.text) || !/[a-z]/.test(id.text)) continue;
		if (!inScope(file, variant, accepted, id.text, site.start)) {
			report('note', 'init-vnet/not-in-scope', id.startIndex,
				`${call} names \`${id.text}\`, which is not declared in this function or file: ` +
					`it compiled only where INIT_VNET expanded to nothing; removed`);
		}
	}
}

/** `name@line` of the SYSCTL_HANDLER_ARGS function holding the site, if it is one. */
function sysctlHandler(accepted: Accepted): string | undefined {
	const fn = accepted.functions[accepted.functions.length - 1];
	const declarator = fn.childForFieldName('declarator');
	const params = declarator?.descendantsOfType('parameter_list')[0];
	if (!params || params.text.replace(/\s/g, '') !== '(SYSCTL_HANDLER_ARGS)') return undefined;
	const name = declarator?.descendantsOfType('identifier')[0]?.text ?? '?';
	return `${name}@${fn.startPosition.row + 1}`;
}

/** Whether the statement follows `CURVNET_SET(arg)` directly (other INIT_VNETs between are fine). */
function followsCurvnetSet(file: ParsedFile, anchor: SyntaxNode, arg: string): boolean {
	for (let prev = anchor.previousNamedSibling; prev; prev = prev.previousNamedSibling) {
		if (prev.type === 'comment') continue;
		const call = prev.type === 'expression_statement' ? prev.namedChild(0) : null;
		const fn = call?.type === 'call_expression' ? call.childForFieldName('function') : null;
		if (!call || !fn) return false;
		if (isInitVnetName(fn.text)) continue;
		if (!CURVNET_SET.has(fn.text)) return false;
		const args = call.childForFieldName('arguments');
		if (!args) return false;
		const toks = file.lexed.tokens;
		const from = tokenIndexAt(toks, args.startIndex);
		const to = tokenIndexAt(toks, args.endIndex - 1);
		return toks[from]?.text === '(' && toks[to]?.text === ')' && joinTokens(toks, from + 1, to) === arg;
	}
	return false;
}

function declaratorNames(node: SyntaxNode, out: Set<string>): void {
	switch (node.type) {
		case 'identifier':
			out.add(node.text);
			return;
		case 'init_declarator':
		case 'pointer_declarator':
		case 'array_declarator':
		case 'function_declarator':
		case 'parenthesized_declarator':
		case 'attributed_declarator': {
			const d = node.childForFieldName('declarator') ?? node.namedChild(0);
			if (d) declaratorNames(d, out);
			return;
		}
		default:
			return;
	}
}

function declarationNames(decl: SyntaxNode, out: Set<string>): void {
	for (const d of decl.childrenForFieldName('declarator')) declaratorNames(d, out);
}

function inScope(file: ParsedFile, variant: Variant, accepted: Accepted, name: string, before: number): boolean {
	const names = new Set<string>();
	// The usual case, a parameter of the function (`ifp`, `so`, `td`), needs no walk through its body.
	const innermost = accepted.functions[0];
	if (innermost) collectParameterNames(innermost, names);
	if (names.has(name)) return true;
	names.clear();
	for (const fn of accepted.functions) {
		if (!collectFunctionNames(fn, before, names)) return true;
	}
	// The same function as other variants read it (declarations in other #if arms).
	const fnStart = accepted.functions[accepted.functions.length - 1].startIndex;
	for (const v of file.variants.parsed()) {
		if (v === variant) continue;
		const other = functionIn(v, fnStart);
		if (other) collectFunctionNames(other, before, names);
	}
	if (names.has(name)) return true;
	for (const top of variant.tree.rootNode.namedChildren) {
		if (top.type === 'declaration') declarationNames(top, names);
	}
	for (const d of file.lexed.directives) {
		if (d.name === 'define' && d.tokens[0]) names.add(d.tokens[0].text);
	}
	return names.has(name);
}

/** Parameter lists written as one macro, with the names it declares. */
const PARAMETER_MACROS: Record<string, string[]> = {
	SYSCTL_HANDLER_ARGS: ['oidp', 'arg1', 'arg2', 'req'],
};

/** Collects the names of a function's parameters; false when they cannot be known. */
function collectParameterNames(fn: SyntaxNode, out: Set<string>): boolean {
	let known = true;
	const declarator = fn.childForFieldName('declarator');
	if (declarator) {
		for (const p of declarator.descendantsOfType(['parameter_declaration', 'identifier'])) {
			const d = p.type === 'identifier' ? p : p.childForFieldName('declarator') ?? p.childForFieldName('type');
			if (!d) continue;
			const names = PARAMETER_MACROS[d.text];
			if (names) names.forEach((n) => out.add(n));
			else if (p.type === 'parameter_declaration' && !p.childForFieldName('declarator') && /^[A-Z][A-Z0-9_]*$/.test(d.text)) {
				known = false; // an unknown macro standing for parameters
			} else declaratorNames(d, out);
		}
	}
	for (const child of fn.namedChildren) {
		if (child.type === 'declaration') declarationNames(child, out); // K&R parameter declarations
	}
	return known;
}

/** Collects the names a function declares before `before`; false when they cannot be known. */
function collectFunctionNames(fn: SyntaxNode, before: number, out: Set<string>): boolean {
	const known = collectParameterNames(fn, out);
	const body = fn.childForFieldName('body');
	if (!body) return known;
	for (const decl of body.descendantsOfType('declaration')) {
		if (decl.startIndex < before) declarationNames(decl, out);
	}
	// Locals declared through macros, e.g. `VNET_ITERATOR_DECL(vnet_iter);`.
	for (const stmt of body.descendantsOfType('expression_statement')) {
		if (stmt.startIndex >= before) continue;
		const call = stmt.namedChild(0);
		if (call?.type !== 'call_expression') continue;
		const fnName = call.childForFieldName('function')?.text ?? '';
		if (!/^[A-Z][A-Z0-9_]*$/.test(fnName)) continue;
		for (const a of call.childForFieldName('arguments')?.namedChildren ?? []) {
			if (a.type === 'identifier') out.add(a.text);
		}
	}
	return known;
}

export const transform: Transform = {
	name: RULE,
	description: 'remove INIT_VNET_<MOD>(expr); statements and #define INIT_VNET_<MOD> definitions',
	tokens: ['INIT_VNET_'],
	run: removeInitVnet,
};

/** jscodeshift entry point (see src/jscodeshift.ts). */
export default toJscodeshift(removeInitVnet);
