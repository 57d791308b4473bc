/*
 * Static initializers restored from constructors (spec §3.4, §4): which
 * constant assignments move into their variable's VNET_DEFINE, and why each
 * other one stays. A move must keep every vnet's initial state, or be the
 * deliberate change the 2009 hand migration made (constants assigned in a
 * MOD_LOAD case or a SYSINIT function now initialize every vnet), reported
 * as such. Decided once per index; vnet-define writes the initializers and
 * static-init removes the statements, so both agree.
 */
import type { Assignment, ConstructorKind, CorpusIndex, FileIndex, GlobalDeclaration, MacroDefinition, MemberInfo } from '../index/types';
import { partOf } from '../index/corpus-index';
import { lex } from '../lex/lexer';
import { MemberPlan, MigrationPlan, migratedMembers } from './members';

export type PlacedAssignment = Assignment & { constructor: string; kind: ConstructorKind; via?: string };

export interface InitDecision {
	member: MemberInfo;
	/** The initializer for VNET_DEFINE, when one is added. */
	initializer?: string;
	/**
	 * An `#if X` / `V_x = a;` / `#else` / `V_x = b;` / `#endif` pair at the top of a
	 * constructor: the definition becomes the same conditional, one initializer per arm.
	 */
	conditional?: { directive: string; values: [string | undefined, string | undefined] };
	/** Statements removed from their constructor. */
	moved: Array<{ assignment: PlacedAssignment; rule: string }>;
	kept: Array<{ assignment: PlacedAssignment; reason: string }>;
	/** A deliberate behaviour change to list (MOD_LOAD / SYSINIT constants now in every vnet). */
	behaviourChange?: string;
	/** #defines the initializer uses that move up above the definition. */
	hoist?: MacroHoist;
}

const PER_VNET: ReadonlySet<ConstructorKind> = new Set(['iattach', 'called-from-iattach', 'pr-init', 'named']);
const ONCE: ReadonlySet<ConstructorKind> = new Set(['mod-load', 'sysinit']);
const ZERO = new Set(['0', 'NULL', '0L', '0U', '0UL', '0x0', '(0)', '0.0']);

const cache = new WeakMap<CorpusIndex, Map<string, InitDecision>>();

export function planInitializers(index: CorpusIndex, plan: MigrationPlan): Map<string, InitDecision> {
	let decisions = cache.get(index);
	if (!decisions) {
		decisions = new Map();
		const calls = callOffset(index);
		for (const p of migratedMembers(plan)) {
			// An assignment under the same #if as the definition counts as unconditional.
			const allowed = new Set([...(p.site?.conditions ?? []), ...p.member.conditions].map((c) => c.expr));
			decisions.set(p.member.name, decide(p.member, p.site?.initializer, allowed, calls));
		}
		placeLateMacros(index, plan, decisions);
		cache.set(index, decisions);
	}
	return decisions;
}

/**
 * Macro definitions that move up the file, in one block, to just before the
 * variable definitions whose restored initializers use them (in_rmx.c's
 * `RTQ_*`): the definitions cannot move below them since the file refers to
 * the variables in between.
 */
export interface MacroHoist {
	file: string;
	/** Offset (a line start) the block goes before. */
	to: number;
	macros: MacroDefinition[];
}

/**
 * A restored initializer that uses a macro defined further down the file
 * needs one of: the definition moved below that #define (vnet-define does it,
 * as the 2009 migration moved max_gif_nesting), when nothing between refers
 * to the variable; else the macro's paragraph of #defines moved up above the
 * definition, when nothing between mentions them; else the assignment stays
 * in its constructor. Members are taken in file order, so a block moved for
 * one serves the later ones.
 */
function placeLateMacros(index: CorpusIndex, plan: MigrationPlan, decisions: Map<string, InitDecision>): void {
	const byFile = new Map<string, MemberPlan[]>();
	for (const p of migratedMembers(plan)) {
		const d = decisions.get(p.member.name);
		if (d?.initializer === undefined || !p.site || p.site.initializer !== undefined) continue;
		byFile.set(p.site.span.file, [...(byFile.get(p.site.span.file) ?? []), p]);
	}
	for (const [file, members] of byFile) {
		const part = partOf(index, file);
		if (!part) continue;
		const hoists: MacroHoist[] = [];
		for (const p of members.sort((a, b) => a.site!.statement.start - b.site!.statement.start)) {
			const d = decisions.get(p.member.name)!;
			const site = p.site!;
			const names = new Set(lex(d.initializer!).tokens.filter((t) => t.kind === 'ident').map((t) => t.text));
			const hoisted = new Set(hoists.filter((h) => h.to <= site.statement.start).flatMap((h) => h.macros.map((m) => m.name)));
			const late = part.macroDefinitions.filter((m) => names.has(m.name) && !hoisted.has(m.name) && m.span.start > site.statement.end);
			if (late.length === 0) continue;
			const last = late[late.length - 1];
			const reference = firstReferenceAfter(index, part, p, site.statement.end);
			if (reference === undefined || reference.offset > last.span.start) continue; // vnet-define moves the definition down
			const hoist = macroHoist(part, site, late);
			if (hoist) {
				hoists.push(hoist);
				d.hoist = hoist;
				continue;
			}
			for (const m of d.moved) {
				d.kept.push({ assignment: m.assignment, reason: `its value uses ${last.name}, defined only after ${reference.what} at line ${reference.line} refers to the variable, and that #define cannot move up` });
			}
			d.moved = [];
			delete d.initializer;
			delete d.behaviourChange;
		}
	}
}

/** The first thing after `from` in the defining file that refers to the member. */
function firstReferenceAfter(index: CorpusIndex, part: FileIndex, p: MemberPlan, from: number): { offset: number; line: number; what: string } | undefined {
	const name = p.member.name;
	const found: Array<{ offset: number; line: number; what: string }> = [];
	for (const s of part.sysctls) if (s.symbol === name && s.span.start > from) found.push({ offset: s.span.start, line: s.span.line, what: 'a sysctl' });
	for (const a of part.directAccesses) if (a.member === name && a.span.start > from) found.push({ offset: a.span.start, line: a.span.line, what: 'an access' });
	for (const u of index.plainUses) if (u.member === name && u.span.file === part.file && u.span.start > from) found.push({ offset: u.span.start, line: u.span.line, what: 'a use' });
	const accessor = p.member.accessor?.name ?? `V_${name}`;
	const first = part.accessorFirstUse?.[accessor];
	if (first !== undefined && first > from) found.push({ offset: first, line: 0, what: `a use of ${accessor}` });
	return found.sort((a, b) => a.offset - b.offset)[0];
}

/**
 * The block of #defines to move above `site`: the paragraph holding the late
 * macros (or, failing that, the late macros alone) with every macro of the
 * file their bodies use that is defined between; each unconditional, its name
 * not mentioned between its new and old places. The site must be plain or
 * only under `#ifdef VIMAGE_GLOBALS` (the block goes above that #ifdef).
 */
function macroHoist(part: FileIndex, site: GlobalDeclaration, late: MacroDefinition[]): MacroHoist | undefined {
	const vimageGlobals = site.conditions.filter((c) => c.expr === 'defined(VIMAGE_GLOBALS)');
	if (vimageGlobals.length !== site.conditions.length) return undefined;
	const to = vimageGlobals[0]?.at ?? site.statement.start;
	const defs = part.macroDefinitions;
	const close = (start: MacroDefinition[]): MacroDefinition[] | undefined => {
		const chosen = new Set(start);
		for (const m of chosen) {
			for (const b of m.body) {
				const dep = defs.find((x) => x.name === b && x.span.start > to);
				if (dep) chosen.add(dep);
			}
		}
		const list = [...chosen].sort((a, b) => a.span.start - b.span.start);
		// A mention before `to` stays before; one inside another moved macro moves along, in order.
		const ok = list.every((m) => !m.conditional && (m.mentionsBefore ?? []).every((at) => at < to ||
			list.some((o) => o !== m && at >= o.span.start && at < o.span.end)));
		return ok ? list : undefined;
	};
	const paragraphs = new Set(late.map((m) => m.paragraph));
	const macros = close(defs.filter((m) => paragraphs.has(m.paragraph) && m.span.start > to)) ?? close(late);
	return macros ? { file: part.file, to, macros } : undefined;
}

export function isZero(value: string): boolean {
	return ZERO.has(value.replace(/\s+/g, ''));
}

/** Where `caller` calls `callee` at top level (the first such call), if it does. */
type CallOffset = (caller: string, callee: string) => number | undefined;

function callOffset(index: CorpusIndex): CallOffset {
	const fns = new Map(index.parts.flatMap((p) => p.functions).map((f) => [f.name, f]));
	return (caller, callee) => {
		const f = fns.get(caller);
		const k = f ? f.calls.indexOf(callee) : -1;
		return k >= 0 ? f!.callOffsets[k] : undefined;
	};
}

function decide(m: MemberInfo, existing: string | undefined, allowedConditions: ReadonlySet<string>, callAt: CallOffset): InitDecision {
	const d: InitDecision = { member: m, moved: [], kept: [] };
	const all = m.assignments as PlacedAssignment[];
	const keep = (a: PlacedAssignment, reason: string) => d.kept.push({ assignment: a, reason });
	for (const a of all.filter((x) => x.kind === 'mod-unload')) keep(a, 'a reset in a MOD_UNLOAD case');
	let candidates = all.filter((x) => x.kind !== 'mod-unload');
	const constructors = new Set(candidates.map((a) => a.constructor));
	if (constructors.size > 1) {
		// Provable only when one constructor assigns it before calling all the others.
		const root = [...constructors].find((c) => {
			const first = candidates.filter((a) => a.constructor === c).sort((x, y) => x.order - y.order)[0];
			return [...constructors].every((o) => o === c || candidates.filter((a) => a.constructor === o).every((a) =>
				a.kind === 'called-from-iattach' && a.via === c && (callAt(c, o) ?? -1) > first.statement.start));
		});
		if (!root) {
			for (const a of candidates) keep(a, `assigned in several constructors (${[...constructors].join(', ')}): their order is not provable`);
			return d;
		}
		for (const a of candidates.filter((x) => x.constructor !== root)) keep(a, `after another use of the variable (${root} assigns it before calling ${a.constructor})`);
		candidates = candidates.filter((x) => x.constructor === root);
	}
	const whole = candidates.filter((a) => a.field === undefined && a.index === undefined);
	const fields = candidates.filter((a) => a.field !== undefined && a.index === undefined);
	const elements = candidates.filter((a) => a.index !== undefined);
	for (const a of elements) keep(a, 'an array element');

	const movable = (a: PlacedAssignment): string | undefined => {
		if (a.operator !== '=') return `a compound assignment (${a.operator})`;
		if (!a.constant) return `not a constant: ${a.constantNote ?? 'computed'}`;
		if (a.conditional) return `conditional (${a.conditional})`;
		const other = a.conditions.filter((c) => !allowedConditions.has(c.expr));
		if (other.length) return `under an #if its definition lacks (${other.map((c) => c.expr).join(' && ')})`;
		if (!PER_VNET.has(a.kind) && !ONCE.has(a.kind)) return `in a ${a.kind} function`;
		return undefined;
	};

	const pair = conditionalPair(whole, allowedConditions, existing);
	if (pair && !fields.length) {
		for (const a of pair.assignments) {
			d.moved.push({ assignment: a, rule: `constant, opening one arm of an #if/#else pair in ${a.constructor} (${a.kind}): into the same conditional around the definitions` });
		}
		for (const a of whole.filter((x) => !pair.assignments.includes(x))) keep(a, 'after another use of the variable in its constructor');
		d.conditional = { directive: pair.directive, values: pair.assignments.map((a) => (isZero(a.value) ? undefined : a.value)) as [string | undefined, string | undefined] };
		return d;
	}
	if (whole.length && fields.length) {
		for (const a of [...whole, ...fields]) keep(a, 'both the variable and its fields are assigned');
		return d;
	}
	if (whole.length) {
		const [first, ...rest] = [...whole].sort((x, y) => x.order - y.order);
		const why = first.usesBefore > 0 ? 'after another use of the variable in its constructor' : movable(first);
		if (why) keep(first, why);
		else if (existing !== undefined && existing !== first.value) keep(first, `its definition already has another initializer (= ${existing})`);
		else {
			d.moved.push({ assignment: first, rule: ruleFor(first) });
			if (!isZero(first.value) && existing === undefined) d.initializer = first.value;
		}
		for (const a of rest) keep(a, 'after another use of the variable in its constructor');
	} else if (fields.length) {
		// Consecutive field assignments opening the constructor's use of the struct.
		const sorted = [...fields].sort((x, y) => x.order - y.order);
		const group: PlacedAssignment[] = [];
		for (const [k, a] of sorted.entries()) {
			if (a.usesBefore !== k || a.field!.includes('.') || movable(a) || group.some((g) => g.field === a.field)) break;
			group.push(a);
		}
		if (existing !== undefined) group.length = 0;
		for (const a of sorted) {
			if (group.includes(a)) d.moved.push({ assignment: a, rule: `${ruleFor(a)}, into a designated initializer` });
			else keep(a, a.field!.includes('.') ? 'a nested struct field' : movable(a) ?? 'a struct field outside the leading group of constant field assignments');
		}
		const nonZero = group.filter((a) => !isZero(a.value));
		if (nonZero.length) d.initializer = `{ ${nonZero.map((a) => `.${a.field} = ${a.value}`).join(', ')} }`;
	}
	const once = d.moved.find((x) => ONCE.has(x.assignment.kind));
	if (once) {
		d.behaviourChange = `${m.name} was set in ${once.assignment.constructor} (${once.assignment.kind}), which ran once, for the vnet current at load; ` +
			'as a static initializer every vnet now starts with it, as the 2009 hand migration chose';
	}
	return d;
}

/** Two constant assignments opening the two arms of one `#if`/`#else` the definition lacks. */
function conditionalPair(whole: PlacedAssignment[], allowed: ReadonlySet<string>, existing: string | undefined) {
	if (whole.length < 2 || existing !== undefined) return undefined;
	// The first two assignments; later ones stay where they are.
	const [a, b] = [...whole].sort((x, y) => x.order - y.order);
	const extra = (x: PlacedAssignment) => x.conditions.filter((c) => !allowed.has(c.expr));
	const [ca, cb] = [extra(a), extra(b)];
	if (ca.length !== 1 || cb.length !== 1 || ca[0].at !== cb[0].at || ca[0].arms !== 2 || ca[0].armIndex !== 0 || cb[0].armIndex !== 1) return undefined;
	if (a.constructor !== b.constructor || !PER_VNET.has(a.kind)) return undefined;
	const ok = (x: PlacedAssignment, uses: number) => x.constant && !x.conditional && x.operator === '=' && x.usesBefore === uses;
	if (!ok(a, 0) || !ok(b, 1)) return undefined;
	return { directive: ca[0].directive, assignments: [a, b] };
}

function ruleFor(a: PlacedAssignment): string {
	const zero = isZero(a.value) ? '; zero, so no initializer is written (storage starts zeroed)' : '';
	return `constant, unconditional, first use in ${a.constructor} (${a.kind})${zero}`;
}
