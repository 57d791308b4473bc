/*
 * Sizes and module-space fit for verify (allocator-model.md §3.1, §3.2):
 * the tree's types become model types (src/model/ctype), laid out for one
 * architecture from the definitions the tree holds (structs, typedefs,
 * constant macros for array bounds) plus the kernel's built-in typedefs.
 * The kernel's VNET_DEFINEs form the set in link order (files in path
 * order, definitions in file order); each out-of-tree module's set is then
 * loaded, in the same order, into the reserve by the allocator model.
 * A type the tree does not define is unknown and reported, never guessed:
 * a module whose size is unknown is not placed, and when the kernel's own
 * set is unknown only the VNET_MODMIN bytes every configuration reserves
 * are counted as module space.
 */
import { includedFiles } from '../index/includes';
import type { CorpusIndex, FileIndex, MemberType, RecordDefinition, TypedefDefinition, VnetDefinition } from '../index/types';
import { cArray, cEnum, cFunction, cName, cPointer, cQueue, CType, cStruct, cUnion, Member, QUEUE_MACROS, QueueMacro, queueRecord, RecordDef } from '../model/ctype';
import { Arch, isUnknown, layoutOf, LayoutEnv, Unknown } from '../model/layout';
import { layoutSet, ReserveOption, VnetAllocator, VnetVariable } from '../model/allocator';
import type { ModelDiagnostic } from '../model/value';

/** A directory whose Makefile builds a loadable module (`KMOD=`): its files' definitions form that module's set. */
export interface ModuleDir {
	dir: string;
	name: string;
}

export interface VariableLayout {
	name: string;
	/** `kernel`, or the module's name. */
	set: string;
	file: string;
	line: number;
	type: string;
	size?: number;
	align?: number;
	/** Offset from VNET_START (`__start_set_vnet`), when every variable before it is known. */
	offset?: number;
	/** For a module's variable: offset from the reserve's start. */
	reserveOffset?: number;
	unknown?: string;
	/** Its value in a new vnet (static initializer, then the constructors left). */
	initial: string;
}

export interface ModuleLayout {
	name: string;
	dir: string;
	variables: number;
	unknownVariables: number;
	/** Bytes of the module's set; absent when some size is unknown. */
	setBytes?: number;
	/** Sum of the sizes that are known (a lower bound when some are not). */
	knownBytes: number;
	/** The block taken from the reserve (set rounded to the pointer size). */
	allocatedBytes?: number;
	/** Offset of its block from the reserve's start. */
	reserveOffset?: number;
	status: 'loaded' | 'out-of-space' | 'size-unknown';
	shortfall?: number;
}

export interface LayoutReport {
	arch: Arch;
	reserveOption: ReserveOption;
	kernel: {
		variables: number;
		unknownVariables: number;
		knownBytes: number;
		/** VNET_BYTES (modspace included), when every size is known. */
		setBytes?: number;
		/** VNET_SIZE: VNET_BYTES rounded up to a page. */
		vnetSize?: number;
		paddingBytes?: number;
		/** Offset of modspace from VNET_START. */
		modspaceOffset?: number;
	};
	reserve: {
		/** Module space: VNET_MODSIZE (r195699) when the kernel's set is known, else the VNET_MODMIN every configuration has. */
		bytes: number;
		exact: boolean;
		usedBytes: number;
		freeBytes: number;
	};
	modules: ModuleLayout[];
	variables: VariableLayout[];
}

export interface LayoutFinding {
	severity: 'error' | 'warning' | 'note';
	code: string;
	message: string;
	variable?: string;
	file?: string;
	line?: number;
}

// --- tree types to model types ------------------------------------------------

const QUALIFIER = /^(const|volatile|__volatile|register)$/;

/** The model type of a member or declarator type, or why it has none. */
export function ctypeOf(t: MemberType): CType | Unknown {
	let base: CType;
	if (t.functionPointer) base = cPointer(cFunction(cName('int'), 'unspecified'));
	else {
		const spec = t.specifier.split(/\s+/).filter((w) => w && !QUALIFIER.test(w)).join(' ');
		if (spec.includes('{')) return { unknown: 'a type defined inline is not modelled' };
		const q = t.queueMacro;
		const tag = t.tag ?? tagOf(spec);
		if (q) {
			if (!(QUEUE_MACROS as readonly string[]).includes(q.macro)) return { unknown: `${q.macro}() used as a type is not modelled` };
			base = cQueue(q.macro as QueueMacro, q.element, q.tag ?? undefined);
		} else if (tag) base = tag.keyword === 'struct' ? cStruct(tag.name) : tag.keyword === 'union' ? cUnion(tag.name) : cEnum(tag.name);
		else if (/^[A-Za-z_][\w ]*$/.test(spec)) base = cName(spec);
		else return { unknown: `type \`${t.specifier}\` is not modelled` };
		for (let k = 0; k < t.pointers; k++) base = cPointer(base);
	}
	for (let k = t.bounds.length - 1; k >= 0; k--) base = cArray(base, t.bounds[k] === '' ? undefined : t.bounds[k]);
	return base;
}

function tagOf(spec: string): MemberType['tag'] {
	const m = /^(struct|union|enum) ([A-Za-z_]\w*)$/.exec(spec);
	return m ? { keyword: m[1] as 'struct' | 'union' | 'enum', name: m[2] } : undefined;
}

/** A VNET_DEFINE's type argument and bounds, split like a member's type. */
export function definitionMemberType(d: Pick<VnetDefinition, 'type' | 'bounds'>): MemberType {
	const stars = d.type.match(/\*[\s*]*$/)?.[0].replace(/\s/g, '') ?? '';
	const words = d.type.slice(0, d.type.length - (d.type.match(/\*[\s*]*$/)?.[0].length ?? 0)).trim();
	const qualifiers: string[] = [];
	let spec = words;
	for (let m = /^(const|volatile)\s+/.exec(spec); m; m = /^(const|volatile)\s+/.exec(spec)) {
		qualifiers.push(m[1]);
		spec = spec.slice(m[0].length);
	}
	const type: MemberType = { text: d.type, specifier: spec, qualifiers, pointers: stars.length, bounds: d.bounds };
	const tag = tagOf(spec);
	if (tag) type.tag = tag;
	const open = spec.indexOf('(');
	if (open > 0 && spec.endsWith(')') && /_(HEAD|ENTRY)$/.test(spec.slice(0, open))) {
		const args = spec.slice(open + 1, -1).split(',').map((x) => x.trim());
		type.queueMacro = { macro: spec.slice(0, open), tag: args.length > 1 && args[0] ? args[0] : null, element: args[args.length - 1] ?? '' };
	}
	return type;
}

// --- constant expressions (array bounds, bit-field widths) -------------------

function integerLiteral(text: string): number | undefined {
	const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)([uU]?[lL]{0,2}|[lL]{1,2}[uU])$/.exec(text);
	if (!m) return undefined;
	const s = m[1];
	return /^0[xX]/.test(s) ? parseInt(s.slice(2), 16) : s.length > 1 && s[0] === '0' ? parseInt(s, 8) : parseInt(s, 10);
}

const BINARY: Array<Record<string, (a: number, b: number) => number | undefined>> = [
	{ '|': (a, b) => a | b },
	{ '^': (a, b) => a ^ b },
	{ '&': (a, b) => a & b },
	{ '<<': (a, b) => a * 2 ** b, '>>': (a, b) => Math.floor(a / 2 ** b) },
	{ '+': (a, b) => a + b, '-': (a, b) => a - b },
	{ '*': (a, b) => a * b, '/': (a, b) => (b === 0 ? undefined : Math.trunc(a / b)), '%': (a, b) => (b === 0 ? undefined : a % b) },
];

/** Evaluates an integer constant expression; names are looked up (macros), recursively. */
export function evaluateConstant(expr: string, lookup: (name: string) => string | undefined, depth = 0): number | undefined {
	if (depth > 32) return undefined;
	const toks = expr.match(/0[xX][0-9a-fA-F]+[uUlL]*|[0-9]+[uUlL]*|[A-Za-z_]\w*|<<|>>|\S/g) ?? [];
	let k = 0;
	const primary = (): number | undefined => {
		const t = toks[k++];
		if (t === undefined) return undefined;
		if (t === '(') {
			const v = level(0);
			return toks[k++] === ')' ? v : undefined;
		}
		if (t === '-' || t === '+' || t === '~') {
			const v = primary();
			return v === undefined ? undefined : t === '-' ? -v : t === '~' ? ~v : v;
		}
		if (/^[0-9]/.test(t)) return integerLiteral(t);
		if (/^[A-Za-z_]/.test(t)) {
			const body = lookup(t);
			return body === undefined ? undefined : evaluateConstant(body, lookup, depth + 1);
		}
		return undefined;
	};
	const level = (n: number): number | undefined => {
		if (n === BINARY.length) return primary();
		let v = level(n + 1);
		while (v !== undefined && toks[k] !== undefined && Object.hasOwn(BINARY[n], toks[k])) {
			const op = toks[k++];
			const r = level(n + 1);
			v = r === undefined ? undefined : BINARY[n][op](v, r);
		}
		return v;
	};
	const v = level(0);
	return k === toks.length && v !== undefined && Number.isSafeInteger(v) ? v : undefined;
}

// --- the layout environment of a file ------------------------------------------

function sameDefinition<T>(a: T, b: T, strip: (x: T) => unknown): boolean {
	return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

/**
 * A definition by name as a file sees it: the one in the file or the headers
 * it includes, else the tree's only one; conflicting ones elsewhere make it
 * ambiguous (`conflict`).
 */
function pick<T extends { span: { file: string } }>(all: T[], visible: ReadonlySet<string>, strip: (x: T) => unknown): { def?: T; conflict?: string } {
	const seen = all.filter((d) => visible.has(d.span.file));
	if (seen.length) return { def: seen[0] };
	if (all.every((d) => sameDefinition(d, all[0], strip))) return { def: all[0] };
	return { conflict: `defined differently in ${[...new Set(all.map((d) => d.span.file))].join(', ')}` };
}

const withoutSpan = <T extends { span: unknown }>(x: T) => ({ ...x, span: undefined });

export class TreeTypes {
	private readonly records = new Map<string, RecordDefinition[]>();
	private readonly typedefs = new Map<string, TypedefDefinition[]>();
	private readonly constants = new Map<string, Array<{ value: string; span: { file: string } }>>();
	private readonly envs = new Map<string, LayoutEnv>();
	/** `TAILQ_HEAD(tag, elem)` used as a type anywhere defines `struct tag`. */
	private readonly queueHeads = new Map<string, RecordDef>();

	constructor(private readonly index: CorpusIndex) {
		const add = <T>(m: Map<string, T[]>, k: string, v: T) => m.set(k, [...(m.get(k) ?? []), v]);
		for (const p of index.parts as FileIndex[]) {
			for (const r of p.records ?? []) add(this.records, `${r.kind} ${r.tag}`, r);
			for (const t of p.typedefDefinitions ?? []) add(this.typedefs, t.name, t);
			for (const c of p.constantMacros ?? []) add(this.constants, c.name, c);
			const used = [
				...p.vnetDefinitions.map((d) => definitionMemberType(d)),
				...p.containers.flatMap((c) => c.members.map((m) => m.type)),
				...p.globals.map((g) => g.type),
				...(p.records ?? []).flatMap((r) => r.fields.map((f) => f.type)),
			];
			for (const t of used) {
				const q = t.queueMacro;
				if (!q?.tag || !q.macro.endsWith('_HEAD') || !(QUEUE_MACROS as readonly string[]).includes(q.macro)) continue;
				this.queueHeads.set(q.tag, queueRecord(cQueue(q.macro as QueueMacro, q.element, q.tag)));
			}
		}
	}

	/** What `file` sees: its own definitions and its headers' first, then the tree's unambiguous ones. */
	envFor(file: string): LayoutEnv {
		const cached = this.envs.get(file);
		if (cached) return cached;
		const visible = new Set([file, ...includedFiles(this.index, file)]);
		const records = new Map<string, RecordDef>();
		const typedefs = new Map<string, CType>();
		const unlaid = new Map<string, string>();
		const constant = (name: string) => {
			const r = pick(this.constants.get(name) ?? [], visible, (c) => c.value);
			return r.def?.value;
		};
		const evaluate = (expr: string) => evaluateConstant(expr, constant);
		for (const [key, defs] of this.records) {
			const { def, conflict } = pick(defs, visible, withoutSpan);
			if (!def) {
				unlaid.set(key, conflict!);
				continue;
			}
			const r = recordDef(def, evaluate);
			if (isUnknown(r)) unlaid.set(key, r.unknown);
			else records.set(def.tag, r);
		}
		for (const [name, defs] of this.typedefs) {
			const { def, conflict } = pick(defs, visible, withoutSpan);
			if (!def) {
				unlaid.set(`typedef ${name}`, conflict!);
				continue;
			}
			if (def.function) {
				typedefs.set(name, cFunction(cName('int'), 'unspecified'));
				continue;
			}
			const t = def.complex ? { unknown: def.complex } : ctypeOf(def.type);
			if (isUnknown(t)) unlaid.set(`typedef ${name}`, t.unknown);
			else typedefs.set(name, t);
		}
		for (const [tag, r] of this.queueHeads) if (!records.has(tag) && !unlaid.has(`struct ${tag}`)) records.set(tag, r);
		const env: LayoutEnv = { records, typedefs, unlaid, constant: (expr) => evaluate(expr) };
		this.envs.set(file, env);
		return env;
	}
}

function recordDef(def: RecordDefinition, evaluate: (expr: string) => number | undefined): RecordDef | Unknown {
	if (def.complex) return { unknown: def.complex };
	const members: Member[] = [];
	for (const f of def.fields) {
		const label = f.name ?? '(unnamed)';
		if (f.conditional) return { unknown: `member ${label} is under \`${f.conditional}\`: the size depends on the configuration` };
		if (f.complex) return { unknown: `member ${label}: ${f.complex}` };
		const t = ctypeOf(f.type);
		if (isUnknown(t)) return { unknown: `member ${label}: ${t.unknown}` };
		let bits: number | undefined;
		if (f.bits !== undefined) {
			bits = evaluate(f.bits);
			if (bits === undefined) return { unknown: `member ${label}: bit-field width \`${f.bits}\` cannot be evaluated` };
		}
		members.push({ ...(f.name ? { name: f.name } : {}), type: t, ...(bits !== undefined ? { bits } : {}) });
	}
	let aligned: number | undefined;
	if (def.aligned !== undefined) {
		aligned = evaluate(def.aligned);
		if (aligned === undefined) return { unknown: `__aligned(${def.aligned}) cannot be evaluated` };
	}
	return { kind: def.kind, tag: def.tag, members, ...(def.packed ? { packed: true } : {}), ...(aligned ? { aligned } : {}) };
}

/** Size and alignment of a tree type as `file` sees it, or why not. */
export function sizeIn(types: TreeTypes, t: MemberType, file: string, arch: Arch): { size: number; align: number } | Unknown {
	const c = ctypeOf(t);
	return isUnknown(c) ? c : layoutOf(c, arch, types.envFor(file));
}

// --- the sets and the reserve ----------------------------------------------------

/** The module a file belongs to: the deepest module directory holding it. */
export function moduleOfFile(file: string, modules: readonly ModuleDir[]): ModuleDir | undefined {
	let best: ModuleDir | undefined;
	for (const m of modules) {
		const dir = m.dir.replace(/\/+$/, '');
		if ((dir === '' || dir === '.' || file.startsWith(`${dir}/`)) && (!best || dir.length > best.dir.length)) best = m;
	}
	return best;
}

/**
 * Lays out the new tree's definitions (one per name: the first of
 * alternatives or duplicates, which completeness reports) and loads the
 * modules into the reserve.
 */
export function layoutTree(
	newIndex: CorpusIndex,
	types: TreeTypes,
	options: { arch: Arch; reserve?: ReserveOption; modules?: readonly ModuleDir[]; initial?: (name: string) => string },
): { report: LayoutReport; findings: LayoutFinding[] } {
	const { arch } = options;
	const findings: LayoutFinding[] = [];
	const seen = new Set<string>();
	const variables: VariableLayout[] = [];
	const sets = new Map<string, { module?: ModuleDir; vars: VariableLayout[] }>([['kernel', { vars: [] }]]);
	for (const part of newIndex.parts) {
		for (const d of part.vnetDefinitions) {
			if (d.macro !== 'VNET_DEFINE' || seen.has(d.name)) continue;
			seen.add(d.name);
			const module = moduleOfFile(d.span.file, options.modules ?? []);
			const set = module?.name ?? 'kernel';
			const l = sizeIn(types, definitionMemberType(d), d.span.file, arch);
			const v: VariableLayout = {
				name: d.name,
				set,
				file: d.span.file,
				line: d.span.line,
				type: `${d.type}${d.bounds.map((b) => `[${b}]`).join('')}`,
				...(isUnknown(l) ? { unknown: l.unknown } : { size: l.size, align: l.align }),
				initial: options.initial?.(d.name) ?? d.initializer ?? '0',
			};
			variables.push(v);
			if (!sets.has(set)) sets.set(set, { module, vars: [] });
			sets.get(set)!.vars.push(v);
		}
	}

	// Unknown sizes, one finding per reason.
	const byReason = new Map<string, VariableLayout[]>();
	for (const v of variables) if (v.unknown) byReason.set(v.unknown, [...(byReason.get(v.unknown) ?? []), v]);
	for (const [why, vs] of byReason) {
		findings.push({ severity: 'warning', code: 'verify/size-unknown', variable: vs[0].name, file: vs[0].file, line: vs[0].line,
			message: `size unknown on ${arch} (${why}): ${vs.map((v) => v.name).join(', ')}` });
	}

	const kernel = sets.get('kernel')!.vars;
	const known = (vs: VariableLayout[]) => vs.every((v) => v.size !== undefined);
	const asVars = (vs: VariableLayout[]): VnetVariable[] => vs.map((v) => ({ name: v.name, size: v.size!, align: v.align! }));
	// No kernel variable at all: the kernel is not in the trees given (a module checked on its own).
	const kernelKnown = kernel.length > 0 && known(kernel);
	// With the kernel's set unknown, module space is modelled as the VNET_MODMIN bytes every configuration reserves.
	const reserveOption: ReserveOption = kernelKnown ? (options.reserve ?? 'r195699') : 'later';
	const allocator = new VnetAllocator(arch, { variables: kernelKnown ? asVars(kernel) : [] }, { reserve: reserveOption });
	const modspaceOffset = kernelKnown ? allocator.modspace.offset : undefined;
	// Kernel offsets, as far as sizes are known.
	const prefix: VariableLayout[] = [];
	for (const v of kernel) {
		if (v.size === undefined) break;
		prefix.push(v);
	}
	layoutSet(asVars(prefix)).placements.forEach((p, i) => (prefix[i].offset = p.offset));

	const modules: ModuleLayout[] = [];
	const note = (d: ModelDiagnostic, module: ModuleLayout) => {
		if (d.code === 'allocator/out-of-space') return;
		findings.push({ severity: d.severity, code: d.code.replace(/^allocator\//, 'verify/'), message: d.message, ...(d.variable ? { variable: d.variable } : {}), file: module.dir });
	};
	for (const [name, set] of sets) {
		if (name === 'kernel') continue;
		const vs = set.vars;
		const knownBytes = vs.reduce((s, v) => s + (v.size ?? 0), 0);
		const base = { name, dir: set.module!.dir, variables: vs.length, unknownVariables: vs.filter((v) => v.size === undefined).length, knownBytes };
		if (!known(vs)) {
			const m: ModuleLayout = { ...base, status: 'size-unknown' };
			// Even its known part may not fit: then it certainly fails.
			const free = allocator.report().reserve.largestFree;
			if (knownBytes > free) {
				m.status = 'out-of-space';
				m.shortfall = knownBytes - free;
				findings.push({ severity: 'error', code: 'verify/module-space', file: set.module!.dir, variable: vs[0]?.name,
					message: `module ${name} does not fit the vnet module space on ${arch}: its known variables alone need ${knownBytes} bytes, ${free} are free, at least ${m.shortfall} bytes short` });
			} else {
				findings.push({ severity: 'warning', code: 'verify/module-space-unknown', file: set.module!.dir,
					message: `module ${name}: whether it fits the vnet module space on ${arch} is unknown (${base.unknownVariables} of its ${vs.length} variables have unknown sizes; the known ones take ${knownBytes} bytes); later modules are placed without it` });
			}
			modules.push(m);
			continue;
		}
		const r = allocator.loadModule({ name, variables: asVars(vs) });
		const m: ModuleLayout = { ...base, setBytes: r.setBytes, allocatedBytes: r.allocatedBytes, status: r.ok ? 'loaded' : 'out-of-space' };
		if (r.ok && r.offset !== undefined) {
			m.reserveOffset = r.offset - allocator.modspace.offset;
			const placements = layoutSet(asVars(vs)).placements;
			vs.forEach((v, i) => {
				v.reserveOffset = m.reserveOffset! + placements[i].offset;
				if (kernelKnown) v.offset = r.offset! + placements[i].offset;
			});
		}
		if (!r.ok) {
			m.shortfall = r.shortfall;
			const biggest = [...vs].sort((a, b) => b.size! - a.size!)[0];
			findings.push({ severity: 'error', code: 'verify/module-space', file: set.module!.dir, variable: biggest?.name,
				message: `module ${name} does not fit the vnet module space on ${arch}: ${r.diagnostics.find((d) => d.code === 'allocator/out-of-space')?.message ?? `${r.shortfall} bytes short`}` +
					(biggest ? `; its largest variable is ${biggest.name} (${biggest.size} bytes, ${biggest.file}:${biggest.line})` : '') });
		}
		for (const d of r.diagnostics) note(d, m);
		modules.push(m);
	}
	const rep = allocator.report();
	return {
		report: {
			arch,
			reserveOption,
			kernel: {
				variables: kernel.length,
				unknownVariables: kernel.filter((v) => v.size === undefined).length,
				knownBytes: kernel.reduce((s, v) => s + (v.size ?? 0), 0),
				...(kernelKnown ? { setBytes: rep.kernel.setBytes, vnetSize: rep.kernel.vnetSize, paddingBytes: rep.kernel.paddingBytes, modspaceOffset } : {}),
			},
			reserve: { bytes: rep.reserve.initialBytes, exact: kernelKnown, usedBytes: rep.reserve.usedBytes, freeBytes: rep.reserve.freeBytes },
			modules,
			variables,
		},
		findings,
	};
}

/** Old member and new definition sizes, when both are known. */
export function memberSizes(types: { old: TreeTypes; new: TreeTypes }, member: { type: MemberType; span: { file: string } }, def: VnetDefinition, arch: Arch) {
	const before = sizeIn(types.old, member.type, member.span.file, arch);
	const after = sizeIn(types.new, definitionMemberType(def), def.span.file, arch);
	return { before, after };
}
