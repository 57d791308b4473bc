/*
 * sysctl: `SYSCTL_V_<KIND>(subs, vnet_<mod>, parent, nbr, name, access, sym, ...)`
 * becomes `SYSCTL_VNET_<KIND>(parent, nbr, name, access, &VNET_NAME(sym), ...)`
 * (spec §3.5, allocator-model §1 Sysctls).
 *
 * r195699 has SYSCTL_VNET_INT, _UINT, _STRING, _STRUCT and _PROC only; any
 * other old kind is reported, never guessed. The data kinds get handlers
 * that rebase the reference-copy address into the current vnet; PROC does
 * not: a handler that uses arg1 as the variable's address gets
 * `VNET_SYSCTL_ARG(req, arg1);` at the top of its body, one that ignores
 * arg1 needs nothing, one outside the tree is reported for review.
 * Edits are token-local (name, the two dropped arguments, the symbol), so
 * the call keeps its line breaks and indentation.
 */
import type { Diagnostic, Severity } from '../src/diagnostics';
import type { Edit } from '../src/edit/edit';
import { handlerName, partOf } from '../src/index/corpus-index';
import type { CorpusIndex, SysctlSite } from '../src/index/types';
import { tokenIndexAt } from '../src/lex/lexer';
import { ParsedFile } from '../src/parse/parsed-file';
import { insideError, SyntaxNode } from '../src/parse/parser';
import { functionIn } from '../src/parse/variants';
import { migratedMembers, planMigration } from '../src/plan/members';
import type { Transform, TransformResult } from '../src/transform';
import { toJscodeshift } from '../src/jscodeshift';

export const RULE = 'sysctl';

/** The kinds r195699 provides as SYSCTL_VNET_<KIND>. */
export const CONVERTIBLE = new Set(['INT', 'UINT', 'STRING', 'STRUCT', 'PROC']);

type Report = (severity: Severity, code: string, offset: number, message: string) => void;

export function convertSysctls(file: ParsedFile, index: CorpusIndex): TransformResult {
	const diagnostics: Diagnostic[] = [];
	const edits: Edit[] = [];
	const report: Report = (severity, code, offset, message) => {
		diagnostics.push({ severity, code, message, file: file.path, ...file.position(offset), rule: RULE });
	};
	const plan = planMigration(index);
	const migrated = new Set(migratedMembers(plan).map((p) => `${p.member.containerTag}.${p.member.name}`));
	const known = new Set(index.modules.map((m) => m.containerTag));
	const skipped = new Set(plan.modules.filter((m) => m.skip).map((m) => m.module.containerTag));
	const part = partOf(index, file.path);
	const alreadyMigrated = file.lexed.tokens.some((t) => t.text === 'VNET_DEFINE' || t.text === 'VNET_DECLARE');

	for (const s of part?.sysctls ?? []) {
		const where = s.span.start;
		if (!CONVERTIBLE.has(s.kind)) {
			report('warning', 'sysctl/no-target', where, `${s.macro} has no SYSCTL_VNET_ counterpart in r195699: left unchanged; convert it by hand`);
			continue;
		}
		if (s.args.length < 7) {
			report('warning', 'sysctl/malformed', where, `${s.macro} has ${s.args.length} arguments, fewer than the 7 its kind takes: left unchanged`);
			continue;
		}
		if (skipped.has(s.container)) {
			report('warning', 'sysctl/module-skipped', where, `${s.macro} names ${s.container}, whose module is not migrated: left unchanged`);
			continue;
		}
		if (known.has(s.container)) {
			if (!migrated.has(`${s.container}.${memberOf(s.symbol)}`)) {
				report('warning', 'sysctl/not-a-member', where, `${s.macro} names ${s.symbol}, which is not a migrated member of struct ${s.container}: left unchanged`);
				continue;
			}
		} else if (alreadyMigrated) {
			// A leftover in a file this tool already migrated (its container is gone): not an external one.
			report('warning', 'sysctl/unknown-container', where, `${s.macro} names struct ${s.container}, which the tree no longer has: left unchanged`);
			continue;
		} else {
			report('note', 'sysctl/external-container', where,
				`${s.macro}: struct ${s.container} is not in the given trees; converted assuming ${s.symbol} is one of its members (give --index to check)`);
		}
		edits.push(rewriteCall(file, s, plainNamesInArguments(file, s, plan, report)));
		if (s.kind === 'PROC') procHandler(index, s, report);
	}
	edits.push(...rebaseHandlers(file, index, report));
	return { edits, diagnostics };
}

/**
 * The member a sysctl symbol names: `tcbinfo.ipi_count` publishes a field of
 * member `tcbinfo`, and `&VNET_NAME(tcbinfo.ipi_count)` is that field of the
 * reference copy, which the SYSCTL_VNET_ handler rebases like the variable.
 */
function memberOf(symbol: string): string {
	const dot = symbol.search(/[.[]/);
	return dot === -1 ? symbol : symbol.slice(0, dot).trim();
}

const COLUMNS = 80;

function width(line: string): number {
	let w = 0;
	for (const c of line) w = c === '\t' ? (Math.floor(w / 8) + 1) * 8 : w + 1;
	return w;
}

/**
 * The converted call as one edit: new name, the first two arguments gone,
 * `&VNET_NAME(sym)`, plain names rewritten. Its arguments are refilled up to
 * 80 columns with the call's continuation indent (style(9)), since dropping
 * two arguments leaves the old breaks in odd places; an argument spanning
 * lines keeps the call's own line breaks.
 */
function rewriteCall(file: ParsedFile, s: SysctlSite, renames: Edit[]): Edit {
	const toks = file.lexed.tokens;
	const nameTok = toks[tokenIndexAt(toks, s.span.start)];
	const argText = (k: number) => {
		const span = s.argSpans[k];
		let text = file.text.slice(span.start, span.end);
		for (const r of [...renames].filter((e) => e.start >= span.start && e.end <= span.end).sort((a, b) => b.start - a.start)) {
			text = text.slice(0, r.start - span.start) + r.text + text.slice(r.end - span.start);
		}
		return k === 6 ? `&VNET_NAME(${s.symbol})` : text;
	};
	const args = s.argSpans.map((_, k) => k).slice(2).map(argText);
	const lineStart = file.text.lastIndexOf('\n', nameTok.start - 1) + 1;
	const lead = file.text.slice(lineStart, nameTok.start);
	const original = file.text.slice(nameTok.start, s.span.end);
	const firstBreak = original.indexOf('\n');
	const indent = firstBreak === -1 ? `${lead}    ` : original.slice(firstBreak + 1).match(/^[ \t]*/)![0];
	if (args.some((a) => a.includes('\n'))) {
		// Keep the author's breaks: only the name, the dropped arguments and the symbol change.
		let text = original;
		const at = (o: number) => o - nameTok.start;
		text = text.slice(0, at(s.argSpans[6].start)) + `&VNET_NAME(${s.symbol})` + text.slice(at(s.argSpans[6].end));
		text = text.slice(0, at(s.argSpans[0].start)) + text.slice(at(s.argSpans[2].start));
		return { start: nameTok.start, end: s.span.end, text: `SYSCTL_VNET_${s.kind}${text.slice(nameTok.text.length)}`, rule: RULE };
	}
	const lines: string[] = [];
	let line = `${lead}SYSCTL_VNET_${s.kind}(${args[0]}`;
	for (const [k, arg] of args.slice(1).entries()) {
		const last = k === args.length - 2;
		const piece = `${arg}${last ? ')' : ''}`;
		const tail = last ? ';' : ',';
		if (width(`${line}, ${piece}${tail}`) <= COLUMNS) line = `${line}, ${piece}`;
		else {
			lines.push(`${line},`);
			line = `${indent}${piece}`;
		}
	}
	lines.push(line);
	// The edit starts at the name: drop the lead again from the first line.
	return { start: nameTok.start, end: s.span.end, text: lines.join('\n').slice(lead.length), rule: RULE };
}

/** A member's plain name in a later argument (`sizeof(bar_name)`) names the reference copy now. */
function plainNamesInArguments(file: ParsedFile, s: SysctlSite, plan: ReturnType<typeof planMigration>, report: Report): Edit[] {
	const toks = file.lexed.tokens;
	const names = new Set(migratedMembers(plan).filter((p) => p.member.containerTag === s.container).map((p) => p.member.name));
	const edits: Edit[] = [];
	// STRUCT's eighth argument is the struct's type name, not a variable.
	for (const span of s.kind === 'STRUCT' ? [] : s.argSpans.slice(7)) {
		for (let k = tokenIndexAt(toks, span.start); k < toks.length && toks[k].end <= span.end; k++) {
			const t = toks[k];
			if (t.kind !== 'ident' || !names.has(t.text) || toks[k - 1]?.text === '.' || toks[k - 1]?.text === '->') continue;
			edits.push({ start: t.start, end: t.end, text: `VNET_NAME(${t.text})`, rule: RULE });
			report('note', 'sysctl/plain-name', t.start, `${t.text} in a sysctl argument now names the reference copy: VNET_NAME(${t.text})`);
		}
	}
	return edits;
}

/** Reports what a converted PROC sysctl's handler needs (the edit is made in the handler's file). */
function procHandler(index: CorpusIndex, s: SysctlSite, report: Report): void {
	const name = handlerName(s);
	const fn = name ? index.parts.flatMap((p) => p.functions).find((f) => f.name === name) : undefined;
	if (!fn) {
		report('warning', 'sysctl/handler-unseen', s.span.start,
			`SYSCTL_VNET_PROC passes arg1 (&VNET_NAME(${s.symbol})) through untouched, and handler ${name ?? '?'} is not in the given trees: review it`);
	}
}

interface HandlerBody {
	body: SyntaxNode;
	usesArg1: boolean;
	/** Whether a declaration's initializer already reads arg1. */
	arg1InDeclarations: boolean;
}

function handlerBody(file: ParsedFile, fnStart: number): HandlerBody | undefined {
	const found = file.variants.find((v) => {
		const body = functionIn(v, fnStart)?.childForFieldName('body');
		return body && !body.hasError && !insideError(body) ? body : undefined;
	});
	if (!found) return undefined;
	const body = found.value;
	const uses = body.descendantsOfType('identifier').filter((n) => n.text === 'arg1');
	const decls = body.namedChildren.filter((c) => c.type === 'declaration');
	return {
		body,
		usesArg1: uses.length > 0,
		arg1InDeclarations: uses.some((u) => decls.some((d) => u.startIndex >= d.startIndex && u.endIndex <= d.endIndex)),
	};
}

/** For each converted PROC sysctl whose handler is defined in this file: rebase arg1 when it is used. */
const handlerCache = new WeakMap<CorpusIndex, Set<string>>();

/** The names of the handlers of the corpus's SYSCTL_V_PROCs whose member migrates (computed once per index, not per file). */
function rebasedHandlers(index: CorpusIndex): Set<string> {
	let handlers = handlerCache.get(index);
	if (handlers) return handlers;
	const migrated = new Set(migratedMembers(planMigration(index)).map((p) => `${p.member.containerTag}.${p.member.name}`));
	const known = new Set(index.modules.map((m) => m.containerTag));
	handlers = new Set<string>();
	for (const p of index.parts) {
		for (const s of p.sysctls) {
			if (s.kind !== 'PROC' || s.args.length < 7) continue;
			if (known.has(s.container) && !migrated.has(`${s.container}.${memberOf(s.symbol)}`)) continue;
			const name = handlerName(s);
			if (name) handlers.add(name);
		}
	}
	handlerCache.set(index, handlers);
	return handlers;
}

function rebaseHandlers(file: ParsedFile, index: CorpusIndex, report: Report): Edit[] {
	const handlers = rebasedHandlers(index);
	const part = partOf(index, file.path);
	const edits: Edit[] = [];
	for (const fn of part?.functions ?? []) {
		if (!handlers.has(fn.name)) continue;
		const h = handlerBody(file, fn.span.start);
		if (!h) {
			report('warning', 'sysctl/handler-unparsed', fn.span.start, `sysctl handler ${fn.name} could not be read: rebase arg1 by hand if it uses it`);
			continue;
		}
		if (!h.usesArg1) {
			report('note', 'sysctl/handler-ignores-arg1', fn.span.start, `sysctl handler ${fn.name} does not use arg1: nothing to rebase`);
			continue;
		}
		const text = file.text;
		// INIT_VNET_* statements go (remove-init-vnet): they are no anchor.
		const children = h.body.namedChildren.filter((c) => c.type !== 'comment' &&
			!(c.type === 'expression_statement' && c.namedChild(0)?.childForFieldName('function')?.text.startsWith('INIT_VNET_')));
		// After the declarations (style(9)), unless a declaration already reads arg1.
		const firstStatement = h.arg1InDeclarations ? children[0] : children.find((c) => c.type !== 'declaration');
		const anchor = firstStatement ?? null;
		let at: number;
		let indent = '\t';
		if (anchor) {
			at = text.lastIndexOf('\n', anchor.startIndex - 1) + 1;
			indent = text.slice(at, anchor.startIndex).match(/^[ \t]*/)?.[0] ?? '\t';
		} else {
			at = h.body.endIndex - 1;
		}
		edits.push({ start: at, end: at, text: `${indent}VNET_SYSCTL_ARG(req, arg1);\n`, rule: RULE });
		report('note', 'sysctl/handler-rebased', fn.span.start,
			`sysctl handler ${fn.name} uses arg1, which SYSCTL_VNET_PROC no longer rebases: VNET_SYSCTL_ARG(req, arg1) inserted` +
				(h.arg1InDeclarations ? ' before its declarations (one of them reads arg1)' : ''));
	}
	return edits;
}

export const transform: Transform = {
	name: RULE,
	description: 'SYSCTL_V_* become SYSCTL_VNET_* over &VNET_NAME(sym); PROC handlers that use arg1 rebase it',
	tokens: ['SYSCTL_V_', 'SYSCTL_HANDLER_ARGS'],
	usesIndex: true,
	run: convertSysctls,
};

/** jscodeshift entry point (see src/jscodeshift.ts). */
export default toJscodeshift(convertSysctls);
