/*
 * Static initializers restored from constructors (spec §3.4, §4): which
 * constant assignments move into their variable's VNET_DEFINE, and why each
 * other one stays. A move must keep every vnet's initial state, or be the
 * deliberate change the 2009 hand migration made (constants assigned in a
 * MOD_LOAD case or a SYSINIT function now initialize every vnet), reported
 * as such. Decided once per index; vnet-define writes the initializers and
 * static-init removes the statements, so both agree.
 */
import type { Assignment, ConstructorKind, CorpusIndex, MemberInfo } from '../index/types';
import { MigrationPlan, migratedMembers } from './members';

export type PlacedAssignment = Assignment & { constructor: string; kind: ConstructorKind };

export interface InitDecision {
	member: MemberInfo;
	/** The initializer for VNET_DEFINE, when one is added. */
	initializer?: string;
	/** Statements removed from their constructor. */
	moved: Array<{ assignment: PlacedAssignment; rule: string }>;
	kept: Array<{ assignment: PlacedAssignment; reason: string }>;
	/** A deliberate behaviour change to list (MOD_LOAD / SYSINIT constants now in every vnet). */
	behaviourChange?: string;
}

const PER_VNET: ReadonlySet<ConstructorKind> = new Set(['iattach', 'called-from-iattach', 'pr-init', 'named']);
const ONCE: ReadonlySet<ConstructorKind> = new Set(['mod-load', 'sysinit']);
const ZERO = new Set(['0', 'NULL', '0L', '0U', '0UL', '0x0', '(0)', '0.0']);

const cache = new WeakMap<CorpusIndex, Map<string, InitDecision>>();

export function planInitializers(index: CorpusIndex, plan: MigrationPlan): Map<string, InitDecision> {
	let decisions = cache.get(index);
	if (!decisions) {
		decisions = new Map();
		for (const p of migratedMembers(plan)) {
			// An assignment under the same #if as the definition counts as unconditional.
			const allowed = new Set([...(p.site?.conditions ?? []), ...p.member.conditions].map((c) => c.expr));
			decisions.set(p.member.name, decide(p.member, p.site?.initializer, allowed));
		}
		cache.set(index, decisions);
	}
	return decisions;
}

export function isZero(value: string): boolean {
	return ZERO.has(value.replace(/\s+/g, ''));
}

function decide(m: MemberInfo, existing: string | undefined, allowedConditions: ReadonlySet<string>): InitDecision {
	const d: InitDecision = { member: m, moved: [], kept: [] };
	const all = m.assignments as PlacedAssignment[];
	const keep = (a: PlacedAssignment, reason: string) => d.kept.push({ assignment: a, reason });
	for (const a of all.filter((x) => x.kind === 'mod-unload')) keep(a, 'a reset in a MOD_UNLOAD case');
	const candidates = all.filter((x) => x.kind !== 'mod-unload');
	const constructors = new Set(candidates.map((a) => a.constructor));
	if (constructors.size > 1) {
		for (const a of candidates) keep(a, `assigned in several constructors (${[...constructors].join(', ')}): their order is not provable`);
		return d;
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

function ruleFor(a: PlacedAssignment): string {
	const zero = isZero(a.value) ? '; zero, so no initializer is written (storage starts zeroed)' : '';
	return `constant, unconditional, first use in ${a.constructor} (${a.kind})${zero}`;
}
