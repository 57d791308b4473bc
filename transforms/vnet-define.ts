/*
 * vnet-define: container-struct members become linker-set variables
 * (spec §2, §3.2, §3.3, §3.6).
 *
 * From the migration plan (src/plan/members.ts), in each file:
 *   - a `#ifdef VIMAGE_GLOBALS` definition becomes `VNET_DEFINE(type, x)`
 *     (static kept, initializer kept) and an `extern` there becomes
 *     `VNET_DECLARE(type, x)`, followed by `#define V_x VNET(x)` lines; the
 *     conditional is resolved as `unifdef -UVIMAGE_GLOBALS` would;
 *   - a plain unconditional definition of a member becomes VNET_DEFINE in
 *     place, other plain `extern`s of it go;
 *   - `VNET_<MOD>(x)`, `VSYM(vnet_<mod>, x)`, `vnet_<mod>->_x` become `V_x`,
 *     another vnet's copy `VNET_VNET(v, x)`, a bare plain name `V_x`;
 *   - the container struct, its accessor macros, `V_MOD_*`, `vnet_<mod>_0`,
 *     `VIMAGE_CTASSERT`, symbol maps and `.vmi_size`/`.vmi_symmap` go.
 * A module with a member the plan cannot migrate is left whole, reported.
 */
import type { Diagnostic, Severity } from '../src/diagnostics';
import type { Edit } from '../src/edit/edit';
import type { Deletion } from '../src/edit/layout';
import type { Condition, CorpusIndex, FileIndex, GlobalDeclaration } from '../src/index/types';
import { conditionsAt, conjuncts } from '../src/index/conditions';
import { partOf } from '../src/index/corpus-index';
import { allConditionals, Conditional, Directive, joinTokens, lex, tokenIndexAt } from '../src/lex/lexer';
import { ParsedFile } from '../src/parse/parsed-file';
import { includedFiles, includeSpelling, resolveInclude } from '../src/index/includes';
import { accessorDefines, sharedConditions, FRAMEWORK_HEADER, MemberPlan, MigrationPlan, membersByName, ModulePlan, planMigration, usesMember } from '../src/plan/members';
import { isBlank, lineEndOf, lineStartOf } from '../src/source';
import type { RunContext, Transform, TransformResult } from '../src/transform';
import { toJscodeshift } from '../src/jscodeshift';
import { InitDecision, MacroHoist, planInitializers } from '../src/plan/initializers';

export const RULE = 'vnet-define';

type Report = (severity: Severity, code: string, offset: number, message: string) => void;

interface FileContext {
	file: ParsedFile;
	index: CorpusIndex;
	part: FileIndex | undefined;
	members: Map<string, MemberPlan>;
	/** Members of modules the plan does not migrate. */
	skipped: Set<string>;
	initializers?: Map<string, InitDecision>;
	/** The blocks of #defines the plan moves up in this file. */
	hoists: MacroHoist[];
	edits: Edit[];
	deletions: Deletion[];
	/** Text to insert at an offset; several insertions at one point become one edit. */
	insertions: Map<number, string[]>;
	/** Where this file's definitions end (after a resolved VIMAGE_GLOBALS block), if known. */
	definitionsEnd?: number;
	report: Report;
}

function insert(ctx: FileContext, at: number, lines: string[], first = false): void {
	const list = ctx.insertions.get(at) ?? [];
	if (first) list.unshift(...lines);
	else list.push(...lines);
	ctx.insertions.set(at, list);
}

export function vnetDefine(file: ParsedFile, index: CorpusIndex, context?: RunContext): TransformResult {
	const diagnostics: Diagnostic[] = [];
	const report: Report = (severity, code, offset, message) => {
		diagnostics.push({ severity, code, message, file: file.path, ...file.position(offset), rule: RULE });
	};
	const plan = planMigration(index);
	const { members, skipped } = membersByName(plan);
	// With static-init in the run, definitions carry the initializers it moves out of constructors.
	const initializers = context?.transforms.has('static-init') ? planInitializers(index, plan) : undefined;
	const hoists = [...new Set([...initializers?.values() ?? []].map((d) => d.hoist).filter((h): h is MacroHoist => h?.file === file.path))];
	const ctx: FileContext = { file, index, part: partOf(index, file.path), members, skipped, initializers, hoists, edits: [], deletions: [], insertions: new Map(), report };
	if (!ctx.part) return { edits: [], diagnostics };
	if (plan.deletedHeaders.has(file.path)) {
		return { edits: [], diagnostics, deleteFile: 'a container header that the migration leaves empty' };
	}

	for (const mp of plan.modules) {
		if (mp.skip && mp.module.container?.file === file.path) {
			report('warning', 'vnet-define/module-skipped', mp.module.container.start, `module ${mp.module.name} is not migrated: ${mp.skip}`);
		}
		for (const p of mp.members) {
			if (p.dead && !mp.skip && p.member.span.file === file.path) report('note', 'vnet-define/dead-member', p.member.span.start, `member ${p.member.name}: ${p.skip}`);
		}
	}

	const handled = new Set<string>();
	for (const c of allConditionals(file.lexed)) {
		if (!vimageGlobalsArms(c)) continue;
		// A module left unmigrated still needs VIMAGE_GLOBALS where its own symbols sit under it.
		const containers = unmigratedContainers(plan);
		const mentions = ctx.file.lexed.tokens.find((t) => t.start >= c.start && t.end <= c.end && (containers.has(t.text) || skipped.has(t.text)));
		if (mentions) {
			ctx.report('warning', 'vnet-define/vimage-globals-skipped', c.start, `${mentions.text} belongs to a module that is not migrated: this VIMAGE_GLOBALS block is left unchanged`);
			continue;
		}
		resolveVimageGlobals(ctx, c, handled);
	}
	plainDeclarations(ctx, handled);
	placedDefinitions(ctx);
	accesses(ctx);
	containerCleanup(ctx, plan.modules.filter((m) => !m.skip), index);
	unknownAccessors(ctx);
	visibility(ctx, plan);
	includes(ctx, plan);
	hoistMacros(ctx);
	for (const [at, lines] of ctx.insertions) ctx.edits.push({ start: at, end: at, text: `${lines.join('\n')}\n`, rule: RULE });
	return { edits: ctx.edits, deletions: ctx.deletions, diagnostics };
}

/**
 * For a conditional on VIMAGE_GLOBALS: which arm indexes see it defined. A
 * single-arm `#if A && defined(VIMAGE_GLOBALS)` keeps `#if A` (`rest`).
 */
function vimageGlobalsArms(c: Conditional): { defined: number[]; undefined: number[]; rest?: string } | undefined {
	const open = c.arms[0].directive;
	const operand = joinTokens(open.tokens);
	let firstDefined: boolean;
	const parts = open.name === 'if' ? conjuncts(operand) : [];
	if (parts.length > 1 && parts.includes('defined(VIMAGE_GLOBALS)') && c.arms.length === 1 && c.endif) {
		return { defined: [0], undefined: [], rest: parts.filter((p) => p !== 'defined(VIMAGE_GLOBALS)').join(' && ') };
	}
	if (open.name === 'ifdef' && operand === 'VIMAGE_GLOBALS') firstDefined = true;
	else if (open.name === 'ifndef' && operand === 'VIMAGE_GLOBALS') firstDefined = false;
	else if (open.name === 'if' && (operand === 'defined(VIMAGE_GLOBALS)' || operand === 'defined VIMAGE_GLOBALS')) firstDefined = true;
	else if (open.name === 'if' && (operand === '!defined(VIMAGE_GLOBALS)' || operand === '!defined VIMAGE_GLOBALS')) firstDefined = false;
	else return undefined;
	if (c.arms.length > 2 || (c.arms[1] && c.arms[1].directive.name !== 'else') || !c.endif) return undefined;
	const defined = firstDefined ? [0] : c.arms.length > 1 ? [1] : [];
	const undef = c.arms.map((_, k) => k).filter((k) => !defined.includes(k));
	return { defined, undefined: undef };
}

/** The definition's lines: one, or an #if/#else pair when static-init restores one per arm. */
function definitionLines(p: MemberPlan, initializer: string | undefined, ctx: FileContext): string[] {
	const pair = initializer === undefined ? ctx.initializers?.get(p.member.name)?.conditional : undefined;
	if (!pair) return [defineLine(p, initializer, ctx)];
	const line = (v: string | undefined) => `${p.isStatic ? 'static ' : ''}VNET_DEFINE(${p.defineType}, ${p.nameWithBounds})${v !== undefined ? ` = ${v}` : ''};`;
	return [pair.directive, line(pair.values[0]), '#else', line(pair.values[1]), '#endif'];
}

function defineLine(p: MemberPlan, initializer: string | undefined, ctx?: FileContext): string {
	const restored = initializer === undefined ? ctx?.initializers?.get(p.member.name) : undefined;
	initializer ??= restored?.initializer;
	const line = `${p.isStatic ? 'static ' : ''}VNET_DEFINE(${p.defineType}, ${p.nameWithBounds})${initializer !== undefined ? ` = ${initializer}` : ''};`;
	// The comment of the one assignment whose value this is comes along, unless the definition has its own.
	const moved = restored?.initializer !== undefined && restored.moved.length === 1 ? restored.moved[0].assignment.comment : undefined;
	const own = p.site && ctx ? /^[ \t]*\/\*/.test(ctx.file.text.slice(p.site.statement.end, lineEndOf(ctx.file.text, p.site.statement.end))) : false;
	return moved && !own ? `${line}\t${moved}` : line;
}

function declareLine(p: MemberPlan): string {
	return `VNET_DECLARE(${p.declareType}, ${p.nameWithBounds});`;
}

/**
 * `#if` conditions a member had inside its container that the place of its
 * new definition or declaration lacks: they carry over around the lines.
 */
function wrapInConditions(ctx: FileContext, p: MemberPlan, at: number, lines: string[]): string[] {
	const here = new Set(conditionsAt(ctx.file.text, ctx.file.lexed, at).map((c) => c.expr));
	const missing = p.member.conditions.filter((c) => !here.has(c.expr));
	if (missing.length === 0) return lines;
	const open = missing.map((c) => (c.armIndex === 0 ? c.directive : `#if ${c.expr}`));
	return [...open, ...lines, ...missing.map(() => '#endif')];
}

/** Lines replacing one declaration statement, and the accessor names it asks for. */
function replaceStatement(ctx: FileContext, decls: GlobalDeclaration[]): { lines: string[]; accessors: string[]; unknown: GlobalDeclaration[] } {
	const lines: string[] = [];
	const accessors: string[] = [];
	const unknown: GlobalDeclaration[] = [];
	for (const g of decls) {
		const p = ctx.members.get(g.name);
		if (!p) {
			unknown.push(g);
			continue;
		}
		if (g.definition) {
			if (p.site !== g && !p.alternatives.includes(g)) continue; // a duplicate definition goes
			const own: string[] = [];
			if (p.typedef?.file === ctx.file.path) own.push(p.typedef.line);
			own.push(...definitionLines(p, g.initializer, ctx));
			for (const n of p.notes) ctx.report('note', 'vnet-define/plan', g.span.start, `${p.member.name}: ${n}`);
			const later = laterMacroIn(ctx, g, p);
			if (later) {
				// The reference copy's initializer must follow every macro it uses; when that #define
				// sits in a conditional the definition does not, the definition goes after its #endif.
				const afterIf = afterEnclosingConditionals(ctx, later.start, g.statement.start);
				const at = afterIf ?? later.lineEnd;
				insert(ctx, at, [...(afterIf !== undefined ? [''] : []), ...wrapInConditions(ctx, p, at, own), ...(p.localDefine ? accessorDefines([p.member.name], oldColumn(ctx, [p.member.name])) : [])]);
				ctx.report('note', 'vnet-define/moved-after-macro', g.span.start,
					`${p.member.name}: its initializer uses ${later.tokens[0].text}, defined further down at line ${ctx.file.lines.line(later.start)}: the definition goes after it`);
				continue;
			}
			lines.push(...wrapInConditions(ctx, p, g.statement.start, own));
			if (g.initializer !== undefined) {
				ctx.report('note', 'vnet-define/initializer-kept', g.span.start,
					`${p.member.name}: the initializer of its non-VIMAGE definition (= ${g.initializer}) becomes the reference copy's, so VIMAGE kernels now start from it too`);
			}
			if (p.localDefine && g === p.site) accessors.push(p.member.name);
		} else if (g.vimageGlobals) {
			const own: string[] = [];
			if (p.typedef?.file === ctx.file.path) own.push(p.typedef.line);
			own.push(declareLine(p));
			lines.push(...wrapInConditions(ctx, p, g.statement.start, own));
			accessors.push(p.member.name);
		}
	}
	return { lines, accessors, unknown };
}

/** Past the #endif of the outermost conditional holding `offset` but not `site`, if any. */
function afterEnclosingConditionals(ctx: FileContext, offset: number, site: number): number | undefined {
	let found: Conditional | undefined;
	const visit = (cs: Conditional[]) => {
		for (const c of cs) {
			if (offset < c.start || offset >= c.end) continue;
			if (site >= c.start && site < c.end) visit(c.children);
			else found = c;
			return;
		}
	};
	visit(ctx.file.lexed.conditionals);
	return found?.endif ? found.end : undefined;
}

/** The last `#define`, after the declaration, of a macro its (possibly restored) initializer uses (and that stays put). */
function laterMacroIn(ctx: FileContext, g: GlobalDeclaration, p: MemberPlan): Directive | undefined {
	const initializer = g.initializer ?? ctx.initializers?.get(p.member.name)?.initializer;
	if (initializer === undefined) return undefined;
	const names = new Set(lex(initializer).tokens.filter((t) => t.kind === 'ident').map((t) => t.text));
	const moving = new Set(ctx.hoists.flatMap((h) => h.macros.map((m) => m.span.start)));
	let found: Directive | undefined;
	for (const d of ctx.file.lexed.directives) {
		if (d.name === 'define' && d.start > g.statement.end && d.tokens[0] && names.has(d.tokens[0].text) && !moving.has(d.start)) found = d;
	}
	return found;
}

const unmigratedCache = new WeakMap<MigrationPlan, Set<string>>();
/** Container tags and symbols (and their `_0` fallbacks) of the modules left unmigrated; their members are `ctx.skipped`. */
function unmigratedContainers(plan: MigrationPlan): Set<string> {
	let s = unmigratedCache.get(plan);
	if (!s) {
		s = new Set(plan.modules.filter((m) => m.skip).flatMap((mp) => [mp.module.containerTag, mp.module.containerSymbol, `${mp.module.containerSymbol}_0`]));
		unmigratedCache.set(plan, s);
	}
	return s;
}

/**
 * Macros a restored initializer needs, defined further down, where the file
 * refers to the variable in between: their lines move, bytes unchanged, above
 * the definitions (an empty line after them), and are reported.
 */
function hoistMacros(ctx: FileContext): void {
	const text = ctx.file.text;
	for (const h of ctx.hoists) {
		// Just before the first definition rewritten at or after `to` (the #ifdef VIMAGE_GLOBALS
		// line there goes, and the layout may join its deletion with others).
		const next = ctx.edits.filter((e) => e.start >= h.to && e.end > e.start).sort((a, b) => a.start - b.start)[0];
		const at = next && lineStartOf(text, next.start) === next.start ? next.start : lineStartOf(text, h.to);
		const lines = h.macros.map((m) => text.slice(m.lines.start, m.lines.end).replace(/\r?\n$/, ''));
		insert(ctx, at, [...lines, ''], true);
		for (const m of h.macros) ctx.deletions.push(wholeLines(m.span.start, m.span.end));
		ctx.report('note', 'vnet-define/macros-moved-up', h.to,
			`${h.macros.map((m) => m.name).join(', ')} moved up from line ${h.macros[0].span.line}: restored initializers use them, and the file refers to the variables before they were defined`);
	}
}

/**
 * The edit replacing a declaration statement by `lines`. A comment after it
 * on the same line stays, one tab after the (longer) new line, as style(9)
 * places a declaration's comment.
 */
function replacement(ctx: FileContext, start: number, end: number, lines: string[]): Edit {
	const text = ctx.file.text;
	let k = end;
	while (text[k] === ' ' || text[k] === '\t') k++;
	const commentFollows = lines.length === 1 && k > end && text.startsWith('/*', k) && text.slice(end, k).includes('\t');
	return commentFollows
		? { start, end: k, text: `${lines[0]}\t`, rule: RULE }
		: { start, end, text: lines.join('\n'), rule: RULE };
}

function statementsOf(globals: GlobalDeclaration[]): GlobalDeclaration[][] {
	const byStart = new Map<number, GlobalDeclaration[]>();
	for (const g of globals) {
		const list = byStart.get(g.statement.start) ?? [];
		list.push(g);
		byStart.set(g.statement.start, list);
	}
	return [...byStart.values()];
}

function wholeLines(start: number, end: number): Deletion {
	return { start, end, rule: RULE };
}

function resolveVimageGlobals(ctx: FileContext, c: Conditional, handled: Set<string>): void {
	const { file, part } = ctx;
	const arms = vimageGlobalsArms(c)!;
	const toks = file.lexed.tokens;
	// Everything in the defined arms must be declarations we understand.
	const inArm = (g: GlobalDeclaration, k: number) => g.statement.start >= c.arms[k].start && g.statement.end <= c.arms[k].end;
	const plans: Array<{ stmt: GlobalDeclaration[]; lines: string[]; accessors: string[]; within: Condition[] }> = [];
	// Code rather than declarations (e.g. `#ifndef VIMAGE_GLOBALS` vnet_mod_register() `#else`
	// a direct constructor call `#endif` in a function): unifdef -UVIMAGE_GLOBALS.
	if (arms.defined.every((k) => !part!.globals.some((g) => inArm(g, k)))) {
		// At file scope, tokens here are declarations the index could not read (a damaged file): leave them.
		const depth = toks.reduce((d, t) => (t.start >= c.start ? d : t.text === '{' ? d + 1 : t.text === '}' ? d - 1 : d), 0);
		const stray = depth === 0 ? toks.find((t) => arms.defined.some((k) => t.start >= c.arms[k].start && t.end <= c.arms[k].end)) : undefined;
		if (stray) {
			ctx.report('warning', 'vnet-define/vimage-globals-content', stray.start,
				`this VIMAGE_GLOBALS block holds something other than variable declarations (\`${stray.text}\`): left unchanged`);
			return;
		}
		for (const k of arms.defined) {
			const arm = c.arms[k];
			if (arm.end > arm.start) ctx.deletions.push({ start: arm.start, end: arm.end, rule: RULE });
		}
		for (const arm of c.arms) ctx.deletions.push(wholeLines(arm.directive.start, arm.directive.end));
		ctx.deletions.push(wholeLines(c.endif!.start, c.endif!.end));
		ctx.report('note', 'vnet-define/unifdef', c.arms[0].directive.start, 'VIMAGE_GLOBALS resolved as undefined (as unifdef -UVIMAGE_GLOBALS would)');
		return;
	}
	for (const k of arms.defined) {
		const arm = c.arms[k];
		const globals = part!.globals.filter((g) => inArm(g, k));
		for (let t = tokenIndexAt(toks, arm.start); t < toks.length && toks[t].start < arm.end; t++) {
			if (!globals.some((g) => toks[t].start >= g.statement.start && toks[t].end <= g.statement.end)) {
				ctx.report('warning', 'vnet-define/vimage-globals-content', toks[t].start,
					`this VIMAGE_GLOBALS block holds something other than variable declarations (\`${toks[t].text}\`): left unchanged`);
				return;
			}
		}
		for (const stmt of statementsOf(globals)) {
			for (const g of stmt) {
				const owner = ctx.members.get(g.name);
				if (!owner && ctx.skipped.has(g.name)) {
					ctx.report('warning', 'vnet-define/vimage-globals-skipped', g.span.start,
						`${g.name} belongs to a module that is not migrated: this VIMAGE_GLOBALS block is left unchanged`);
					return;
				}
			}
			// Conditions inside the VIMAGE_GLOBALS arm (`#ifdef IPSTEALTH`) hold for the accessors too.
			const around = conditionsAt(file.text, file.lexed, stmt[0].statement.start);
			const within = around.slice(around.findIndex((x) => x.at === c.arms[0].directive.start) + 1);
			plans.push({ stmt, within, ...replaceStatement(ctx, stmt) });
		}
	}
	// Now edit: statements, the accessor block, the directive lines.
	const accessors: Array<{ name: string; within: Condition[] }> = [];
	let last = -1;
	for (const p of plans) {
		const first = p.stmt[0];
		for (const g of p.stmt) handled.add(key(g));
		const dropped = p.stmt.filter((g) => !ctx.members.has(g.name));
		for (const g of dropped) {
			ctx.report('note', 'vnet-define/non-member-removed', g.span.start,
				`${g.name} is declared under VIMAGE_GLOBALS but is no container member: removed (VIMAGE kernels never had it)`);
		}
		if (p.lines.length === 0) ctx.deletions.push(wholeLines(first.statement.start, first.statement.end));
		else ctx.edits.push(replacement(ctx, first.statement.start, first.statement.end, p.lines));
		accessors.push(...p.accessors.map((name) => {
			const m = ctx.members.get(name);
			if (!m?.alternatives.length) return { name, within: p.within };
			// One accessor for every arm of the conditional its definitions differ in.
			const shared = sharedConditions(m);
			return { name, within: shared.slice(shared.findIndex((x) => x.at === c.arms[0].directive.start) + 1) };
		}));
		if (p.lines.length) last = Math.max(last, first.statement.end);
	}
	if (last !== -1) {
		// After the whole arm (not its last statement, which may sit in a nested #if).
		const at = c.arms[arms.defined[0]].end;
		ctx.definitionsEnd ??= at;
		// style(9) groups: the definitions, an empty line, their accessors (and an empty line
		// before code that followed the block directly).
		const after = c.endif ? c.end : at;
		const glued = after < file.text.length && !isBlank(file.text.slice(after, lineEndOf(file.text, after)));
		if (accessors.length) insert(ctx, at, ['', ...conditionalAccessorDefines(ctx, accessors), ...(glued ? [''] : [])]);
	}
	if (arms.rest !== undefined) {
		// unifdef -UVIMAGE_GLOBALS of `#if A && defined(VIMAGE_GLOBALS)` keeps `#if A`.
		const open = c.arms[0].directive;
		const single = /^defined\((\w+)\)$/.exec(arms.rest);
		ctx.edits.push({ start: open.start, end: open.end, text: single ? `#ifdef ${single[1]}` : `#if ${arms.rest}`, rule: RULE });
		return;
	}
	for (const arm of c.arms) ctx.deletions.push(wholeLines(arm.directive.start, arm.directive.end));
	ctx.deletions.push(wholeLines(c.endif!.start, c.endif!.end));
}

function key(g: GlobalDeclaration): string {
	return `${g.span.start}:${g.name}`;
}

/** Plain definitions and externs of members outside VIMAGE_GLOBALS. */
function plainDeclarations(ctx: FileContext, handled: Set<string>): void {
	const { file, part } = ctx;
	for (const stmt of statementsOf(part!.globals.filter((g) => !handled.has(key(g)) && !g.vimageGlobals))) {
		const ours = stmt.filter((g) => ctx.members.has(g.name));
		if (ours.length === 0) continue;
		if (ours.length !== stmt.length) {
			ctx.report('warning', 'vnet-define/mixed-declaration', stmt[0].statement.start,
				`declaration mixes virtualized (${ours.map((g) => g.name).join(', ')}) and other variables: left unchanged`);
			continue;
		}
		const { lines, accessors } = replaceStatement(ctx, ours);
		const first = stmt[0];
		if (lines.length === 0) {
			ctx.deletions.push(wholeLines(first.statement.start, first.statement.end));
			for (const g of ours) {
				if (!g.definition) ctx.report('note', 'vnet-define/extern-removed', g.span.start, `extern ${g.name} names a symbol that no longer exists: removed`);
			}
			continue;
		}
		ctx.edits.push(replacement(ctx, first.statement.start, first.statement.end, lines));
		const here = accessors.filter((n) => !ctx.members.get(n)?.alternatives.length);
		if (here.length) insert(ctx, lineEndOf(file.text, first.statement.end), accessorDefines(here, oldColumn(ctx, here)));
		for (const n of accessors.filter((x) => !here.includes(x))) {
			// After the #endif of the conditional whose arms hold its definitions.
			const p = ctx.members.get(n)!;
			const split = p.site!.conditions[sharedConditions(p).length];
			const c = allConditionals(file.lexed).find((x) => x.arms[0].directive.start === split.at);
			insert(ctx, c?.endif ? c.end : lineEndOf(file.text, first.statement.end), accessorDefines([n], oldColumn(ctx, [n])));
		}
	}
}

/** Definitions for members nothing defined, in the file the plan placed them in. */
function placedDefinitions(ctx: FileContext): void {
	const placed = [...ctx.members.values()].filter((p) => p.placedIn === ctx.file.path);
	if (placed.length === 0) return;
	const at = ctx.definitionsEnd ?? afterIncludes(ctx);
	const lines: string[] = [];
	for (const p of placed) {
		const own: string[] = [];
		if (p.typedef?.file === ctx.file.path) own.push(p.typedef.line);
		own.push(...definitionLines(p, undefined, ctx));
		lines.push(...wrapInConditions(ctx, p, at, own));
		ctx.report('note', 'vnet-define/placed', at, `${p.member.name}: ${p.notes.join('; ')}`);
	}
	const localNames = placed.filter((p) => p.localDefine).map((p) => p.member.name);
	const defines = accessorDefines(localNames, oldColumn(ctx, localNames));
	if (ctx.definitionsEnd === undefined) {
		insert(ctx, at, ['', ...lines, ...defines]);
		return;
	}
	// With the block's definitions, before their accessors; the accessors join the block's.
	insert(ctx, at, lines, true);
	const list = ctx.insertions.get(at)!;
	let last = -1;
	list.forEach((l, k) => { if (l.startsWith('#define\tV_')) last = k; });
	if (last === -1) list.push('', ...defines);
	else list.splice(last + 1, 0, ...defines);
	if (defines.length && last !== -1) {
		// Realign the whole accessor block on one column.
		const names = list.filter((l) => l.startsWith('#define\tV_')).map((l) => /^#define\tV_(\w+)/.exec(l)![1]);
		const aligned = accessorDefines(names, oldColumn(ctx, names));
		let k = 0;
		for (let j = 0; j < list.length; j++) if (list[j].startsWith('#define\tV_')) list[j] = aligned[k++];
	}
}

/** Direct accesses and bare plain names become V_x (or VNET_VNET for another vnet). */
function accesses(ctx: FileContext): void {
	for (const d of ctx.part!.directAccesses) {
		const p = ctx.members.get(d.member);
		if (!p || p.member.containerTag !== containerOf(ctx, d)) continue;
		const text = d.kind === 'other-vnet' ? `VNET_VNET(${d.vnet}, ${d.member})` : `V_${d.member}`;
		ctx.edits.push({ start: d.span.start, end: d.span.end, text, rule: RULE });
	}
	const functions = ctx.part!.functions;
	for (const u of ctx.index.plainUses) {
		if (u.span.file !== ctx.file.path || !ctx.members.has(u.member)) continue;
		// Outside any function (`TUNABLE_INT("...", &x);` builds static data) VNET(x) is no
		// constant: the reference copy, which every new vnet starts from, is named instead.
		const fileScope = !functions.some((f) => u.span.start >= f.span.start && u.span.end <= f.span.end);
		const text = fileScope ? `VNET_NAME(${u.member})` : `V_${u.member}`;
		ctx.edits.push({ start: u.span.start, end: u.span.end, text, rule: RULE });
		ctx.report('note', 'vnet-define/plain-use', u.span.start, fileScope
			? `${u.member} used by its plain name outside any function (static data): now VNET_NAME(${u.member}), the reference copy every new vnet starts from`
			: `${u.member} used by its plain name (valid only without VIMAGE): now V_${u.member}`);
	}
}

/** With a saved kernel index (`--index`), a V_x that no index knows is reported. */
function unknownAccessors(ctx: FileContext): void {
	if (!ctx.index.external?.length) return;
	const known = knownAccessors(ctx.index);
	const toks = ctx.file.lexed.tokens;
	for (const [name] of Object.entries(ctx.part!.accessorUses)) {
		if (known.has(name)) continue;
		const t = toks.find((x) => x.text === name);
		ctx.report('warning', 'vnet-define/unknown-accessor', t?.start ?? 0,
			`${name} is neither defined in this tree nor in the saved index: left as it is`);
	}
}

const knownCache = new WeakMap<CorpusIndex, Set<string>>();
function knownAccessors(index: CorpusIndex): Set<string> {
	let s = knownCache.get(index);
	if (!s) {
		s = new Set<string>([...index.parts.flatMap((p) => p.accessorMacros.map((a) => a.name)), ...index.members.map((m) => `V_${m.name}`)]);
		for (const p of index.parts) for (const d of p.definedMacros) if (d.startsWith('V_')) s.add(d);
		knownCache.set(index, s);
	}
	return s;
}

/**
 * Every file that uses V_x must see a declaration and `#define V_x VNET(x)`:
 * its own definition, or a header it includes (directly or not; a deleted
 * container header no longer counts). Where none is visible, the file gets
 * an `#include` of the header that declares it, as the tree spells it
 * elsewhere, placed in its directory's group; failing that, a local
 * declaration. Both are reported.
 */
function visibility(ctx: FileContext, plan: MigrationPlan): void {
	const { file } = ctx;
	const seen = includedFiles(ctx.index, file.path, plan.deletedHeaders);
	const missing: MemberPlan[] = [];
	const plainUsed = new Set(ctx.index.plainUses.filter((u) => u.span.file === file.path).map((u) => u.member));
	for (const p of ctx.members.values()) {
		if (!usesMember(p.member, ctx.part!, plainUsed)) continue;
		const defFile = p.site?.span.file ?? p.placedIn;
		if (defFile === file.path && p.localDefine) continue;
		if (p.declarationFiles.some((f) => f === file.path || seen.has(f))) continue;
		missing.push(p);
	}
	if (missing.length === 0) return;
	const local: MemberPlan[] = [];
	const headers = new Map<string, { path: string; names: string[] }>();
	for (const p of missing) {
		const header = p.declarationFiles.find((f) => f.endsWith('.h') && !plan.deletedHeaders.has(f));
		const spelling = header ? includeSpelling(ctx.index, header) : undefined;
		if (header && spelling) {
			const entry = headers.get(header) ?? { path: spelling.path, names: [] };
			entry.names.push(`V_${p.member.name}`);
			headers.set(header, entry);
		} else local.push(p);
	}
	for (const { path, names } of headers.values()) {
		insert(ctx, includePosition(ctx, path, plan.deletedHeaders), [`#include <${path}>`], true);
		ctx.report('note', 'vnet-define/include-added', 0, `#include <${path}> added: it declares ${names.join(', ')}, which this file used through a container header`);
	}
	if (local.length === 0) return;
	const lines: string[] = [];
	for (const p of local) {
		const own = p.typedef && p.typedef.file !== file.path ? [p.typedef.line, declareLine(p)] : [declareLine(p)];
		lines.push(...wrapInConditions(ctx, p, 0, own));
		ctx.report('note', 'vnet-define/local-declaration', 0,
			`V_${p.member.name} is used here but no header this file includes declares it: declared locally`);
	}
	const localNames = local.map((p) => p.member.name);
	lines.push(...accessorDefines(localNames, oldColumn(ctx, localNames)));
	insert(ctx, ctx.definitionsEnd ?? afterIncludes(ctx), ctx.definitionsEnd === undefined ? ['', ...lines] : lines);
}

/**
 * Where `#include <path>` goes: in path order within its directory's group
 * (the includes of deleted headers, which go, not counted), else after the last include.
 */
function includePosition(ctx: FileContext, path: string, deletedHeaders: ReadonlySet<string>): number {
	const { file, part } = ctx;
	const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
	const top = part!.includes.filter((i) => i.system && conditionsAt(file.text, file.lexed, i.span.start).length === 0 &&
		!deletedHeaders.has(resolveInclude(ctx.index.files, file.path, i.path, i.system) ?? ''));
	const group = top.filter((i) => dir !== '' && i.path.startsWith(dir) && !i.path.slice(dir.length).includes('/'));
	const before = group.find((i) => i.path > path);
	if (before) return lineStartOf(file.text, before.span.start);
	const last = group[group.length - 1] ?? top[top.length - 1];
	return last ? lineEndOf(file.text, last.span.end) : afterIncludes(ctx);
}

function afterIncludes(ctx: FileContext): number {
	const includes = ctx.file.lexed.directives.filter((d) => d.name === 'include' && conditionsAt(ctx.file.text, ctx.file.lexed, d.start).length === 0);
	const last = includes[includes.length - 1];
	return last ? last.lineEnd : 0;
}

/**
 * `#include`s of deleted container headers go; a .c file that now uses
 * VNET_* and does not include <net/vnet.h> gets it, in its net/ group.
 */
function includes(ctx: FileContext, plan: MigrationPlan): void {
	const { file, part } = ctx;
	const top = part!.includes.filter((i) => conditionsAt(file.text, file.lexed, i.span.start).length === 0);
	let droppedContainerHeader = false;
	let hasFramework = false;
	for (const inc of part!.includes) {
		const target = resolveInclude(ctx.index.files, file.path, inc.path, inc.system);
		if (inc.path === FRAMEWORK_HEADER || target?.endsWith(`/${FRAMEWORK_HEADER}`)) hasFramework = true;
		if (target && plan.deletedHeaders.has(target)) {
			ctx.deletions.push({ start: inc.span.start, end: inc.span.end, rule: RULE });
			droppedContainerHeader = true;
		}
	}
	if (hasFramework || !file.path.endsWith('.c')) return;
	const accessors = new Set([...ctx.members.values()].map((p) => p.member.accessor?.name ?? `V_${p.member.name}`));
	const usesVnet = ctx.edits.some((e) => e.text.includes('VNET')) || ctx.insertions.size > 0 ||
		Object.keys(part!.accessorUses).some((a) => accessors.has(a));
	if (!usesVnet) return;
	// In path order within the net/ group; else after the sys/ group; else after the last include.
	const net = top.filter((i) => i.system && i.path.startsWith('net/'));
	const after = net.filter((i) => i.path < FRAMEWORK_HEADER);
	const before = net.find((i) => i.path > FRAMEWORK_HEADER);
	let at: number;
	if (after.length) at = lineEndOf(file.text, after[after.length - 1].span.end);
	else if (before) at = lineStartOf(file.text, before.span.start);
	else {
		// No net/ group yet: a new one after the sys/ group (or the last include).
		const sys = top.filter((i) => i.system && i.path.startsWith('sys/'));
		const anchor = sys[sys.length - 1] ?? top[top.length - 1];
		if (!anchor) return;
		at = lineEndOf(file.text, anchor.span.end);
		insert(ctx, at, ['', `#include <${FRAMEWORK_HEADER}>`], true);
		ctx.report('note', 'vnet-define/include-added', at, `#include <${FRAMEWORK_HEADER}> added: the file now uses VNET_*${droppedContainerHeader ? ' and its container header is gone' : ''}`);
		return;
	}
	insert(ctx, at, [`#include <${FRAMEWORK_HEADER}>`], true);
	ctx.report('note', 'vnet-define/include-added', at,
		`#include <${FRAMEWORK_HEADER}> added: the file now uses VNET_*${droppedContainerHeader ? ' and its container header is gone' : ''}`);
}

/** Accessor lines, each run of names sharing the conditions of their definitions wrapped in them. */
function conditionalAccessorDefines(ctx: FileContext, entries: Array<{ name: string; within: Condition[] }>): string[] {
	const names = entries.map((e) => e.name);
	const lines = accessorDefines(names, oldColumn(ctx, names));
	const opening = (w: Condition[]) => w.map((x) => (x.armIndex === 0 ? x.directive : `#if ${x.expr}`));
	const out: string[] = [];
	for (let k = 0; k < entries.length;) {
		const open = opening(entries[k].within);
		let j = k;
		while (j < entries.length && opening(entries[j].within).join('\n') === open.join('\n')) j++;
		out.push(...open, ...lines.slice(k, j), ...open.map(() => '#endif'));
		k = j;
	}
	return out;
}

/** The value column the members' old accessor macros were mostly aligned on (0: none). */
function oldColumn(ctx: FileContext, names: string[]): number {
	const counts = new Map<number, number>();
	for (const n of names) {
		const c = ctx.members.get(n)?.member.accessor?.column;
		if (c) counts.set(c, (counts.get(c) ?? 0) + 1);
	}
	let best = 0;
	for (const [c, k] of counts) if (k > (counts.get(best) ?? 0) || (k === counts.get(best) && c > best)) best = c;
	return best;
}

/** The container struct tag a direct access goes through. */
function containerOf(ctx: FileContext, d: { kind: string; via: string }): string | undefined {
	for (const m of ctx.index.modules) {
		if (d.kind === 'other-vnet' && d.via === m.containerTag) return m.containerTag;
		if ((d.kind === 'vsym' || d.kind === 'container-pointer' || d.kind === 'fallback') && d.via === m.containerSymbol) return m.containerTag;
		if (d.kind === 'accessor-macro' && d.via === m.accessorMacro) return m.containerTag;
	}
	return undefined;
}

/** The container header loses the struct and the old accessors; registration loses size and symbol map. */
function containerCleanup(ctx: FileContext, migratedModules: ModulePlan[], index: CorpusIndex): void {
	const { file, part } = ctx;
	const toks = file.lexed.tokens;
	const modules = migratedModules.map((m) => m.module);
	const tags = new Set(modules.map((m) => m.containerTag));
	for (const c of part!.containers) {
		if (!tags.has(c.tag)) continue;
		const k = tokenIndexAt(toks, c.span.end);
		const end = toks[k]?.text === ';' ? toks[k].end : c.span.end;
		const declared = [...ctx.members.values()].filter((p) => p.declareInContainer && p.member.containerTag === c.tag);
		if (declared.length === 0) {
			ctx.deletions.push({ start: c.span.start, end, rule: RULE, withHeading: true });
			continue;
		}
		// Members declared nowhere else are declared here, where the struct was.
		const lines: string[] = [];
		for (const p of declared) {
			const own = p.typedef?.file === file.path ? [p.typedef.line, declareLine(p)] : [declareLine(p)];
			lines.push(...wrapInConditions(ctx, p, c.span.start, own));
		}
		const declaredNames = declared.map((p) => p.member.name);
		lines.push('', ...accessorDefines(declaredNames, oldColumn(ctx, declaredNames)));
		ctx.edits.push({ start: c.span.start, end, text: lines.join('\n'), rule: RULE });
	}
	const removedMacros = new Set<string>();
	for (const m of modules) {
		if (m.accessorMacro) removedMacros.add(m.accessorMacro);
		if (m.modAlias) removedMacros.add(m.modAlias);
		// The size guard's constant goes with the guard.
		removedMacros.add(`SIZEOF_${m.containerSymbol}`);
	}
	for (const p of ctx.members.values()) if (p.member.accessor) removedMacros.add(p.member.accessor.name);
	for (const d of file.lexed.directives) {
		if (d.name === 'define' && d.tokens[0] && removedMacros.has(d.tokens[0].text)) ctx.deletions.push({ start: d.start, end: d.end, rule: RULE, withHeading: true });
	}
	// Other V_ macros over a removed container (dead members, names of no member) go too.
	const accessorMacros = new Set(modules.map((m) => m.accessorMacro).filter(Boolean));
	const symbols = new Set(modules.map((m) => m.containerSymbol));
	for (const a of part!.accessorMacros) {
		if (removedMacros.has(a.name)) continue;
		if (accessorMacros.has(a.via) || (a.via === 'VSYM' && a.containerSymbol && symbols.has(a.containerSymbol))) {
			ctx.deletions.push({ start: a.span.start, end: a.span.end, rule: RULE });
			const p = [...ctx.index.members].find((m) => m.name === a.member);
			ctx.report('note', 'vnet-define/accessor-removed', a.span.start,
				p?.dead ? `${a.name}: accessor of dead member ${a.member}, removed with it` : `${a.name} names ${a.member}, which is no member: removed with its container`);
		}
	}
	// Local pointers to another vnet's container go once their uses are VNET_VNET().
	for (const cp of part!.containerPointers) {
		if (tags.has(cp.tag)) for (const st of cp.statements) ctx.deletions.push({ start: st.start, end: st.end, rule: RULE });
	}
	// Other uses of a removed container's type cannot be migrated mechanically.
	const removedSpans = [
		...part!.modinfos.flatMap((mi) => ['vmi_size', 'vmi_symmap'].map((f) => mi.fields[f]?.span).filter(Boolean)),
		...part!.ctasserts.map((c) => c.span),
		...part!.directAccesses.map((d) => d.span),
		...part!.containerPointers.filter((cp) => tags.has(cp.tag)).flatMap((cp) => cp.statements),
		...part!.globals.filter((g) => modules.some((m) => g.name === `${m.containerSymbol}_0`)).map((g) => g.statement),
	] as Array<{ start: number; end: number }>;
	for (const r of part!.structRefs) {
		if (!tags.has(r.name) || removedSpans.some((x) => r.span.start >= x.start && r.span.end <= x.end)) continue;
		ctx.report('warning', 'vnet-define/container-reference', r.span.start,
			`struct ${r.name} is used here, but the migration removes it: rewrite this use by hand (e.g. VNET_VNET(vnet, x) for another vnet's copy)`);
	}
	const fallbacks = new Set(modules.map((m) => `${m.containerSymbol}_0`));
	for (const g of part!.globals) {
		if (fallbacks.has(g.name)) ctx.deletions.push({ start: g.statement.start, end: g.statement.end, rule: RULE, withHeading: true });
	}
	for (const a of part!.ctasserts) {
		if (a.args.some((x) => [...tags].some((t) => x.includes(t)))) ctx.deletions.push({ start: a.span.start, end: a.span.end, rule: RULE, withHeading: true });
	}
	for (const t of part!.symmaps) {
		if (t.entries.every((e) => modules.some((m) => m.name === e.module))) ctx.deletions.push({ start: t.span.start, end: t.span.end, rule: RULE, withHeading: true });
	}
	const modinfos = new Set(modules.map((m) => m.modinfo).filter(Boolean));
	for (const mi of part!.modinfos) {
		if (!modinfos.has(mi.name) && !index.modules.every((m) => tags.has(m.containerTag))) continue;
		for (const field of ['vmi_size', 'vmi_symmap']) {
			const f = mi.fields[field];
			if (!f) continue;
			const k = tokenIndexAt(toks, f.span.end);
			const end = toks[k]?.text === ',' ? toks[k].end : f.span.end;
			ctx.deletions.push({ start: f.span.start, end, rule: RULE });
		}
	}
}

export const transform: Transform = {
	name: RULE,
	description: 'container members become VNET_DEFINE/VNET_DECLARE with V_ accessors over VNET()',
	tokens: ['VIMAGE_GLOBALS', 'vnet_', 'VNET_', 'VSYM', 'V_'],
	usesIndex: true,
	run: vnetDefine,
};

/** jscodeshift entry point (see src/jscodeshift.ts). */
export default toJscodeshift(vnetDefine);
