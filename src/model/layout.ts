/**
 * C layout on the two architectures VIMAGE shipped for: amd64 (LP64) and
 * i386 (ILP32), with GCC's System V rules as the FreeBSD 8 kernel used them.
 *
 * The allocator model needs each virtualized variable's size and alignment
 * (they decide offsets in the linker set and whether a module fits the
 * reserve), and the container model needs member offsets. A size the model
 * cannot establish from the tree's definitions is returned as
 * `{ unknown: reason }`: never guessed. struct callout, struct mtx and the
 * like are not built in; they are known only when the tree defines them.
 */
import { CType, EnumType, Member, queueRecord, RecordDef, RecordType } from './ctype';

export type Arch = 'amd64' | 'i386';
export const ARCHES: readonly Arch[] = ['amd64', 'i386'];

export interface Known {
	size: number;
	align: number;
}
export interface Unknown {
	unknown: string;
}
export type Layout = Known | Unknown;

export function isUnknown(x: unknown): x is Unknown {
	return typeof x === 'object' && x !== null && 'unknown' in x;
}

export interface ArchInfo {
	name: Arch;
	pointerSize: number;
	pageSize: number;
}

export const ARCH_INFO: Record<Arch, ArchInfo> = {
	amd64: { name: 'amd64', pointerSize: 8, pageSize: 4096 },
	i386: { name: 'i386', pointerSize: 4, pageSize: 4096 },
};

/** What the tree defines: records by tag, typedefs, enums, and macro constants for array bounds. */
export interface LayoutEnv {
	/** struct and union definitions by tag (C gives them one tag namespace). */
	records?: ReadonlyMap<string, RecordDef>;
	typedefs?: ReadonlyMap<string, CType>;
	/** Enumerator values by enum tag. */
	enums?: ReadonlyMap<string, readonly number[]>;
	/**
	 * Types the tree defines but that cannot be laid out, with the reason, by
	 * `struct tag`, `union tag` or `typedef name` (an inline struct member, a
	 * member under #if, an attribute the model does not know).
	 */
	unlaid?: ReadonlyMap<string, string>;
	/** Evaluates an array bound's C text (`IPREASS_NHASH`); undefined when it cannot. */
	constant?: (expr: string, arch: Arch) => number | undefined;
}

/** Convenience for building an env from plain lists and objects. */
export function layoutEnv(parts: {
	records?: readonly RecordDef[];
	typedefs?: Record<string, CType>;
	enums?: Record<string, readonly number[]>;
	constants?: Record<string, number>;
}): LayoutEnv {
	const constants = parts.constants ?? {};
	return {
		records: new Map((parts.records ?? []).map((r) => [r.tag, r])),
		typedefs: new Map(Object.entries(parts.typedefs ?? {})),
		enums: new Map(Object.entries(parts.enums ?? {})),
		constant: (expr) => (Object.prototype.hasOwnProperty.call(constants, expr) ? constants[expr] : undefined),
	};
}

// --- base types ---------------------------------------------------------------

type BaseKind = 'char' | 'short' | 'int' | 'long' | 'long long' | 'float' | 'double' | 'long double' | '_Bool' | 'void';

const BASE_LAYOUT: Record<Arch, Record<Exclude<BaseKind, 'void'>, Known>> = {
	amd64: {
		char: { size: 1, align: 1 },
		_Bool: { size: 1, align: 1 },
		short: { size: 2, align: 2 },
		int: { size: 4, align: 4 },
		long: { size: 8, align: 8 },
		'long long': { size: 8, align: 8 },
		float: { size: 4, align: 4 },
		double: { size: 8, align: 8 },
		'long double': { size: 16, align: 16 },
	},
	i386: {
		char: { size: 1, align: 1 },
		_Bool: { size: 1, align: 1 },
		short: { size: 2, align: 2 },
		int: { size: 4, align: 4 },
		long: { size: 4, align: 4 },
		// The i386 System V ABI aligns 8-byte scalars to 4 inside structs.
		'long long': { size: 8, align: 4 },
		float: { size: 4, align: 4 },
		double: { size: 8, align: 4 },
		'long double': { size: 12, align: 4 },
	},
};

export interface BaseType {
	kind: BaseKind;
	unsigned: boolean;
	integer: boolean;
}

/** Reads a spelling of a base type (`unsigned`, `long unsigned int`, `signed char`); undefined for other names. */
export function baseType(spelling: string): BaseType | undefined {
	const words = spelling.trim().split(/\s+/);
	let longs = 0;
	let signedness: 'signed' | 'unsigned' | undefined;
	let core: 'char' | 'short' | 'int' | 'float' | 'double' | '_Bool' | 'void' | undefined;
	let ints = 0;
	for (const w of words) {
		if (w === 'long') longs++;
		else if (w === 'signed' || w === 'unsigned') {
			if (signedness) return undefined;
			signedness = w;
		} else if (w === 'int') ints++;
		else if (w === 'char' || w === 'short' || w === 'float' || w === 'double' || w === '_Bool' || w === 'void') {
			if (core) return undefined;
			core = w;
		} else return undefined;
	}
	if (ints > 1 || longs > 2) return undefined;
	const unsigned = signedness === 'unsigned';
	if (core === 'float' || core === 'double' || core === '_Bool' || core === 'void') {
		if (signedness || ints || (longs && core !== 'double') || longs > 1) return undefined;
		const kind: BaseKind = core === 'double' && longs ? 'long double' : core;
		return { kind, unsigned: false, integer: core === '_Bool' };
	}
	if (core === 'char') {
		if (ints || longs) return undefined;
		return { kind: 'char', unsigned, integer: true };
	}
	if (core === 'short') {
		if (longs) return undefined;
		return { kind: 'short', unsigned, integer: true };
	}
	if (!signedness && !ints && !longs) return undefined;
	return { kind: longs === 2 ? 'long long' : longs === 1 ? 'long' : 'int', unsigned, integer: true };
}

// --- kernel typedefs ----------------------------------------------------------

const n = (name: string): CType => ({ kind: 'name', name });
const p = (to: CType): CType => ({ kind: 'pointer', to });

/**
 * Typedefs of FreeBSD 8's sys/types.h, machine/_types.h and the network
 * headers, per architecture. They take precedence over the tree's own
 * definitions: the real ones live in per-architecture headers that an index
 * of one tree cannot evaluate for both targets.
 */
function kernelTypedefs(arch: Arch): Map<string, CType> {
	const lp64 = arch === 'amd64';
	const m = new Map<string, CType>();
	const fixed: Record<string, string> = {
		__int8_t: 'signed char',
		__uint8_t: 'unsigned char',
		__int16_t: 'short',
		__uint16_t: 'unsigned short',
		__int32_t: 'int',
		__uint32_t: 'unsigned int',
		__int64_t: lp64 ? 'long' : 'long long',
		__uint64_t: lp64 ? 'unsigned long' : 'unsigned long long',
		// Pointer-sized and "machine word" types.
		__intptr_t: lp64 ? '__int64_t' : '__int32_t',
		__uintptr_t: lp64 ? '__uint64_t' : '__uint32_t',
		__size_t: lp64 ? '__uint64_t' : '__uint32_t',
		__ssize_t: lp64 ? '__int64_t' : '__int32_t',
		__register_t: lp64 ? '__int64_t' : '__int32_t',
		__u_register_t: lp64 ? '__uint64_t' : '__uint32_t',
		__vm_offset_t: lp64 ? '__uint64_t' : '__uint32_t',
		__vm_size_t: lp64 ? '__uint64_t' : '__uint32_t',
		// FreeBSD 8: time_t is 64-bit on amd64, 32-bit on i386.
		__time_t: lp64 ? '__int64_t' : '__int32_t',
		__off_t: '__int64_t',
	};
	for (const [k, v] of Object.entries(fixed)) m.set(k, n(v));
	for (const bits of [8, 16, 32, 64]) {
		m.set(`int${bits}_t`, n(`__int${bits}_t`));
		m.set(`uint${bits}_t`, n(`__uint${bits}_t`));
		m.set(`u_int${bits}_t`, n(`__uint${bits}_t`));
	}
	const aliases: Record<string, string> = {
		u_char: 'unsigned char',
		u_short: 'unsigned short',
		u_int: 'unsigned int',
		u_long: 'unsigned long',
		ushort: 'unsigned short',
		uint: 'unsigned int',
		quad_t: '__int64_t',
		u_quad_t: '__uint64_t',
		intptr_t: '__intptr_t',
		uintptr_t: '__uintptr_t',
		size_t: '__size_t',
		ssize_t: '__ssize_t',
		register_t: '__register_t',
		u_register_t: '__u_register_t',
		vm_offset_t: '__vm_offset_t',
		vm_size_t: '__vm_size_t',
		time_t: '__time_t',
		off_t: '__off_t',
		pid_t: '__int32_t',
		uid_t: '__uint32_t',
		gid_t: '__uint32_t',
		boolean_t: 'int',
		in_addr_t: '__uint32_t',
		in_port_t: '__uint16_t',
		sa_family_t: '__uint8_t',
		socklen_t: '__uint32_t',
		n_short: 'u_int16_t',
		n_long: 'u_int32_t',
		n_time: 'u_int32_t',
		tcp_seq: 'u_int32_t',
	};
	for (const [k, v] of Object.entries(aliases)) m.set(k, n(v));
	m.set('caddr_t', p(n('char')));
	m.set('c_caddr_t', p({ kind: 'name', name: 'char', quals: ['const'] }));
	m.set('uma_zone_t', p({ kind: 'struct', tag: 'uma_zone' }));
	return m;
}

const KERNEL_TYPEDEFS: Record<Arch, Map<string, CType>> = { amd64: kernelTypedefs('amd64'), i386: kernelTypedefs('i386') };

/** The built-in kernel typedef names (same set on both architectures). */
export const KERNEL_TYPEDEF_NAMES: readonly string[] = [...KERNEL_TYPEDEFS.amd64.keys()];

// --- layout -------------------------------------------------------------------

export interface MemberLayout {
	name?: string;
	/** Byte offset of the member (of its storage unit's first byte, for a bit-field). */
	offset: number;
	size: number;
	align: number;
	/** For bit-fields: offset in bits from the record's start, and width. */
	bitOffset?: number;
	bits?: number;
}

export interface RecordLayout extends Known {
	members: MemberLayout[];
}

export type RecordResult = RecordLayout | Unknown;

const roundUp = (x: number, a: number) => Math.ceil(x / a) * a;

/** Parses an integer literal with C suffixes (`32`, `0x20`, `040`, `8UL`); undefined otherwise. */
function integerLiteral(text: string): number | undefined {
	const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)([uU]?[lL]{0,2}|[lL]{1,2}[uU])$/.exec(text.trim());
	if (!m) return undefined;
	const s = m[1];
	const v = /^0[xX]/.test(s) ? parseInt(s.slice(2), 16) : s.length > 1 && s[0] === '0' ? parseInt(s, 8) : parseInt(s, 10);
	return Number.isSafeInteger(v) ? v : undefined;
}

interface Ctx {
	arch: Arch;
	env: LayoutEnv;
	/** Record tags and typedef names being laid out, to catch cycles. */
	active: Set<string>;
}

function typedefOf(name: string, ctx: Ctx): CType | undefined {
	return KERNEL_TYPEDEFS[ctx.arch].get(name) ?? ctx.env.typedefs?.get(name);
}

/** Follows typedefs to a type that is not a typedef name; Unknown on an undefined name or a cycle. */
export function resolveTypedefs(t: CType, arch: Arch, env: LayoutEnv): CType | Unknown {
	return resolve(t, { arch, env, active: new Set() });
}

function resolve(t: CType, ctx: Ctx): CType | Unknown {
	const seen = new Set<string>();
	let cur = t;
	while (cur.kind === 'name' && !baseType(cur.name)) {
		if (seen.has(cur.name)) return { unknown: `typedef ${cur.name} refers to itself` };
		seen.add(cur.name);
		const next = typedefOf(cur.name, ctx);
		if (!next) return { unknown: `type ${cur.name} is not defined in the tree` };
		cur = next;
	}
	return cur;
}

function arrayLength(len: number | string, ctx: Ctx): number | Unknown {
	const v = typeof len === 'number' ? len : (integerLiteral(len) ?? ctx.env.constant?.(len, ctx.arch));
	if (v === undefined) return { unknown: `array bound \`${len}\` cannot be evaluated` };
	if (!Number.isInteger(v) || v < 0) return { unknown: `array bound \`${len}\` is ${v}, not a size` };
	return v;
}

function enumLayout(t: EnumType, ctx: Ctx): Layout {
	const values = t.values ?? (t.tag !== undefined ? ctx.env.enums?.get(t.tag) : undefined);
	if (!values) return { unknown: `enum ${t.tag ?? '(anonymous)'} is not defined in the tree` };
	// GCC: int when every value fits int, unsigned int when all fit it, else a 64-bit type.
	const fitsInt = values.every((v) => v >= -0x80000000 && v <= 0x7fffffff);
	const fitsUint = values.every((v) => v >= 0 && v <= 0xffffffff);
	return fitsInt || fitsUint ? BASE_LAYOUT[ctx.arch].int : BASE_LAYOUT[ctx.arch]['long long'];
}

function layout(t: CType, ctx: Ctx): Layout {
	switch (t.kind) {
		case 'name': {
			const b = baseType(t.name);
			if (b) return b.kind === 'void' ? { unknown: 'void has no size' } : BASE_LAYOUT[ctx.arch][b.kind];
			if (ctx.active.has(`typedef ${t.name}`)) return { unknown: `typedef ${t.name} refers to itself` };
			const def = typedefOf(t.name, ctx);
			const unlaid = ctx.env.unlaid?.get(`typedef ${t.name}`);
			if (!def && unlaid) return { unknown: `typedef ${t.name}: ${unlaid}` };
			if (!def) return { unknown: `type ${t.name} is not defined in the tree` };
			ctx.active.add(`typedef ${t.name}`);
			try {
				return layout(def, ctx);
			} finally {
				ctx.active.delete(`typedef ${t.name}`);
			}
		}
		case 'pointer': {
			const s = ARCH_INFO[ctx.arch].pointerSize;
			return { size: s, align: s };
		}
		case 'array': {
			if (t.length === undefined) return { unknown: 'array of unspecified length (`[]`) has no size' };
			const count = arrayLength(t.length, ctx);
			if (isUnknown(count)) return count;
			const el = layout(t.of, ctx);
			if (isUnknown(el)) return el;
			return { size: el.size * count, align: el.align };
		}
		case 'struct':
		case 'union': {
			const r = recordFromType(t, ctx);
			return isUnknown(r) ? r : { size: r.size, align: r.align };
		}
		case 'enum':
			return enumLayout(t, ctx);
		case 'function':
			return { unknown: 'a function type has no size (only a pointer to it has)' };
		case 'queue': {
			const r = recordLayout(queueRecord(t), ctx);
			return isUnknown(r) ? r : { size: r.size, align: r.align };
		}
	}
}

function recordFromType(t: RecordType, ctx: Ctx): RecordResult {
	if (t.members) {
		return recordLayout({ kind: t.kind, tag: t.tag ?? '', members: t.members, packed: t.packed, aligned: t.aligned }, ctx);
	}
	const label = `${t.kind} ${t.tag ?? '(anonymous)'}`;
	const def = t.tag !== undefined ? ctx.env.records?.get(t.tag) : undefined;
	const unlaid = ctx.env.unlaid?.get(label);
	if (!def && unlaid) return { unknown: `${label}: ${unlaid}` };
	if (!def) return { unknown: `${label} is not defined in the tree` };
	if (def.kind !== t.kind) return { unknown: `${label} is defined as a ${def.kind}` };
	return recordLayout(def, ctx);
}

/** An integer type's size in bytes for a bit-field, or why it cannot be one. */
function bitFieldUnit(t: CType, ctx: Ctx): Known | Unknown {
	const r = resolve(t, ctx);
	if (isUnknown(r)) return r;
	if (r.kind === 'enum') return enumLayout(r, ctx);
	if (r.kind !== 'name') return { unknown: 'a bit-field must have an integer type' };
	const b = baseType(r.name);
	if (!b?.integer) return { unknown: `a bit-field of type ${r.name} is not an integer` };
	return BASE_LAYOUT[ctx.arch][b.kind as Exclude<BaseKind, 'void'>];
}

function recordLayout(def: RecordDef, ctx: Ctx): RecordResult {
	const key = `${def.kind} ${def.tag}`;
	const named = def.tag !== '';
	if (named && ctx.active.has(key)) return { unknown: `${key} contains itself` };
	if (named) ctx.active.add(key);
	try {
		return placeMembers(def, ctx);
	} finally {
		if (named) ctx.active.delete(key);
	}
}

function placeMembers(def: RecordDef, ctx: Ctx): RecordResult {
	const label = def.tag ? `${def.kind} ${def.tag}` : `anonymous ${def.kind}`;
	const members: MemberLayout[] = [];
	let bit = 0; // next free bit (struct); the union's size in bits
	let maxAlign = 1;
	const fail = (m: Member, why: string): Unknown => ({ unknown: `${label}: member ${m.name ?? '(unnamed)'}: ${why}` });
	for (let i = 0; i < def.members.length; i++) {
		const m = def.members[i];
		const start = def.kind === 'union' ? 0 : bit;
		if (m.bits !== undefined) {
			const unit = bitFieldUnit(m.type, ctx);
			if (isUnknown(unit)) return fail(m, unit.unknown);
			if (m.bits < 0 || m.bits > unit.size * 8 || (m.bits === 0 && m.name)) return fail(m, `invalid bit-field width ${m.bits}`);
			if (!def.packed && unit.align < unit.size) {
				// i386 long long bit-fields: GCC's straddling rule there is not modelled.
				return fail(m, `bit-field of a ${unit.size}-byte type aligned to ${unit.align} is not modelled`);
			}
			let at = start;
			const unitBits = unit.size * 8;
			if (m.bits === 0) at = roundUp(at, unitBits);
			else if (!def.packed && Math.floor(at / unitBits) !== Math.floor((at + m.bits - 1) / unitBits)) at = roundUp(at, unitBits);
			// Unnamed bit-fields do not affect the record's alignment (System V ABI).
			if (m.name && !def.packed) maxAlign = Math.max(maxAlign, unit.align);
			const offset = def.packed ? Math.floor(at / 8) : Math.floor(at / unitBits) * unit.size;
			members.push({ name: m.name, offset, size: unit.size, align: unit.align, bitOffset: at, bits: m.bits });
			bit = def.kind === 'union' ? Math.max(bit, at + m.bits) : at + m.bits;
			continue;
		}
		const isLast = i === def.members.length - 1;
		let l: Layout;
		if (m.type.kind === 'array' && m.type.length === undefined && isLast && def.kind === 'struct') {
			// A flexible array member occupies no space but keeps its element's alignment.
			const el = layout(m.type.of, ctx);
			l = isUnknown(el) ? el : { size: 0, align: el.align };
		} else {
			l = layout(m.type, ctx);
		}
		if (isUnknown(l)) return fail(m, l.unknown);
		let align = def.packed ? 1 : l.align;
		if (m.aligned) align = Math.max(align, m.aligned);
		const offset = roundUp(Math.ceil(start / 8), align);
		maxAlign = Math.max(maxAlign, align);
		members.push({ name: m.name, offset, size: l.size, align });
		const end = (offset + l.size) * 8;
		bit = def.kind === 'union' ? Math.max(bit, end) : end;
	}
	if (def.aligned) maxAlign = Math.max(maxAlign, def.aligned);
	return { size: roundUp(Math.ceil(bit / 8), maxAlign), align: maxAlign, members };
}

/** Size and alignment of `t` on `arch`, or why they cannot be known. */
export function layoutOf(t: CType, arch: Arch, env: LayoutEnv = {}): Layout {
	return layout(t, { arch, env, active: new Set() });
}

export function sizeOf(t: CType, arch: Arch, env: LayoutEnv = {}): number | Unknown {
	const l = layoutOf(t, arch, env);
	return isUnknown(l) ? l : l.size;
}

export function alignOf(t: CType, arch: Arch, env: LayoutEnv = {}): number | Unknown {
	const l = layoutOf(t, arch, env);
	return isUnknown(l) ? l : l.align;
}

/** Member offsets of a struct or union (by tag, inline, or a queue macro's expansion). */
export function recordLayoutOf(t: RecordType | RecordDef, arch: Arch, env: LayoutEnv = {}): RecordResult {
	const ctx: Ctx = { arch, env, active: new Set() };
	return recordFromType({ kind: t.kind, tag: t.tag, members: t.members, packed: t.packed, aligned: t.aligned }, ctx);
}
