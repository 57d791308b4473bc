/**
 * C types as structured data, for the allocator and container models.
 *
 * The models must lay out every virtualized variable exactly, on amd64 and
 * i386, so they need types as trees rather than text: a base type or typedef
 * name, pointers, arrays (bounds may be macro expressions resolved later),
 * struct/union/enum by tag, functions, and the queue(3) head/entry macros
 * that kernel code uses as types. The corpus index builds these from
 * declarations; nothing here parses C.
 */

export type Qualifier = 'const' | 'volatile';

export type QueueMacro =
	| 'SLIST_HEAD'
	| 'STAILQ_HEAD'
	| 'LIST_HEAD'
	| 'TAILQ_HEAD'
	| 'SLIST_ENTRY'
	| 'STAILQ_ENTRY'
	| 'LIST_ENTRY'
	| 'TAILQ_ENTRY';

export const QUEUE_MACROS: readonly QueueMacro[] = [
	'SLIST_HEAD',
	'STAILQ_HEAD',
	'LIST_HEAD',
	'TAILQ_HEAD',
	'SLIST_ENTRY',
	'STAILQ_ENTRY',
	'LIST_ENTRY',
	'TAILQ_ENTRY',
];

/** A member of a struct or union definition (also used for inline anonymous ones). */
export interface Member {
	/** Absent for unnamed bit-fields and anonymous struct/union members. */
	name?: string;
	type: CType;
	/** Bit-field width, when the member is a bit-field. */
	bits?: number;
	/** `__aligned(n)` on the member. */
	aligned?: number;
}

export interface NameType {
	kind: 'name';
	/** A base type as spelled (`unsigned long`, `long int`, `char`) or a typedef name (`u_int`, `uma_zone_t`). */
	name: string;
	quals?: readonly Qualifier[];
}

export interface PointerType {
	kind: 'pointer';
	to: CType;
	/** Qualifiers of the pointer itself (`char *const p`). */
	quals?: readonly Qualifier[];
}

export interface ArrayType {
	kind: 'array';
	of: CType;
	/** A number, the bound's C text (`IPREASS_NHASH`, `2 * N`), or absent for `[]`. */
	length?: number | string;
}

export interface RecordType {
	kind: 'struct' | 'union';
	/** Absent for an anonymous struct/union, which then carries its members. */
	tag?: string;
	/** Inline definition (`struct { int a; } x`); when absent the tag is looked up. */
	members?: readonly Member[];
	packed?: boolean;
	aligned?: number;
	quals?: readonly Qualifier[];
}

export interface EnumType {
	kind: 'enum';
	tag?: string;
	/** The enumerators' values when known here; otherwise looked up by tag. */
	values?: readonly number[];
	quals?: readonly Qualifier[];
}

export interface FunctionType {
	kind: 'function';
	returns: CType;
	/** `'unspecified'` for an old-style `()` declarator; `[]` is `(void)`. */
	params: readonly CType[] | 'unspecified';
	variadic?: boolean;
}

/** `TAILQ_HEAD(ipqhead, ipq)`, `LIST_HEAD(, rawcb)`, `TAILQ_ENTRY(ifnet)`. */
export interface QueueType {
	kind: 'queue';
	macro: QueueMacro;
	/** The head's own struct tag (`ipqhead`); absent or '' when anonymous, always absent for *_ENTRY. */
	tag?: string;
	/** The element's struct tag: the macros take `type` and use `struct type *`. */
	elem: string;
	quals?: readonly Qualifier[];
}

export type CType = NameType | PointerType | ArrayType | RecordType | EnumType | FunctionType | QueueType;

/** A struct or union definition by tag, as the index supplies it. */
export interface RecordDef {
	kind: 'struct' | 'union';
	tag: string;
	members: readonly Member[];
	/** `__packed` */
	packed?: boolean;
	/** `__aligned(n)` on the type. */
	aligned?: number;
}

// Builders, so that tests and the index can write types compactly.
export const cName = (name: string, quals?: Qualifier[]): NameType => (quals ? { kind: 'name', name, quals } : { kind: 'name', name });
export const cPointer = (to: CType, quals?: Qualifier[]): PointerType => (quals ? { kind: 'pointer', to, quals } : { kind: 'pointer', to });
export const cArray = (of: CType, length?: number | string): ArrayType =>
	length === undefined ? { kind: 'array', of } : { kind: 'array', of, length };
export const cStruct = (tag: string): RecordType => ({ kind: 'struct', tag });
export const cUnion = (tag: string): RecordType => ({ kind: 'union', tag });
export const cEnum = (tag: string, values?: readonly number[]): EnumType => (values ? { kind: 'enum', tag, values } : { kind: 'enum', tag });
export const cFunction = (returns: CType, params: readonly CType[] | 'unspecified', variadic = false): FunctionType =>
	variadic ? { kind: 'function', returns, params, variadic } : { kind: 'function', returns, params };
export const cQueue = (macro: QueueMacro, elem: string, tag?: string): QueueType =>
	tag === undefined ? { kind: 'queue', macro, elem } : { kind: 'queue', macro, elem, tag };

export function isQueueHead(macro: QueueMacro): boolean {
	return macro.endsWith('_HEAD');
}

/**
 * The struct a queue(3) macro expands to, exactly as FreeBSD's sys/queue.h
 * (without QUEUE_MACRO_DEBUG) defines it: SLIST_HEAD, LIST_HEAD, SLIST_ENTRY
 * and STAILQ_ENTRY hold one pointer; STAILQ_HEAD, TAILQ_HEAD, LIST_ENTRY and
 * TAILQ_ENTRY hold two (a next/first pointer and a pointer-to-pointer).
 * A named head (`TAILQ_HEAD(ipqhead, ipq)`) also defines `struct ipqhead`,
 * so the index can register the result under that tag.
 */
export function queueRecord(q: QueueType): RecordDef {
	const elem = cPointer(cStruct(q.elem));
	const link = cPointer(cPointer(cStruct(q.elem)));
	const fields: Record<QueueMacro, Member[]> = {
		SLIST_HEAD: [{ name: 'slh_first', type: elem }],
		STAILQ_HEAD: [
			{ name: 'stqh_first', type: elem },
			{ name: 'stqh_last', type: link },
		],
		LIST_HEAD: [{ name: 'lh_first', type: elem }],
		TAILQ_HEAD: [
			{ name: 'tqh_first', type: elem },
			{ name: 'tqh_last', type: link },
		],
		SLIST_ENTRY: [{ name: 'sle_next', type: elem }],
		STAILQ_ENTRY: [{ name: 'stqe_next', type: elem }],
		LIST_ENTRY: [
			{ name: 'le_next', type: elem },
			{ name: 'le_prev', type: link },
		],
		TAILQ_ENTRY: [
			{ name: 'tqe_next', type: elem },
			{ name: 'tqe_prev', type: link },
		],
	};
	return { kind: 'struct', tag: q.tag ?? '', members: fields[q.macro] };
}

function qualPrefix(quals?: readonly Qualifier[]): string {
	return quals && quals.length > 0 ? `${quals.join(' ')} ` : '';
}

function withInner(base: string, inner: string): string {
	return inner === '' ? base : `${base} ${inner}`;
}

function paramList(f: FunctionType): string {
	if (f.params === 'unspecified') return '()';
	if (f.params.length === 0) return f.variadic ? '(...)' : '(void)';
	const ps = f.params.map((p) => typeToString(p));
	if (f.variadic) ps.push('...');
	return `(${ps.join(', ')})`;
}

function membersToString(members: readonly Member[]): string {
	const body = members.map((m) => {
		const decl = typeToString(m.type, m.name ?? '');
		if (m.bits === undefined) return `${decl};`;
		return m.name ? `${decl}:${m.bits};` : `${decl} :${m.bits};`;
	});
	return `{ ${body.join(' ')} }`;
}

/** Renders `t` around the declarator text `inner` (C's inside-out declarator syntax). */
function render(t: CType, inner: string): string {
	switch (t.kind) {
		case 'name':
			return withInner(qualPrefix(t.quals) + t.name, inner);
		case 'struct':
		case 'union': {
			let head = t.tag ? `${t.kind} ${t.tag}` : t.kind;
			if (t.members && !t.tag) head += ` ${membersToString(t.members)}`;
			return withInner(qualPrefix(t.quals) + head, inner);
		}
		case 'enum':
			return withInner(qualPrefix(t.quals) + (t.tag ? `enum ${t.tag}` : `enum { ${(t.values ?? []).join(', ')} }`), inner);
		case 'queue': {
			const args = isQueueHead(t.macro) ? `${t.tag ?? ''}, ${t.elem}` : t.elem;
			return withInner(`${qualPrefix(t.quals)}${t.macro}(${args})`, inner);
		}
		case 'pointer': {
			const q = t.quals && t.quals.length > 0 ? `${t.quals.join(' ')}${inner === '' ? '' : ' '}` : '';
			let next = `*${q}${inner}`;
			// A pointer to an array or function needs parentheses: `int (*p)[4]`, `int (*f)(int)`.
			if (t.to.kind === 'array' || t.to.kind === 'function') next = `(${next})`;
			return render(t.to, next);
		}
		case 'array':
			return render(t.of, `${inner}[${t.length ?? ''}]`);
		case 'function':
			return render(t.returns, `${inner}${paramList(t)}`);
	}
}

/**
 * C spelling of a type, optionally declaring `name`: `typeToString(t)` gives
 * `struct ifnet *`, `typeToString(t, 'ipq')` gives
 * `TAILQ_HEAD(ipqhead, ipq) ipq[IPREASS_NHASH]` or `int (*hook)(int)`.
 */
export function typeToString(t: CType, name = ''): string {
	return render(t, name);
}
