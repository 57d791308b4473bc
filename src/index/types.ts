/**
 * The corpus index: the old VIMAGE design of a whole tree, as plain JSON
 * data. Every position is a byte offset range plus a 1-based line, so the
 * index can be saved, merged and consulted without re-reading files.
 */

export const INDEX_SCHEMA_VERSION = 3;

export interface Span {
	file: string;
	line: number;
	start: number;
	end: number;
}

/** One enclosing preprocessor conditional arm, outermost first. */
export interface Condition {
	/** The conditional's opening directive as written, e.g. `#ifdef INET6`. */
	directive: string;
	/** The arm's own directive when not the first arm, e.g. `#else`. */
	arm?: string;
	/** 0 for the first arm. */
	armIndex: number;
	/** The arm's condition as a C preprocessor expression, e.g. `defined(INET6)`, `!(defined(INET6))`. */
	expr: string;
	/** Offset of the conditional's opening directive: arms of one conditional share it. */
	at: number;
	/** How many arms the conditional has. */
	arms: number;
}

/** A type split the way `VNET_DEFINE(type, name[bounds])` needs it. */
export interface MemberType {
	/** The type argument of VNET_DEFINE: specifier plus pointer stars, e.g. `struct ifnet *`, `TAILQ_HEAD(ipqhead, ipq)`. */
	text: string;
	/** The type specifier alone, e.g. `struct ifnet`, `u_int`. */
	specifier: string;
	qualifiers: string[];
	pointers: number;
	/** Array bounds in order, as written (`32`, `IPREASS_NHASH`). */
	bounds: string[];
	/** `struct`/`union`/`enum` tag, when the specifier is one. */
	tag?: { keyword: 'struct' | 'union' | 'enum'; name: string };
	/** A queue(3) head or entry macro used as the type. */
	queueMacro?: { macro: string; tag: string | null; element: string };
	/** A function pointer: VNET_DEFINE needs a typedef first. */
	functionPointer?: { returnType: string; parameters: string };
}

export interface Member {
	/** Name without the leading underscore: the virtualized variable's name. */
	name: string;
	/** The field name as written (`_ipforwarding`). */
	field: string;
	type: MemberType;
	conditions: Condition[];
	span: Span;
}

export interface Container {
	/** Struct tag, e.g. `vnet_inet`. */
	tag: string;
	members: Member[];
	conditions: Condition[];
	span: Span;
}

export interface MacroSite {
	name: string;
	span: Span;
}

/** `#define INIT_VNET_INET(vnet) INIT_FROM_VNET(vnet, VNET_MOD_INET, struct vnet_inet, vnet_inet)` */
export interface InitMacro extends MacroSite {
	moduleId?: string;
	containerTag?: string;
	containerSymbol?: string;
}

/** `#define VNET_INET(sym) VSYM(vnet_inet, sym)` */
export interface ContainerAccessorMacro extends MacroSite {
	containerSymbol: string;
}

/** `#define V_ipforwarding VNET_INET(ipforwarding)` */
export interface AccessorMacro extends MacroSite {
	/** The member named (without underscore). */
	member: string;
	/** `VNET_INET` or `VSYM`. */
	via: string;
	/** For VSYM: the container symbol. */
	containerSymbol?: string;
	conditions: Condition[];
	/** Display column (tabs of 8) where its value starts: the block's alignment. */
	column: number;
}

/** `#define V_MOD_vnet_inet VNET_MOD_INET` or `#define VNET_MOD_INET 3` */
export interface ValueMacro extends MacroSite {
	value: string;
}

export type DirectAccessKind = 'accessor-macro' | 'vsym' | 'container-pointer' | 'other-vnet' | 'fallback';

/** A use of a member that bypasses its `V_` macro. */
export interface DirectAccess {
	kind: DirectAccessKind;
	member: string;
	/** Container symbol or accessor macro used. */
	via: string;
	/** For `other-vnet`: the expression naming the vnet. */
	vnet?: string;
	span: Span;
	text: string;
}

export type Storage = 'static' | 'extern' | 'none';

/** A file-scope variable declaration (one declarator). */
export interface GlobalDeclaration {
	name: string;
	storage: Storage;
	/** Whether it defines the variable (not `extern` without initializer). */
	definition: boolean;
	type: MemberType;
	/** The declarator as written, e.g. `isn_secret[32]`. */
	declarator: string;
	initializer?: string;
	/** Inside `#ifdef VIMAGE_GLOBALS` (or the `#else` of `#ifndef VIMAGE_GLOBALS`). */
	vimageGlobals: boolean;
	conditions: Condition[];
	/** The whole declaration statement (may hold several declarators). */
	statement: Span;
	/** Other declarators in the same statement. */
	siblings: number;
	span: Span;
}

export interface Assignment {
	/** The virtualized variable assigned (without `V_`). */
	variable: string;
	/** Field path for `V_s.f = ...`, index text for `V_a[i] = ...`. */
	field?: string;
	index?: string;
	operator: string;
	value: string;
	constant: boolean;
	/** Why the value is not a constant, or which names were assumed to be constants. */
	constantNote?: string;
	/** Control flow or #if arm around the statement inside the function, when any. */
	conditional?: string;
	conditions: Condition[];
	/** Whether V_x was used earlier in the same function. */
	precededByUse: boolean;
	/** How many times V_x appears earlier in the same function (or MOD_LOAD case). */
	usesBefore: number;
	/** Index among the function's top-level statements. */
	order: number;
	statement: Span;
	/** A comment after the statement on its line (`V_x = 1;	/* XXX *\/`), which goes where the value goes. */
	comment?: string;
}

/**
 * iattach: a vnet_modinfo_t's vmi_iattach; called-from-iattach: a function it calls at top level;
 * pr-init: a protosw's pr_init (run for each vnet by the domain attach); mod-load/mod-unload: a
 * module event handler's case (ran once, for the vnet current at load); sysinit: a SYSINIT
 * function (ran once); named: given by the user with --constructor.
 */
export type ConstructorKind = 'iattach' | 'called-from-iattach' | 'pr-init' | 'mod-load' | 'mod-unload' | 'sysinit' | 'named';

export interface Constructor {
	function: string;
	kind: ConstructorKind;
	/** The registering modinfo or SYSINIT, when known. */
	via?: string;
	span: Span;
	assignments: Assignment[];
}

export interface ModInfo {
	/** The variable name, e.g. `vnet_inet_modinfo`. */
	name: string;
	fields: Record<string, { value: string; span: Span }>;
	span: Span;
}

export interface FunctionInfo {
	name: string;
	span: Span;
	/** Functions called by name at the top level of its body. */
	calls: string[];
	/** Offsets of those top-level call statements, in the same order. */
	callOffsets: number[];
	/** `V_` identifiers it mentions. */
	accessors: string[];
	/** Whether its body switches on MOD_LOAD / MOD_UNLOAD. */
	modEvents: boolean;
}

export interface SysctlSite {
	macro: string;
	kind: string;
	/** The arguments as written (trimmed), in order. */
	args: string[];
	argSpans: Span[];
	/** Container struct tag named by the second argument. */
	container: string;
	/** The member symbol argument. */
	symbol: string;
	handler?: string;
	conditions: Condition[];
	span: Span;
}

export interface SymmapTable {
	name: string;
	entries: Array<{ module: string; member: string; span: Span }>;
	span: Span;
}

export interface VnetDefinition {
	macro: 'VNET_DEFINE' | 'VNET_DECLARE';
	name: string;
	/** The type argument as written (normalized spacing). */
	type: string;
	bounds: string[];
	isStatic: boolean;
	initializer?: string;
	conditions: Condition[];
	span: Span;
}

/** One field of a struct or union definition, as the layout model needs it. */
export interface RecordField {
	/** Absent for an unnamed bit-field. */
	name?: string;
	type: MemberType;
	/** Bit-field width as written. */
	bits?: string;
	/** Why the field cannot be laid out from its declaration (inline struct, attribute, ...). */
	complex?: string;
	/** Under a preprocessor conditional inside the body: the layout then depends on the configuration. */
	conditional?: string;
}

/** A struct or union defined at file scope (for sizes: allocator-model.md §3.1). */
export interface RecordDefinition {
	kind: 'struct' | 'union';
	tag: string;
	fields: RecordField[];
	/** `__packed` (or `__attribute__((packed))`) after the body. */
	packed?: boolean;
	/** `__aligned(n)` after the body, as written. */
	aligned?: string;
	/** Why the definition cannot be laid out (unreadable body, unknown attribute). */
	complex?: string;
	span: Span;
}

/** `typedef T name;`: the type, split like a member's; `function` for `typedef int f_t(int);`. */
export interface TypedefDefinition {
	name: string;
	type: MemberType;
	function?: boolean;
	complex?: string;
	span: Span;
}

/** An object-like macro whose body is a constant expression's tokens (`#define IPREASS_NHASH 64`). */
export interface ConstantMacro {
	name: string;
	value: string;
	span: Span;
}

export interface IncludeSite {
	path: string;
	system: boolean;
	span: Span;
}

export interface CallSite {
	name: string;
	args: string[];
	span: Span;
}

/** Everything one file contributes; computed without looking at other files. */
export interface FileIndex {
	file: string;
	containers: Container[];
	initMacros: InitMacro[];
	containerAccessors: ContainerAccessorMacro[];
	accessorMacros: AccessorMacro[];
	valueMacros: ValueMacro[];
	/** Every macro defined in the file (name only), for constant classification. */
	definedMacros: string[];
	directAccesses: DirectAccess[];
	globals: GlobalDeclaration[];
	functions: FunctionInfo[];
	modinfos: ModInfo[];
	registrations: CallSite[];
	sysinits: CallSite[];
	/** Functions named as `.pr_init` in protocol switch initializers. */
	protocolInits: MacroSite[];
	constructorBodies: Constructor[];
	sysctls: SysctlSite[];
	symmaps: SymmapTable[];
	ctasserts: CallSite[];
	/** Identifiers `<symbol>_0` that look like container fallbacks (`vnet_inet_0`). */
	fallbackRefs: MacroSite[];
	/**
	 * A local pointer to another vnet's container (`vt = vnet->mod_data[ID];`
	 * then `vt->_x`): its declaration and assignment, removed once each use
	 * becomes `VNET_VNET(vnet, x)` (recorded as an `other-vnet` access).
	 */
	containerPointers: Array<{ pointer: string; tag: string; vnet: string; statements: Span[] }>;
	/** Names this file defines with typedef. */
	typedefs: string[];
	/** Every INIT_VNET_<MOD> use outside its own #define (in code or inside other macros). */
	initVnetUses: MacroSite[];
	/** `struct vnet_<mod>` used as a type (not its definition): the name is the tag. */
	structRefs: MacroSite[];
	/** New design: `VNET_DEFINE(type, name) [= init];` and `VNET_DECLARE(type, name);` at file scope. */
	vnetDefinitions: VnetDefinition[];
	includes: IncludeSite[];
	/**
	 * What the file holds at file scope besides includes, include guards,
	 * conditional directives and comments: declarations, definitions,
	 * macro definitions. Lets the plan tell when a container header is left
	 * empty; recorded only in files that declare a container struct.
	 */
	items: Array<{ kind: string; name?: string; span: Span }>;
	/** Struct and union definitions, typedefs and constant macros: what sizes are computed from. */
	records?: RecordDefinition[];
	typedefDefinitions?: TypedefDefinition[];
	constantMacros?: ConstantMacro[];
	/** Count of each `V_` identifier used in code and in the bodies of macros other than accessors. */
	accessorUses: Record<string, number>;
	/** Offset of the first use of each `V_` identifier in code. */
	accessorFirstUse: Record<string, number>;
	/** Every object- or function-like `#define` (include guards aside), for moving definitions and macros. */
	macroDefinitions: MacroDefinition[];
	/** Ranges tree-sitter could not read in any variant. */
	unparsed: Span[];
	diagnostics: IndexDiagnostic[];
	/**
	 * A header without old-design tokens, read for its `#define`s only (no
	 * parse): the constants it defines (`TCP_MSS`), which initial values and
	 * array bounds elsewhere use. Not among the index's `files`.
	 */
	macrosOnly?: true;
}

export interface MacroDefinition {
	name: string;
	span: Span;
	/** Its whole lines: from the line start to past the final newline. */
	lines: { start: number; end: number };
	/** Definitions on directly consecutive lines share a paragraph number. */
	paragraph: number;
	/** Under some `#if` (include guards aside). */
	conditional: boolean;
	/** Identifiers of its replacement list. */
	body: string[];
	/** Offsets before it where its name appears (in code or another directive); rare, so kept whole. */
	mentionsBefore?: number[];
}

export interface IndexDiagnostic {
	severity: 'error' | 'warning' | 'note';
	code: string;
	message: string;
	file: string;
	line?: number;
}

export interface Module {
	/** Module name derived from the container tag (`inet` for `vnet_inet`). */
	name: string;
	containerTag: string;
	containerSymbol: string;
	container?: Span;
	initMacro?: string;
	moduleId?: string;
	moduleIdValue?: string;
	accessorMacro?: string;
	modAlias?: string;
	modinfo?: string;
	/** iattach and functions it calls, in registration order. */
	constructors: string[];
}

export interface MemberInfo extends Member {
	module: string;
	containerTag: string;
	accessor?: AccessorMacro;
	/** VIMAGE_GLOBALS definitions (normally one). */
	definitions: GlobalDeclaration[];
	/** Plain unconditional definitions outside VIMAGE_GLOBALS. */
	plainDefinitions: GlobalDeclaration[];
	externs: GlobalDeclaration[];
	uses: { accessor: number; direct: number; plain: number; sysctl: number; symmap: number };
	assignments: Array<Assignment & { constructor: string; kind: ConstructorKind; via?: string }>;
	dead: boolean;
	typeConflicts: string[];
}

export interface CorpusIndex {
	schemaVersion: number;
	files: string[];
	modules: Module[];
	members: MemberInfo[];
	/** Per-file parts, sorted by file. */
	parts: FileIndex[];
	/** Uses of plain (non-V_) names of members in code, from the second pass. */
	plainUses: Array<{ member: string; span: Span }>;
	/** Files whose parts came from saved indexes (`--index`), not from the trees given. */
	external?: string[];
	/**
	 * Set on one shard's index (`scan --shard K/N`): its files' parts merged
	 * among themselves, without the plain-name pass, which needs every member;
	 * `scan --merge` makes the whole tree's index from all the shards.
	 */
	shard?: { index: number; count: number };
	diagnostics: IndexDiagnostic[];
}
