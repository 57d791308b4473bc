/*
 * verify: proof, from an old tree's index and a migrated tree's index, that
 * nothing was lost (allocator-model.md §3, vimage-migration.md §4):
 *   - completeness: every live container member has exactly one
 *     VNET_DEFINE, of the same type (modulo the documented spellings:
 *     a typedef for a function pointer, a tag for an anonymous queue head);
 *   - resolution: every V_x used sees `#define V_x VNET(x)` and a
 *     declaration or definition of x, in the file or a header it includes;
 *   - no old-design construct remains;
 *   - initial state: for each variable, the value a new vnet starts with
 *     (old: zero, then its constructors; new: the static initializer, then
 *     the constructors left) is equal, with assignments that are not
 *     constants compared symbolically; a MOD_LOAD/SYSINIT constant made a
 *     static initializer is listed as the deliberate change it is.
 *   - sizes: each variable's size, from the tree's type definitions, equal
 *     in both trees; module-space fit: each module's set loaded into the
 *     reserve by the allocator model (src/verify/layout.ts).
 */
import { canonicalType } from '../index/ctypes';
import { constructorsOf } from '../index/corpus-index';
import { includedFiles } from '../index/includes';
import type { Assignment, ConstructorKind, CorpusIndex, FileIndex, MemberInfo, VnetDefinition } from '../index/types';
import type { ReserveOption } from '../model/allocator';
import { Arch, isUnknown } from '../model/layout';
import { layoutTree, LayoutReport, memberSizes, ModuleDir, TreeTypes } from './layout';

export type FindingSeverity = 'error' | 'warning' | 'note';

export interface Finding {
	severity: FindingSeverity;
	code: string;
	message: string;
	variable?: string;
	file?: string;
	line?: number;
}

export interface VerifyResult {
	ok: boolean;
	checked: { members: number; definitions: number; accessorUses: number; variables: number };
	findings: Finding[];
	behaviourChanges: string[];
	/** Sizes, offsets and module-space figures on `layout.arch`. */
	layout: LayoutReport;
}

export interface VerifyOptions {
	/** amd64 (default) or i386. */
	arch?: Arch;
	reserve?: ReserveOption;
	/** Directories of loadable modules (a Makefile with `KMOD=`), relative like the new index's files. */
	modules?: readonly ModuleDir[];
}

const PER_VNET: ReadonlySet<ConstructorKind> = new Set(['iattach', 'called-from-iattach', 'pr-init', 'named']);
const ONCE: ReadonlySet<ConstructorKind> = new Set(['mod-load', 'sysinit']);

type Placed = Assignment & { kind: ConstructorKind; constructor: string; root: string; callAt?: number };

/** The type spellings the migration may use for a member, canonicalized. */
function acceptedTypes(m: MemberInfo): Set<string> {
	const bounds = m.type.bounds.map((b) => `[${b}]`).join('');
	const out = new Set([canonicalType(m.type)]);
	if (m.type.functionPointer) out.add(`${m.name}_t *${bounds}`);
	const q = m.type.queueMacro;
	if (q && q.tag === null) {
		out.add(`struct ${m.name}_head ${bounds}`.trim());
		out.add(`${q.macro}(${m.name}_head, ${q.element}) ${bounds}`.trim());
	}
	return out;
}

function definitionType(d: VnetDefinition): string {
	const bounds = d.bounds.map((b) => `[${b}]`).join('');
	// Same canonical form as the index uses for members: specifier, stars, bounds.
	const stars = d.type.match(/\*+\s*$/)?.[0].replace(/\s/g, '') ?? '';
	const spec = d.type.replace(/\*+\s*$/, '').trim();
	return canonicalType({ text: d.type, specifier: spec, qualifiers: [], pointers: stars.length, bounds: d.bounds, ...queueOf(spec) }).replace(/\s+$/, '') || `${d.type}${bounds}`;
}

function queueOf(spec: string): { queueMacro?: { macro: string; tag: string | null; element: string } } {
	const open = spec.indexOf('(');
	if (open < 0 || !spec.endsWith(')') || !/_(HEAD|ENTRY)$/.test(spec.slice(0, open))) return {};
	const [tag, element] = spec.slice(open + 1, -1).split(',').map((x) => x.trim());
	return { queueMacro: { macro: spec.slice(0, open), tag: tag || null, element: element ?? '' } };
}

/** Definitions that sit in distinct arms of one conditional: one per configuration, not duplicates. */
function alternatives(defs: VnetDefinition[]): { at: number } | undefined {
	const arms = defs.map((d) => d.conditions.find((c) => defs.every((o) => o.conditions.some((x) => x.at === c.at))));
	if (arms.some((c) => !c)) return undefined;
	const at = arms[0]!.at;
	const used = new Set(defs.map((d) => d.conditions.find((c) => c.at === at)!.armIndex));
	return used.size === defs.length ? { at } : undefined;
}

/** A variable's state after a sequence of assignments, as comparable text. */
function simulate(initial: string, assignments: Placed[], unconditional: ReadonlySet<string> = new Set()): string {
	let whole = initial;
	const fields = new Map<string, string>();
	if (whole.startsWith('{') && whole.endsWith('}')) {
		for (const part of whole.slice(1, -1).split(',')) {
			const [k, ...v] = part.split('=');
			if (k.trim().startsWith('.')) fields.set(k.trim().slice(1), v.join('=').trim());
		}
		whole = '0';
	}
	const history: string[] = [];
	for (const a of assignments) {
		// Under the same #if as the variable's definition counts as unconditional.
		const definite = a.constant && !a.conditional && a.conditions.every((c) => unconditional.has(c.expr)) && a.operator === '=';
		if (a.index !== undefined || !definite) {
			const target = `${a.field ? `.${a.field}` : ''}${a.index !== undefined ? `[${a.index}]` : ''}`;
			history.push(`${a.conditional || a.conditions.length ? 'maybe ' : ''}${target ? `${target} ` : ''}${a.operator} ${a.value}`);
			continue;
		}
		if (a.field) fields.set(a.field, a.value);
		else {
			whole = a.value;
			fields.clear();
			history.length = 0;
		}
	}
	const base = fields.size ? `{ ${[...fields].map(([k, v]) => `.${k} = ${v}`).join(', ')} }` : whole;
	const normal = base === 'NULL' || base === '0L' || base === '0U' ? '0' : base;
	return history.length ? `${normal}, then ${history.join('; ')}` : normal;
}

/** In execution order: a called init function's statements run where its caller calls it. */
function ordered(list: Placed[]): Placed[] {
	const key = (a: Placed): [string, number, number] => (a.callAt !== undefined ? [a.root, a.callAt, a.statement.start] : [a.root, a.statement.start, 0]);
	return [...list].sort((a, b) => {
		const [ra, pa, sa] = key(a);
		const [rb, pb, sb] = key(b);
		return ra < rb ? -1 : ra > rb ? 1 : pa - pb || sa - sb;
	});
}

function assignmentsByVariable(index: CorpusIndex): Map<string, Placed[]> {
	const out = new Map<string, Placed[]>();
	const fns = new Map(index.parts.flatMap((p) => p.functions).map((f) => [f.name, f]));
	for (const c of constructorsOf(index.parts, [])) {
		const caller = c.kind === 'called-from-iattach' && c.via ? fns.get(c.via) : undefined;
		const k = caller ? caller.calls.indexOf(c.function) : -1;
		for (const a of c.assignments) {
			const list = out.get(a.variable) ?? [];
			list.push({ ...a, kind: c.kind, constructor: c.function, root: caller ? c.via! : c.function, ...(k >= 0 ? { callAt: caller!.callOffsets[k] } : {}) });
			out.set(a.variable, list);
		}
	}
	return out;
}

/**
 * `reported`: with `--verify`, the warnings the migration itself gave (sites
 * it left for the developer). An old construct that one of them names, in
 * the same file, is listed as reported work, not failed. Lines are not
 * compared: the migration moved them.
 */
export function verifyIndexes(
	oldIndex: CorpusIndex,
	newIndex: CorpusIndex,
	reported?: ReadonlyArray<{ file: string; text: string }>,
	options: VerifyOptions = {},
): VerifyResult {
	const arch = options.arch ?? 'amd64';
	const types = { old: new TreeTypes(oldIndex), new: new TreeTypes(newIndex) };
	const findings: Finding[] = [];
	const behaviourChanges: string[] = [];
	const add = (f: Finding) => findings.push(f);
	const defs = newIndex.parts.flatMap((p) => p.vnetDefinitions);
	const definitions = defs.filter((d) => d.macro === 'VNET_DEFINE');

	// The container tag of each old member and INIT_VNET macro name.
	const containerOf = new Map<string, string>([
		...oldIndex.members.map((m) => [m.name, m.containerTag] as [string, string]),
		...oldIndex.modules.filter((m) => m.initMacro).map((m) => [m.initMacro!, m.containerTag] as [string, string]),
	]);
	// A module whose container struct is still there was not migrated (the migration reports why):
	// one finding for it, not one per member.
	const unmigrated = new Map<string, { file: string; line: number }>();
	for (const p of newIndex.parts) for (const c of p.containers) if (oldIndex.modules.some((m) => m.containerTag === c.tag)) unmigrated.set(c.tag, { file: p.file, line: c.span.line });
	for (const [tag, at] of unmigrated) {
		const known = reported?.some((r) => r.file === at.file && r.text.includes('is not migrated'));
		add({ severity: known ? 'warning' : 'error', code: known ? 'verify/reported-left' : 'verify/module-not-migrated', file: at.file, line: at.line,
			message: `struct ${tag} remains: its module was not migrated${known ? ', as the migration reported' : ''}; its members are not checked` });
	}

	// Completeness and types.
	const live = oldIndex.members.filter((m) => !m.dead && !unmigrated.has(m.containerTag));
	for (const m of oldIndex.members.filter((x) => x.dead && !unmigrated.has(x.containerTag))) {
		if (!definitions.some((d) => d.name === m.name)) add({ severity: 'note', code: 'verify/dead-dropped', variable: m.name, message: `dead member ${m.name} has no VNET_DEFINE (dropped, as documented)` });
	}
	for (const m of live) {
		const mine = definitions.filter((d) => d.name === m.name);
		if (mine.length === 0) {
			add({ severity: 'error', code: 'verify/missing-definition', variable: m.name, file: m.span.file, line: m.span.line, message: `${m.name} (member of struct ${m.containerTag}) has no VNET_DEFINE in the migrated tree` });
			continue;
		}
		if (mine.length > 1 && !alternatives(mine)) {
			add({ severity: 'error', code: 'verify/duplicate-definition', variable: m.name, file: mine[1].span.file, line: mine[1].span.line,
				message: `${m.name} has ${mine.length} VNET_DEFINEs: ${mine.map((d) => `${d.span.file}:${d.span.line}`).join(', ')}` });
		}
		const accepted = acceptedTypes(m);
		for (const d of mine) {
			const got = definitionType(d);
			const { before, after } = memberSizes(types, m, d, arch);
			const sizes = !isUnknown(before) && !isUnknown(after) ? { before: before.size, after: after.size } : undefined;
			if (!accepted.has(got)) {
				add({ severity: 'error', code: 'verify/type-changed', variable: m.name, file: d.span.file, line: d.span.line,
					message: `${m.name} is defined as \`${d.type}${d.bounds.map((b) => `[${b}]`).join('')}\`, but the member was \`${m.type.text}${m.type.bounds.map((b) => `[${b}]`).join('')}\`` +
						(sizes && sizes.before !== sizes.after ? ` (${sizes.before} bytes before, ${sizes.after} now, on ${arch})` : '') });
			} else if (sizes && sizes.before !== sizes.after) {
				add({ severity: 'error', code: 'verify/size-changed', variable: m.name, file: d.span.file, line: d.span.line,
					message: `${m.name} is ${sizes.after} bytes on ${arch}, but the member was ${sizes.before} (same spelling \`${got}\`: a definition it depends on changed)` });
			}
		}
	}
	const oldNames = new Set(oldIndex.members.map((m) => m.name));
	for (const d of definitions) {
		if (!oldNames.has(d.name)) add({ severity: 'note', code: 'verify/new-variable', variable: d.name, file: d.span.file, line: d.span.line, message: `${d.name} is defined with VNET_DEFINE but was no container member` });
	}

	// Every V_x used resolves to `#define V_x VNET(x)` and a declaration, visible to the file.
	const parts = new Map(newIndex.parts.map((p) => [p.file, p]));
	let accessorUses = 0;
	for (const part of newIndex.parts) {
		const visible = new Set([part.file, ...includedFiles(newIndex, part.file)]);
		const seenParts = [...visible].map((f) => parts.get(f)).filter((p): p is FileIndex => Boolean(p));
		for (const [name, count] of Object.entries(part.accessorUses)) {
			accessorUses += count;
			const variable = name.slice(2);
			if (unmigrated.has(containerOf.get(variable) ?? '')) continue;
			const defined = seenParts.some((p) => p.accessorMacros.some((a) => a.name === name && a.via === 'VNET' && a.member === variable));
			const declared = seenParts.some((p) => p.vnetDefinitions.some((d) => d.name === variable));
			if (defined && declared) continue;
			const was = oldNames.has(variable);
			add({ severity: was ? 'error' : 'warning', code: 'verify/unresolved-accessor', variable, file: part.file,
				message: `${name} is used in ${part.file} but ${!defined ? `no #define ${name} VNET(${variable})` : `no VNET_DECLARE/VNET_DEFINE of ${variable}`} is visible there` +
					(was ? '' : ' (not a member of the old tree either: a kernel symbol from another tree?)') });
		}
	}

	// Nothing of the old design remains.
	for (const p of newIndex.parts) {
		const old = (code: string, line: number, what: string) => {
			const known = reported?.some((r) => r.file === p.file && r.text.includes(what));
			add({ severity: known ? 'warning' : 'error', code: known ? 'verify/reported-left' : 'verify/old-construct', file: p.file, line,
				message: known ? `${what} remains, as the migration reported: finish it by hand (${code})` : `${what} remains (${code})` });
		};
		// What belongs to a module left unmigrated was counted with it above.
		const ofUnmigrated = (name: string) => unmigrated.has(containerOf.get(name) ?? '');
		for (const r of p.structRefs) if (oldIndex.modules.some((m) => m.containerTag === r.name) && !unmigrated.has(r.name)) old('container type', r.span.line, `a use of struct ${r.name}`);
		for (const cp of p.containerPointers) old('container pointer', cp.statements[0].line, `pointer ${cp.pointer} to another vnet's struct ${cp.tag}`);
		for (const s of p.sysctls) if (!unmigrated.has(s.container)) old('sysctl', s.span.line, s.macro);
		for (const d of p.directAccesses) if (!ofUnmigrated(d.member)) old('direct access', d.span.line, d.text);
		for (const t of p.symmaps) old('symmap', t.span.line, `symbol map ${t.name}`);
		for (const c of p.ctasserts) if (![...unmigrated.keys()].some((t) => c.args.some((a) => a.includes(t)))) old('size guard', c.span.line, 'VIMAGE_CTASSERT');
		for (const m of p.initMacros) if (!unmigrated.has(m.containerTag ?? '')) old('init macro', m.span.line, `#define ${m.name}`);
		for (const u of p.initVnetUses) if (!unmigrated.has(containerOf.get(u.name) ?? '')) old('INIT_VNET', u.span.line, `${u.name}`);
		for (const mi of p.modinfos) {
			for (const f of ['vmi_size', 'vmi_symmap']) if (mi.fields[f]) old('modinfo', mi.fields[f].span.line, `.${f} in ${mi.name}`);
		}
		for (const g of p.globals) if (g.vimageGlobals && !ofUnmigrated(g.name)) old('VIMAGE_GLOBALS', g.span.line, `VIMAGE_GLOBALS declaration of ${g.name}`);
	}

	// Initial state of every variable in a new vnet.
	const oldAssign = assignmentsByVariable(oldIndex);
	const newAssign = assignmentsByVariable(newIndex);
	const initial = new Map<string, string>();
	let variables = 0;
	for (const m of live) {
		const mine = definitions.filter((d) => d.name === m.name);
		if (mine.length === 0) continue;
		variables++;
		// Conditional definitions (one per arm): compare each configuration.
		const alt = mine.length > 1 ? alternatives(mine) : undefined;
		const configurations = alt ? mine.map((d) => ({ def: d, arm: d.conditions.find((c) => c.at === alt.at)! })) : [{ def: mine[0], arm: undefined }];
		for (const { def, arm } of configurations) {
		// The old and new trees' conditionals pair up by their opening directive's text.
		const inArm = (a: Placed) => !arm || a.conditions.every((c) => c.directive !== arm.directive || c.armIndex === arm.armIndex);
		const before = ordered((oldAssign.get(m.name) ?? []).filter(inArm));
		const after = ordered((newAssign.get(m.name) ?? []).filter(inArm));
		const perVnet = (list: Placed[]) => list.filter((a) => PER_VNET.has(a.kind));
		const firstVnet = (list: Placed[]) => list.filter((a) => PER_VNET.has(a.kind) || ONCE.has(a.kind));
		const init = def.initializer ?? '0';
		const same = new Set([...def.conditions, ...m.conditions].map((c) => c.expr));
		if (arm) same.add(arm.expr);
		const oldOthers = simulate('0', perVnet(before), same);
		const newOthers = simulate(init, perVnet(after), same);
		const oldFirst = simulate('0', firstVnet(before), same);
		const newFirst = simulate(init, firstVnet(after), same);
		if (!initial.has(m.name)) initial.set(m.name, newOthers);
		if (oldOthers === newOthers && oldFirst === newFirst) continue;
		const once = before.find((a) => ONCE.has(a.kind) && a.constant && simulate('0', [a]) === init);
		if (once && oldFirst === newFirst) {
			behaviourChanges.push(`${m.name}: ${once.constructor} (${once.kind}) set it to ${once.value} for the vnet current at load; every vnet now starts with it`);
			continue;
		}
		// The initializer of the old non-VIMAGE definition (in this arm), which the migration keeps: VIMAGE
		// kernels started from zero, and now start from it as non-VIMAGE kernels always did.
		const oldDef = [...m.definitions, ...m.plainDefinitions].find((g) => g.initializer !== undefined &&
			(!arm || g.conditions.some((c) => c.directive === arm.directive && c.armIndex === arm.armIndex)));
		if (oldDef && simulate(oldDef.initializer!, perVnet(before), same) === newOthers && simulate(oldDef.initializer!, firstVnet(before), same) === newFirst) {
			behaviourChanges.push(`${m.name}: its non-VIMAGE definition at ${oldDef.span.file}:${oldDef.span.line} gave it ${oldDef.initializer}; VIMAGE kernels started it at 0 and now start from ${oldDef.initializer} too`);
			continue;
		}
		add({ severity: 'error', code: 'verify/initial-value', variable: m.name, file: def.span.file, line: def.span.line,
			message: `${m.name} starts as ${newOthers} in a new vnet${arm ? ` (where ${arm.expr})` : ''}, but the old code gave ${oldOthers}` +
				(oldFirst !== newFirst ? ` (first vnet: ${newFirst} vs ${oldFirst})` : '') });
		}
	}
	// Sizes and module-space fit.
	const laid = layoutTree(newIndex, types.new, {
		arch,
		reserve: options.reserve,
		modules: options.modules,
		initial: (name) => initial.get(name) ?? simulate(definitions.find((d) => d.name === name)?.initializer ?? '0', ordered((newAssign.get(name) ?? []).filter((a) => PER_VNET.has(a.kind)))),
	});
	findings.push(...laid.findings);

	return {
		ok: !findings.some((f) => f.severity === 'error'),
		checked: { members: live.length, definitions: definitions.length, accessorUses, variables },
		findings,
		behaviourChanges,
		layout: laid.report,
	};
}
