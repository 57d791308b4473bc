/*
 * The migration plan for virtualized variables: the cross-file decisions
 * every per-file transform must agree on, computed once from the index.
 * Which members are migrated (and why not), where each one's VNET_DEFINE
 * goes, where its declarations go, which files need a local
 * `#define V_x VNET(x)`, and the exact type spellings (typedefs for
 * function pointers, tags for anonymous queue heads).
 */
import { partOf } from '../index/corpus-index';
import type { Condition, CorpusIndex, FileIndex, GlobalDeclaration, MemberInfo, Module } from '../index/types';

export interface MemberPlan {
	member: MemberInfo;
	/** Why this member is not migrated (its whole module then is not). */
	skip?: string;
	/** The definition that becomes VNET_DEFINE. */
	site?: GlobalDeclaration;
	/** For a member nothing defines: the file that gets its VNET_DEFINE, by the placement rule. */
	placedIn?: string;
	/** Other definitions of the same variable, removed. */
	duplicates: GlobalDeclaration[];
	/**
	 * Definitions in the other arms of a conditional the site sits in (`#ifdef RADIX_MPATH`
	 * `int x = 128;` `#else` `int x = 16;`): one per configuration, each a VNET_DEFINE.
	 */
	alternatives: GlobalDeclaration[];
	isStatic: boolean;
	/** `VNET_DEFINE` type argument and name-with-bounds. */
	defineType: string;
	declareType: string;
	nameWithBounds: string;
	/** A generated typedef for a function-pointer member: the line, and where it goes. */
	typedef?: { line: string; file: string };
	/** Files whose `extern` becomes VNET_DECLARE (VIMAGE_GLOBALS ones). */
	declarationFiles: string[];
	/**
	 * Exported, used in other files, and declared nowhere: its declaration
	 * goes into the container header, in place of the struct (which keeps
	 * the header alive), so every file that included it still sees it.
	 */
	declareInContainer: boolean;
	/** Whether the defining file gets its own `#define V_x VNET(x)`. */
	localDefine: boolean;
	dead: boolean;
	notes: string[];
}

export interface ModulePlan {
	module: Module;
	skip?: string;
	members: MemberPlan[];
}

export interface MigrationPlan {
	modules: ModulePlan[];
	byName: Map<string, MemberPlan>;
	/** Container headers the migration leaves empty: deleted, and their #includes go. */
	deletedHeaders: Set<string>;
}

/** The framework header: the NET container's header in the old design, kept in the new one. */
export const FRAMEWORK_HEADER = 'net/vnet.h';

const cache = new WeakMap<CorpusIndex, MigrationPlan>();

export function planMigration(index: CorpusIndex): MigrationPlan {
	let plan = cache.get(index);
	if (!plan) {
		plan = computePlan(index);
		cache.set(index, plan);
	}
	return plan;
}

function bounds(m: MemberInfo): string {
	return m.type.bounds.map((b) => `[${b}]`).join('');
}

/**
 * Where a live member that nothing defines gets its definition: the file of
 * the first constructor that assigns it, else the file holding the
 * module's vnet_modinfo_t, else the first .c file (in path order) using it.
 */
function placementFile(m: MemberInfo, index: CorpusIndex): string | undefined {
	const ctor = m.assignments[0];
	if (ctor) return ctor.statement.file;
	const mod = index.modules.find((x) => x.name === m.module);
	const modinfoPart = mod?.modinfo ? index.parts.find((p) => p.modinfos.some((mi) => mi.name === mod.modinfo)) : undefined;
	if (modinfoPart) return modinfoPart.file;
	const accessor = m.accessor?.name ?? `V_${m.name}`;
	return index.parts.find((p) => p.file.endsWith('.c') && (p.accessorUses[accessor] ?? 0) > 0)?.file;
}

/** Files that use a member (V_x, direct accesses, plain names), other than by definition; `usesMember` asks it of one file. */
function usersOf(m: MemberInfo, index: CorpusIndex): string[] {
	const accessor = m.accessor?.name ?? `V_${m.name}`;
	const files = new Set<string>();
	for (const p of index.parts) {
		if ((p.accessorUses[accessor] ?? 0) > 0) files.add(p.file);
		if (p.directAccesses.some((d) => d.member === m.name)) files.add(p.file);
	}
	for (const u of index.plainUses) if (u.member === m.name) files.add(u.span.file);
	return [...files].sort();
}

/** Whether two declarations sit in different arms of one conditional, in the same file. */
export function exclusiveArms(a: GlobalDeclaration, b: GlobalDeclaration): boolean {
	if (a.span.file !== b.span.file) return false;
	for (let k = 0; k < a.conditions.length && k < b.conditions.length; k++) {
		if (a.conditions[k].at !== b.conditions[k].at) return false;
		if (a.conditions[k].armIndex !== b.conditions[k].armIndex) return true;
	}
	return false;
}

/** The conditions a member's alternative definitions share: those above the conditional that tells them apart. */
export function sharedConditions(p: MemberPlan): Condition[] {
	if (!p.site) return [];
	let k = 0;
	const all = [p.site, ...p.alternatives];
	while (k < p.site.conditions.length && all.every((d) => d.conditions[k]?.at === p.site!.conditions[k].at && d.conditions[k].armIndex === p.site!.conditions[k].armIndex)) k++;
	return p.site.conditions.slice(0, k);
}

function planMember(m: MemberInfo, index: CorpusIndex): MemberPlan {
	const site = m.definitions[0] ?? m.plainDefinitions[0];
	const all = [...m.definitions, ...m.plainDefinitions];
	const alternatives: GlobalDeclaration[] = [];
	for (const d of all) {
		if (site && d !== site && [site, ...alternatives].every((o) => exclusiveArms(o, d))) alternatives.push(d);
	}
	const declarationFiles = [...new Set(m.externs.filter((e) => e.vimageGlobals).map((e) => e.span.file))];
	const users = usersOf(m, index);
	const plan: MemberPlan = {
		member: m,
		...(site ? { site } : {}),
		duplicates: all.filter((d) => d !== site && !alternatives.includes(d)),
		alternatives,
		isStatic: site?.storage === 'static',
		defineType: m.type.text,
		declareType: m.type.text,
		nameWithBounds: `${m.name}${bounds(m)}`,
		declarationFiles,
		declareInContainer: false,
		localDefine: false,
		dead: m.dead,
		notes: [],
	};
	if (m.dead) {
		plan.skip = 'dead member: nothing defines, assigns or reads it; dropped, as the 2009 hand migration did';
		return plan;
	}
	if (!site) {
		const file = placementFile(m, index);
		if (!file) {
			plan.skip = 'no definition site: nothing defines it and no .c file uses it';
			return plan;
		}
		plan.placedIn = file;
		plan.isStatic = users.every((f) => f === file) && declarationFiles.length === 0;
		plan.notes.push(`nothing defined it: defined in ${file} (${m.assignments.length ? 'its constructor\'s file' : 'by the placement rule'})${plan.isStatic ? ', static since only that file uses it' : ''}`);
	}
	const defFile = site?.span.file ?? plan.placedIn!;
	const usedElsewhere = users.some((f) => f !== defFile);
	if (plan.isStatic && usedElsewhere) {
		plan.isStatic = false;
		const others = users.filter((f) => f !== defFile);
		const listed = others.length > 10 ? `${others.slice(0, 10).join(', ')} and ${others.length - 10} more files` : others.join(', ');
		plan.notes.push(`static in its definition, but used in ${listed}: defined without static`);
	}
	if (!plan.isStatic && declarationFiles.length === 0 && usedElsewhere && m.span.file) {
		plan.declareInContainer = true;
		declarationFiles.push(m.span.file);
		plan.notes.push(`used outside ${defFile} but declared nowhere: declared in its container header ${m.span.file}`);
	}
	if (m.type.functionPointer) {
		const typeName = `${m.name}_t`;
		const { returnType, parameters } = m.type.functionPointer;
		plan.defineType = plan.declareType = `${typeName} *`;
		if (index.parts.some((p) => p.typedefs.includes(typeName))) {
			plan.notes.push(`function-pointer member: spelled with the tree's own typedef ${typeName}`);
		} else {
			plan.typedef = { line: `typedef ${returnType} ${typeName}${parameters};`, file: declarationFiles[0] ?? site?.span.file ?? plan.placedIn! };
			plan.notes.push(`function-pointer member: generated \`typedef ${returnType} ${typeName}${parameters};\``);
		}
	}
	const q = m.type.queueMacro;
	const head = q && q.macro.endsWith('_HEAD') ? q : undefined;
	if (head && declarationFiles.length > 0) {
		// The head macro defines `struct tag`, which the container did before: now the
		// declaration does it, once, and the definition names it. An anonymous head gets a tag,
		// since two anonymous heads are distinct types.
		const tag = head.tag ?? `${m.name}_head`;
		plan.declareType = `${head.macro}(${tag}, ${head.element})`;
		// Declared in a header the definition's file includes: the struct is defined there.
		// Declared only in other .c files: each translation unit defines it for itself.
		plan.defineType = declarationFiles.some((f) => f.endsWith('.h')) ? `struct ${tag}` : plan.declareType;
		if (!head.tag) plan.notes.push(`anonymous queue head declared elsewhere: tagged \`${tag}\``);
	}
	if (site && !site.vimageGlobals) plan.notes.push(`defined by a plain definition at ${site.span.file}:${site.span.line}`);
	if (plan.duplicates.length) {
		plan.notes.push(`also defined at ${plan.duplicates.map((d) => `${d.span.file}:${d.span.line}`).join(', ')}: those definitions are removed`);
	}
	for (const c of m.typeConflicts) plan.notes.push(`type conflict (the member's type is used): ${c}`);
	// Statics, and variables no header declares, get their accessor next to the definition.
	plan.localDefine = plan.isStatic || !declarationFiles.some((f) => f.endsWith('.h'));
	return plan;
}

/**
 * A module only part of which is in the trees given: some members are defined
 * nowhere in them, and its registration (`vnet_modinfo_t`) is not there either.
 * Those members may be defined and used in the files left out, so calling them
 * dead (and deleting their accessors) or defining them here would break those
 * files: the module is left as it is, and reported.
 */
function partialModule(index: CorpusIndex, mod: Module, members: MemberPlan[]): string | undefined {
	const undefinedHere = members.filter((p) => !p.site);
	if (undefinedHere.length === 0) return undefined;
	const external = new Set(index.external ?? []);
	const registered = mod.modinfo && index.parts.some((p) => !external.has(p.file) && p.modinfos.some((mi) => mi.name === mod.modinfo));
	if (registered) return undefined;
	return `only part of module ${mod.name} seems to be in the trees given: ${undefinedHere.length} of its ${members.length} members ` +
		`are defined nowhere in them and its vnet_modinfo_t is not there; give the whole tree (or scan it and pass --index)`;
}

function computePlan(index: CorpusIndex): MigrationPlan {
	const byName = new Map<string, MemberPlan>();
	const modules: ModulePlan[] = [];
	for (const mod of index.modules) {
		const members = index.members.filter((m) => m.module === mod.name).map((m) => planMember(m, index));
		const blocking = members.find((p) => p.skip && !p.dead);
		const partial = partialModule(index, mod, members);
		const skip = partial ?? (blocking ? `member ${blocking.member.name}: ${blocking.skip}` : undefined);
		const mp: ModulePlan = { module: mod, members, ...(skip ? { skip } : {}) };
		modules.push(mp);
		for (const p of members) byName.set(p.member.name, p);
	}
	const plan: MigrationPlan = { modules, byName, deletedHeaders: new Set() };
	for (const mp of modules) {
		const header = mp.module.container?.file;
		if (!mp.skip && header && !header.endsWith(`/${FRAMEWORK_HEADER}`) && header !== FRAMEWORK_HEADER && headerLeftEmpty(index, plan, header)) {
			plan.deletedHeaders.add(header);
		}
	}
	return plan;
}

/** Whether everything a header holds is removed by the migration (nothing is converted in it). */
function headerLeftEmpty(index: CorpusIndex, plan: MigrationPlan, header: string): boolean {
	const part = partOf(index, header);
	if (!part) return false;
	const migrated = plan.modules.filter((m) => !m.skip);
	if (migrated.some((m) => m.members.some((p) => !p.skip && p.declareInContainer && p.member.span.file === header))) return false;
	const removedNames = new Set<string>();
	for (const m of migrated) {
		for (const n of [m.module.accessorMacro, m.module.modAlias, m.module.initMacro, `SIZEOF_${m.module.containerSymbol}`]) if (n) removedNames.add(n);
		for (const p of m.members) if (p.member.accessor) removedNames.add(p.member.accessor.name);
	}
	const symbols = new Set(migrated.map((m) => `${m.module.containerSymbol}_0`));
	const containerStarts = new Set(part.containers.filter((c) => migrated.some((m) => m.module.containerTag === c.tag)).map((c) => c.span.start));
	return part.items.every((item) => {
		if (item.kind.startsWith('#')) {
			if (item.kind !== '#define' || !item.name) return false;
			if (removedNames.has(item.name)) return true;
			const a = part.accessorMacros.find((x) => x.name === item.name);
			return Boolean(a && migrated.some((m) => a.via === m.module.accessorMacro || (a.via === 'VSYM' && a.containerSymbol === m.module.containerSymbol)));
		}
		if (item.kind === 'struct_specifier' || item.kind === 'declaration') {
			if (containerStarts.has(item.span.start)) return true;
			const decls = part.globals.filter((g) => g.statement.start === item.span.start);
			if (decls.length === 0) return false;
			// Fallback instances go; VIMAGE_GLOBALS externs of non-members go; members' become declarations.
			return decls.every((g) => symbols.has(g.name) || (g.vimageGlobals && !byNameHas(plan, g.name)));
		}
		return false;
	});
}

function byNameHas(plan: MigrationPlan, name: string): boolean {
	return plan.byName.has(name) && !plan.byName.get(name)!.skip;
}

/** Members of modules that are migrated (not skipped), live ones only. */
const migratedCache = new WeakMap<MigrationPlan, MemberPlan[]>();
export function migratedMembers(plan: MigrationPlan): MemberPlan[] {
	let list = migratedCache.get(plan);
	if (!list) {
		list = plan.modules.filter((m) => !m.skip).flatMap((m) => m.members.filter((p) => !p.skip));
		migratedCache.set(plan, list);
	}
	return list;
}

const byNameCache = new WeakMap<MigrationPlan, { members: Map<string, MemberPlan>; skipped: Set<string> }>();
/** The migrated members by name and the names of members left unmigrated (computed once per plan). */
export function membersByName(plan: MigrationPlan): { members: Map<string, MemberPlan>; skipped: Set<string> } {
	let v = byNameCache.get(plan);
	if (!v) {
		v = {
			members: new Map(migratedMembers(plan).map((p) => [p.member.name, p])),
			skipped: new Set(plan.modules.filter((m) => m.skip).flatMap((m) => m.members.map((p) => p.member.name))),
		};
		byNameCache.set(plan, v);
	}
	return v;
}

/**
 * `#define V_x VNET(x)` lines, the values aligned on a tab stop as style(9) blocks are:
 * on the old accessor block's column when there was one (a name too long for it
 * overflows by one tab, as in the old block), else on the first stop that fits them all.
 */
export function accessorDefines(names: string[], oldColumn = 0): string[] {
	if (names.length === 0) return [];
	const column = oldColumn > 0
		? Math.max(24, oldColumn)
		: Math.max(24, ...names.map((n) => (Math.floor((8 + 2 + n.length) / 8) + 1) * 8));
	return names.map((n) => {
		const end = 8 + 2 + n.length;
		const tabs = Math.max(1, Math.ceil((column - end) / 8));
		return `#define\tV_${n}${'\t'.repeat(tabs)}VNET(${n})`;
	});
}

/**
 * Whether a file uses a member (as `usersOf` counts it), from the file's own
 * part: asked of every file, where a list of each member's users would hold
 * a large tree's every file once per member.
 */
export function usesMember(m: MemberInfo, part: FileIndex, plainUsed: ReadonlySet<string>): boolean {
	const accessor = m.accessor?.name ?? `V_${m.name}`;
	return (part.accessorUses[accessor] ?? 0) > 0 || part.directAccesses.some((d) => d.member === m.name) || plainUsed.has(m.name);
}
