/*
 * The whole-tree index: per-file parts (extract.ts) merged into modules and
 * members with their definitions, declarations, uses, constructors and
 * sysctls. Merging depends only on the parts (sorted by file), so parts
 * computed in parallel or on other machines merge to the same index.
 * Inconsistencies become diagnostics, never exceptions.
 */
import { canonicalType } from './ctypes';
import { resolveInclude } from './includes';
import { shareEmptyFields } from './intern';
import type {
	Assignment,
	Constructor,
	ConstructorKind,
	Container,
	CorpusIndex,
	FileIndex,
	IncludeSite,
	IndexDiagnostic,
	MemberInfo,
	ModInfo,
	Module,
	Span,
	SysctlSite,
} from './types';
import { INDEX_SCHEMA_VERSION } from './types';

export type { CorpusIndex } from './types';
export { INDEX_SCHEMA_VERSION };

export const INIT_VNET_PREFIX = 'INIT_VNET_';

export function isInitVnetName(name: string): boolean {
	return name.startsWith(INIT_VNET_PREFIX) && name.length > INIT_VNET_PREFIX.length;
}

/** The function a modinfo names as its per-vnet constructor (`.vmi_iattach = [&]f`). */
export function iattachOf(mi: ModInfo): string | undefined {
	return mi.fields.vmi_iattach?.value.replace(/^&/, '') || undefined;
}

/** The handler function a PROC sysctl names (`[&]f`). */
export function handlerName(s: SysctlSite): string | undefined {
	return s.handler?.replace(/^&/, '').trim();
}

const partCache = new WeakMap<CorpusIndex, Map<string, FileIndex>>();

/** The part of the index one file contributed (looked up once per index). */
export function partOf(index: CorpusIndex, file: string): FileIndex | undefined {
	let byFile = partCache.get(index);
	if (!byFile) {
		byFile = new Map(index.parts.map((p) => [p.file, p]));
		partCache.set(index, byFile);
	}
	return byFile.get(file);
}

export function emptyIndex(): CorpusIndex {
	return { schemaVersion: INDEX_SCHEMA_VERSION, files: [], modules: [], members: [], parts: [], plainUses: [], diagnostics: [] };
}

export interface MergeOptions {
	/** Functions the user names as per-vnet constructors (`--constructor`). */
	constructors?: string[];
}

function byFile<T extends { file: string }>(a: T, b: T): number {
	return a.file < b.file ? -1 : a.file > b.file ? 1 : 0;
}

function bySpan(a: { span: Span }, b: { span: Span }): number {
	return a.span.file < b.span.file ? -1 : a.span.file > b.span.file ? 1 : a.span.start - b.span.start;
}

function where(s: Span): string {
	return `${s.file}:${s.line}`;
}

/** Merges per-file parts into the corpus index. */
export function mergeIndex(partsIn: FileIndex[], options: MergeOptions = {}): CorpusIndex {
	const parts = dedupeParts(partsIn).sort(byFile);
	const diagnostics: IndexDiagnostic[] = parts.flatMap((p) => p.diagnostics);
	const report = (severity: IndexDiagnostic['severity'], code: string, span: Span | undefined, message: string, file?: string) => {
		diagnostics.push({ severity, code, message, file: span?.file ?? file ?? '', ...(span ? { line: span.line } : {}) });
	};

	const initMacros = parts.flatMap((p) => p.initMacros);
	const containerAccessors = parts.flatMap((p) => p.containerAccessors);
	const accessorMacros = parts.flatMap((p) => p.accessorMacros);
	const valueMacros = parts.flatMap((p) => p.valueMacros);
	const modinfos = parts.flatMap((p) => p.modinfos.map((m) => ({ ...m, file: p.file })));
	const sysctls = parts.flatMap((p) => p.sysctls);
	const symmaps = parts.flatMap((p) => p.symmaps);
	const functions = parts.flatMap((p) => p.functions);
	const globals = parts.flatMap((p) => p.globals);
	const directAccesses = parts.flatMap((p) => p.directAccesses);
	const definedMacros = new Set(parts.flatMap((p) => p.definedMacros));

	// Which vnet_* structs are containers: referenced as one, or all members underscored.
	const referenced = new Set<string>([
		...initMacros.map((m) => m.containerTag ?? ''),
		...containerAccessors.map((a) => a.containerSymbol),
		...sysctls.map((s) => s.container),
		...modinfos.map((m) => sizeofStruct(m.fields.vmi_size?.value)),
	]);
	const containers = new Map<string, Container>();
	for (const c of parts.flatMap((p) => p.containers)) {
		const isContainer = referenced.has(c.tag) || (c.members.length > 0 && c.members.every((m) => m.field.startsWith('_')));
		if (!isContainer) continue;
		const prev = containers.get(c.tag);
		if (!prev) {
			containers.set(c.tag, c);
			continue;
		}
		const same = prev.members.length === c.members.length && prev.members.every((m, k) => m.name === c.members[k].name && canonicalType(m.type) === canonicalType(c.members[k].type));
		report(same ? 'note' : 'warning', 'index/container-redefined', c.span,
			`struct ${c.tag} is defined again${same ? ' (same members)' : ` with different members than at ${where(prev.span)}; the first definition is used`}`);
	}

	const modules: Module[] = [];
	const moduleByTag = new Map<string, Module>();
	for (const c of [...containers.values()].sort(bySpan)) {
		const init = initMacros.find((m) => m.containerTag === c.tag);
		const symbol = init?.containerSymbol ?? c.tag;
		const mod: Module = {
			name: c.tag.slice('vnet_'.length),
			containerTag: c.tag,
			containerSymbol: symbol,
			container: c.span,
			constructors: [],
		};
		if (init) mod.initMacro = init.name;
		if (init?.moduleId) {
			mod.moduleId = init.moduleId;
			const v = valueMacros.find((m) => m.name === init.moduleId);
			if (v) mod.moduleIdValue = v.value;
		}
		const accessor = containerAccessors.find((a) => a.containerSymbol === symbol);
		if (accessor) mod.accessorMacro = accessor.name;
		const alias = valueMacros.find((m) => m.name === `V_MOD_${symbol}`);
		if (alias) mod.modAlias = alias.name;
		const modinfo = modinfos.find((m) => (mod.moduleId && m.fields.vmi_id?.value === mod.moduleId) || sizeofStruct(m.fields.vmi_size?.value) === c.tag) ??
			// Failing those, by name: `vnet_foo_modinfo` or `.vmi_name = "foo"` registers `struct vnet_foo`.
			modinfos.find((m) => m.name === `${c.tag}_modinfo` || m.fields.vmi_name?.value === `"${mod.name}"`);
		if (modinfo) mod.modinfo = modinfo.name;
		modules.push(mod);
		moduleByTag.set(c.tag, mod);
	}
	for (const m of initMacros) {
		if (m.containerTag && !containers.has(m.containerTag)) {
			report('warning', 'index/no-container', m.span, `${m.name} names struct ${m.containerTag}, which no file in the tree defines`);
		}
	}

	const fnByName = new Map(functions.map((f) => [f.name, f]));
	const constructors = constructorsOf(parts, options.constructors ?? []);
	for (const n of options.constructors ?? []) {
		if (!fnByName.has(n)) report('warning', 'index/no-constructor', undefined, `--constructor ${n}: no such function in the tree`, '(options)');
	}

	const memberNames = new Set<string>();
	const members: MemberInfo[] = [];
	for (const mod of modules) {
		const c = containers.get(mod.containerTag)!;
		for (const m of c.members) {
			memberNames.add(m.name);
			const accessor = accessorMacros.find((a) => a.member === m.name && ((a.via === 'VSYM' && a.containerSymbol === mod.containerSymbol) || (mod.accessorMacro !== undefined && a.via === mod.accessorMacro)));
			const named = globals.filter((g) => g.name === m.name);
			const definitions = named.filter((g) => g.vimageGlobals && g.definition);
			const plainDefinitions = named.filter((g) => !g.vimageGlobals && g.definition);
			const externs = named.filter((g) => !g.definition);
			const accessorName = accessor?.name ?? `V_${m.name}`;
			const direct = directAccesses.filter((d) => d.member === m.name && (
				(d.kind === 'accessor-macro' && d.via === mod.accessorMacro) ||
				((d.kind === 'vsym' || d.kind === 'container-pointer' || d.kind === 'fallback') && d.via === mod.containerSymbol) ||
				(d.kind === 'other-vnet' && d.via === mod.containerTag)));
			const info: MemberInfo = {
				...m,
				module: mod.name,
				containerTag: mod.containerTag,
				...(accessor ? { accessor } : {}),
				definitions,
				plainDefinitions,
				externs,
				uses: {
					accessor: parts.reduce((n, p) => n + (p.accessorUses[accessorName] ?? 0), 0),
					direct: direct.length,
					plain: 0,
					sysctl: sysctls.filter((s) => s.container === mod.containerTag && s.symbol === m.name).length,
					symmap: symmaps.reduce((n, t) => n + t.entries.filter((e) => e.module === mod.name && e.member === m.name).length, 0),
				},
				assignments: [],
				dead: false,
				typeConflicts: [],
			};
			for (const ctor of constructors) {
				for (const a of ctor.assignments) {
					if (a.variable === m.name) info.assignments.push({ ...a, ...refineConstant(a, definedMacros), constructor: ctor.function, kind: ctor.kind, ...(ctor.via ? { via: ctor.via } : {}) });
				}
			}
			const sites = [...definitions, ...plainDefinitions];
			if (new Set(sites.map((s) => s.span.file)).size > 1) {
				report('warning', 'index/two-definitions', sites[1].span,
					`${m.name} (member of struct ${mod.containerTag}) is defined in ${sites.map((s) => where(s.span)).join(' and ')}`);
			}
			for (const g of [...sites, ...externs]) {
				if (canonicalType(g.type) !== canonicalType(m.type)) {
					const text = `${where(g.span)} declares ${g.name} as \`${g.type.text}${g.type.bounds.map((b) => `[${b}]`).join('')}\`, but the member is \`${m.type.text}${m.type.bounds.map((b) => `[${b}]`).join('')}\``;
					info.typeConflicts.push(text);
					report('warning', 'index/type-conflict', g.span, text);
				}
			}
			members.push(info);
		}
	}
	// A module's constructors: the functions whose per-vnet assignments reach its members.
	for (const mod of modules) {
		const names = new Set(members.filter((m) => m.module === mod.name).flatMap((m) => m.assignments.map((a) => a.constructor)));
		mod.constructors = constructors.filter((c) => names.has(c.function)).map((c) => c.function).filter((n, k, all) => all.indexOf(n) === k);
	}
	for (const c of containers.values()) {
		for (const m of c.members) {
			if (!m.field.startsWith('_')) report('note', 'index/member-name', m.span, `member ${m.field} of struct ${c.tag} has no leading underscore`);
		}
	}
	for (const a of accessorMacros) {
		const known = modules.some((m) => a.via === m.accessorMacro || (a.via === 'VSYM' && a.containerSymbol === m.containerSymbol));
		if (known && !memberNames.has(a.member)) report('warning', 'index/accessor-no-member', a.span, `${a.name} names ${a.member}, which is not a member of its container`);
	}
	for (const ctor of constructors) {
		for (const a of ctor.assignments) {
			const accessorKnown = accessorMacros.some((m) => m.name === `V_${a.variable}`);
			if (!memberNames.has(a.variable) && accessorKnown) {
				report('warning', 'index/unknown-variable', a.statement, `constructor ${ctor.function} assigns V_${a.variable}, which is not a member of any container`);
			}
		}
	}

	const index: CorpusIndex = {
		schemaVersion: INDEX_SCHEMA_VERSION,
		// A token-free header's part lends its constants only: includes resolve as without it.
		files: parts.filter((p) => !p.macrosOnly).map((p) => p.file),
		modules,
		members,
		parts,
		plainUses: [],
		diagnostics,
	};
	finishDeadness(index);
	index.diagnostics.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0) || a.code.localeCompare(b.code)));
	return index;
}

/** The tag in a normalized `sizeof(struct tag)`, or ''. */
function sizeofStruct(value: string | undefined): string {
	const prefix = 'sizeof(struct ';
	return value?.startsWith(prefix) && value.endsWith(')') ? value.slice(prefix.length, -1) : '';
}

/**
 * The per-vnet (and run-once) constructors of a tree with their V_
 * assignments: vmi_iattach functions and the functions they call at top
 * level, protosw pr_init functions, SYSINIT functions, MOD_LOAD/MOD_UNLOAD
 * cases, and functions the user names.
 */
export function constructorsOf(parts: FileIndex[], named: string[]): Constructor[] {
	const functions = parts.flatMap((p) => p.functions);
	const fnByName = new Map(functions.map((f) => [f.name, f]));
	const roles = new Map<string, { kind: ConstructorKind; via?: string }>();
	for (const mi of parts.flatMap((p) => p.modinfos)) {
		const iattach = iattachOf(mi);
		if (!iattach) continue;
		roles.set(iattach, { kind: 'iattach', via: mi.name });
		for (const callee of fnByName.get(iattach)?.calls ?? []) {
			if (fnByName.has(callee) && !roles.has(callee)) roles.set(callee, { kind: 'called-from-iattach', via: iattach });
		}
	}
	for (const pi of parts.flatMap((p) => p.protocolInits)) {
		if (!roles.has(pi.name)) roles.set(pi.name, { kind: 'pr-init', via: 'pr_init' });
	}
	for (const s of parts.flatMap((p) => p.sysinits)) {
		if (s.name === 'SYSINIT' && s.args[3] && !roles.has(s.args[3])) roles.set(s.args[3], { kind: 'sysinit', via: s.args[0] });
	}
	for (const n of named) if (!roles.has(n)) roles.set(n, { kind: 'named' });
	const constructors: Constructor[] = [];
	for (const body of parts.flatMap((p) => p.constructorBodies)) {
		if (body.kind === 'mod-load' || body.kind === 'mod-unload') constructors.push(body);
		else {
			const role = roles.get(body.function);
			if (role) constructors.push({ ...body, kind: role.kind, ...(role.via ? { via: role.via } : {}) });
		}
	}
	return constructors;
}

/** ALL_CAPS names a value relies on: defined somewhere in the tree, or only assumed constant. */
function refineConstant(a: Assignment, definedMacros: Set<string>): Partial<Assignment> {
	if (!a.constant || !a.constantNote?.startsWith('assumes constants: ')) return {};
	const names = a.constantNote.slice('assumes constants: '.length).split(', ');
	const unknown = names.filter((n) => !definedMacros.has(n));
	return unknown.length ? { constantNote: `assumes constants (not defined in the tree): ${unknown.join(', ')}` } : { constantNote: undefined };
}

function finishDeadness(index: CorpusIndex): void {
	for (const m of index.members) {
		const used = m.uses.accessor + m.uses.direct + m.uses.plain + m.uses.sysctl;
		m.dead = used === 0 && m.assignments.length === 0 && m.definitions.length === 0 && m.plainDefinitions.length === 0;
		if (m.dead) {
			index.diagnostics.push({ severity: 'note', code: 'index/dead-member', file: m.span.file, line: m.span.line,
				message: `member ${m.name} of struct ${m.containerTag} is never defined, assigned or read` });
		}
	}
}

function dedupeParts(parts: FileIndex[]): FileIndex[] {
	const byName = new Map<string, FileIndex>();
	for (const p of parts) if (!byName.has(p.file)) byName.set(p.file, p);
	return [...byName.values()];
}

/** Adds the plain-name uses found by the second pass. */
export function withPlainUses(index: CorpusIndex, uses: Array<{ member: string; span: Span }>): CorpusIndex {
	const sorted = [...uses].sort((a, b) => bySpan(a, b));
	for (const m of index.members) m.uses.plain = sorted.filter((u) => u.member === m.name).length;
	index.diagnostics = index.diagnostics.filter((d) => d.code !== 'index/dead-member');
	finishDeadness(index);
	index.diagnostics.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0) || a.code.localeCompare(b.code)));
	return { ...index, plainUses: sorted, ...(index.external ? { external: index.external } : {}) };
}



/** Fields no migration-phase code reads (merging, verify and the index summary do, in the main thread). */
const MAIN_THREAD_FIELDS = ['constructorBodies', 'records', 'typedefDefinitions', 'constantMacros', 'initVnetUses', 'diagnostics'] as const;

/**
 * What the migration reads of other files' parts: which files use which
 * accessors and members, modinfos, sysctls, V_ macros defined, typedef
 * names; and, filtered, the first #include spelling of each tree file, the
 * functions named as constructors or sysctl handlers, the V_ macros a file
 * defines. Everything else of a part only its own file's migration reads: a
 * worker gets it with that file's task.
 */
const CROSS_FILE_FIELDS = ['accessorUses', 'directAccesses', 'modinfos', 'sysctls', 'accessorMacros', 'typedefs'] as const;

/** A part's fields the migration of its own file reads: all but its name and the main thread's. */
export type OwnFileFields = Omit<FileIndex, 'file' | (typeof MAIN_THREAD_FIELDS)[number]>;

/** The own-file fields of a part (or of what the part store kept of one). */
export function ownFileFields(part: FileIndex): OwnFileFields {
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(part)) if (k !== 'file' && !(MAIN_THREAD_FIELDS as readonly string[]).includes(k)) out[k] = v;
	return out as unknown as OwnFileFields;
}

/** A part's #includes as path and kind; `includesOf` answers for parts whose includes are kept elsewhere (part-store.ts). */
export type IncludesOf = (part: FileIndex) => ReadonlyArray<{ path: string; system: boolean }>;

const ownIncludes: IncludesOf = (p) => p.includes;

/**
 * Files whose part the migration needs whole, besides headers: those the
 * members and modules point into (transforms compare those objects by
 * identity) and files another file includes.
 */
export function filesNeededWhole(index: CorpusIndex, includesOf: IncludesOf = ownIncludes): Set<string> {
	const whole = new Set<string>();
	const add = (s: Span | undefined) => s?.file && whole.add(s.file);
	for (const m of index.members) {
		add(m.span);
		for (const g of [...m.definitions, ...m.plainDefinitions, ...m.externs]) {
			add(g.span);
			add(g.statement);
		}
		for (const a of m.assignments) add(a.statement);
	}
	for (const mod of index.modules) add(mod.container);
	for (const p of index.parts) {
		for (const inc of includesOf(p)) {
			const target = resolveInclude(index.files, p.file, inc.path, inc.system);
			if (target) whole.add(target);
		}
	}
	return whole;
}

export interface ViewOptions {
	/** `filesNeededWhole` of the index, when the caller has it already. */
	whole?: ReadonlySet<string>;
	includesOf?: IncludesOf;
	/** Reads back the includes of a part whose own fields are on disk (part-store.ts). */
	spilledIncludes?: (file: string) => IncludeSite[];
}

/**
 * What the migration phase's workers need of an index (each holds its own
 * copy, so its size counts once per worker). Headers and the files
 * `filesNeededWhole` names are kept whole; the others are slim, and their
 * own-file fields come with their task (`slim` lists them). The members and
 * modules stay shared.
 */
export function migrationView(index: CorpusIndex, options: ViewOptions = {}): { view: CorpusIndex; slim: Set<string> } {
	const { includesOf = ownIncludes, spilledIncludes } = options;
	const whole = options.whole ?? filesNeededWhole(index, includesOf);
	// Functions other files' questions name: constructors, the functions calling them, sysctl handlers.
	const named = new Set<string>();
	for (const m of index.members) {
		for (const a of m.assignments) {
			named.add(a.constructor);
			if (a.via) named.add(a.via);
		}
	}
	for (const p of index.parts) {
		for (const s of p.sysctls) {
			const h = handlerName(s);
			if (h) named.add(h);
		}
	}
	// The first spelling of each #include target (by position in its part), which includeSpelling() reads from every part.
	const firstSpelling = new Map<string, Set<number>>();
	const targets = new Set<string>();
	for (const p of index.parts) {
		includesOf(p).forEach((inc, k) => {
			if (!inc.system) return;
			const target = resolveInclude(index.files, p.file, inc.path, inc.system);
			if (!target || targets.has(target)) return;
			targets.add(target);
			firstSpelling.set(p.file, (firstSpelling.get(p.file) ?? new Set()).add(k));
		});
	}
	const slim = new Set<string>();
	const parts = index.parts.map((p) => {
		const view: FileIndex = { ...p };
		for (const f of MAIN_THREAD_FIELDS) (view as unknown as Record<string, unknown>)[f] = [];
		// A token-free header's macro names served the merge; no transform reads them.
		if (p.macrosOnly) return shareEmptyFields({ ...view, definedMacros: [] });
		if (p.file.endsWith('.h') || whole.has(p.file)) return view;
		slim.add(p.file);
		const first = firstSpelling.get(p.file);
		const thin = view as unknown as Record<string, unknown>;
		for (const [k, v] of Object.entries(thin)) {
			if (Array.isArray(v)) thin[k] = [];
			else if (v && typeof v === 'object') thin[k] = {};
		}
		for (const f of CROSS_FILE_FIELDS) thin[f] = p[f];
		thin.includes = first ? (p.includes.length || !spilledIncludes ? p.includes : spilledIncludes(p.file)).filter((_, k) => first.has(k)) : [];
		thin.functions = p.functions.filter((f) => named.has(f.name));
		thin.definedMacros = p.definedMacros.filter((d) => d.startsWith('V_'));
		return shareEmptyFields(view);
	});
	return { view: { ...index, parts }, slim };
}

/** While `fn` runs, the file's part is whole: its slim copy in the view plus the own-file fields its task brought. */
export async function withOwnFields<T>(index: CorpusIndex, file: string, own: OwnFileFields, fn: () => Promise<T>): Promise<T> {
	partOf(index, file);
	const byFile = partCache.get(index)!;
	const slim = byFile.get(file);
	if (!slim) return fn();
	byFile.set(file, { ...slim, ...own });
	try {
		return await fn();
	} finally {
		byFile.set(file, slim);
	}
}
