/**
 * Memory contents for the two runtime models: concrete bytes, plus ranges
 * whose contents are known only symbolically.
 *
 * Both designs must give each variable the same initial value in a new vnet
 * (spec §4). Constants are compared byte for byte, in the target's
 * little-endian representation, so `1` assigned to an int equals a static
 * `= 1`. What the model cannot evaluate is carried as a tag over its byte
 * range: a link-time constant (`&ifnet`), a value "computed by `<statement>`",
 * or memory nobody initialized; tags compare by their text.
 */
import type { Severity } from '../diagnostics';

/** A value a static initializer or a constant assignment can hold. */
export type ConstantValue =
	| { kind: 'int'; value: number | bigint }
	/** Characters of a char array (Latin-1), NUL-terminated when room remains. */
	| { kind: 'string'; value: string }
	/** An exact object representation (e.g. a struct's designated initializer). */
	| { kind: 'bytes'; bytes: Uint8Array }
	/** A link-time constant whose bytes the model does not know: `&ifnet`, a function's address. */
	| { kind: 'symbol'; expr: string };

/** A non-constant statement: its result is known only by its text. */
export type ComputedValue = { kind: 'computed'; statement: string };

export type EffectValue = ConstantValue | ComputedValue;

/**
 * One assignment a per-vnet constructor makes, in order. It writes the whole
 * variable, or `size` bytes at `offset` within it (a struct member).
 */
export interface Effect {
	variable: string;
	offset?: number;
	size?: number;
	value: EffectValue;
}

/** A diagnostic of the runtime models: no file position, the module and variable instead. */
export interface ModelDiagnostic {
	severity: Severity;
	/** Stable identifier, e.g. `allocator/out-of-space`. */
	code: string;
	message: string;
	module?: string;
	variable?: string;
}

export function diagnostic(
	severity: Severity,
	code: string,
	message: string,
	where: { module?: string; variable?: string } = {},
): ModelDiagnostic {
	return { severity, code, message, ...where };
}

export interface SymbolicRange {
	offset: number;
	size: number;
	tag: string;
}

/** A variable's contents: bytes (zero under symbolic ranges) and the symbolic ranges, relative to its start. */
export interface Snapshot {
	bytes: Uint8Array;
	symbolic: SymbolicRange[];
}

export const normalizeStatement = (s: string): string => s.replace(/\s+/g, ' ').trim();

export function tagOf(v: ConstantValue | ComputedValue): string | undefined {
	if (v.kind === 'symbol') return `\`${normalizeStatement(v.expr)}\``;
	if (v.kind === 'computed') return `computed by \`${normalizeStatement(v.statement)}\``;
	return undefined;
}

/** Little-endian two's complement of `value` in `size` bytes (C conversion: truncates). */
export function intBytes(value: number | bigint, size: number): Uint8Array {
	let v = BigInt.asUintN(size * 8, BigInt(value));
	const out = new Uint8Array(size);
	for (let i = 0; i < size; i++) {
		out[i] = Number(v & 0xffn);
		v >>= 8n;
	}
	return out;
}

/**
 * The bytes of a concrete value for a `size`-byte object, or why it does not
 * fit. Bytes beyond the value are zero, as in a C initializer.
 */
export function encodeConstant(v: Exclude<ConstantValue, { kind: 'symbol' }>, size: number): Uint8Array | string {
	switch (v.kind) {
		case 'int':
			return intBytes(v.value, size);
		case 'string': {
			if (v.value.length > size) return `string of ${v.value.length} characters does not fit ${size} bytes`;
			const out = new Uint8Array(size);
			for (let i = 0; i < v.value.length; i++) out[i] = v.value.charCodeAt(i) & 0xff;
			return out;
		}
		case 'bytes': {
			if (v.bytes.length > size) return `${v.bytes.length} bytes do not fit ${size}`;
			const out = new Uint8Array(size);
			out.set(v.bytes);
			return out;
		}
	}
}

/**
 * A flat byte region (a vnet's data, the reference copy, a container) with
 * symbolic ranges kept sorted and non-overlapping.
 */
export class Memory {
	readonly bytes: Uint8Array;
	private ranges: SymbolicRange[] = [];

	constructor(readonly size: number) {
		this.bytes = new Uint8Array(size);
	}

	private check(offset: number, size: number): void {
		if (offset < 0 || size < 0 || offset + size > this.size) {
			throw new RangeError(`[${offset}, ${offset + size}) is outside a ${this.size}-byte region`);
		}
	}

	/** Removes symbolic ranges under [offset, offset+size), keeping the parts outside it. */
	private clearTags(offset: number, size: number): void {
		const end = offset + size;
		const kept: SymbolicRange[] = [];
		for (const r of this.ranges) {
			const rEnd = r.offset + r.size;
			if (rEnd <= offset || r.offset >= end) {
				kept.push(r);
				continue;
			}
			if (r.offset < offset) kept.push({ offset: r.offset, size: offset - r.offset, tag: r.tag });
			if (rEnd > end) kept.push({ offset: end, size: rEnd - end, tag: r.tag });
		}
		this.ranges = kept;
	}

	write(offset: number, data: Uint8Array): void {
		this.check(offset, data.length);
		this.clearTags(offset, data.length);
		this.bytes.set(data, offset);
	}

	/** Marks a range as known only by `tag` (its bytes read as zero). */
	tag(offset: number, size: number, tag: string): void {
		this.check(offset, size);
		if (size === 0) return;
		this.clearTags(offset, size);
		this.bytes.fill(0, offset, offset + size);
		this.ranges.push({ offset, size, tag });
		this.ranges.sort((a, b) => a.offset - b.offset);
		// Adjacent ranges with one tag are one range, however they were written.
		const merged: SymbolicRange[] = [];
		for (const r of this.ranges) {
			const last = merged[merged.length - 1];
			if (last && last.offset + last.size === r.offset && last.tag === r.tag) last.size += r.size;
			else merged.push({ ...r });
		}
		this.ranges = merged;
	}

	/** memcpy: bytes and symbolic ranges of [srcOffset, +size) of `src` to `dstOffset`. */
	copyFrom(src: Memory, srcOffset: number, dstOffset: number, size: number): void {
		src.check(srcOffset, size);
		this.check(dstOffset, size);
		const piece = src.read(srcOffset, size);
		this.write(dstOffset, piece.bytes);
		for (const r of piece.symbolic) this.tag(dstOffset + r.offset, r.size, r.tag);
	}

	read(offset: number, size: number): Snapshot {
		this.check(offset, size);
		const end = offset + size;
		const symbolic: SymbolicRange[] = [];
		for (const r of this.ranges) {
			const s = Math.max(r.offset, offset);
			const e = Math.min(r.offset + r.size, end);
			if (s < e) symbolic.push({ offset: s - offset, size: e - s, tag: r.tag });
		}
		return { bytes: this.bytes.slice(offset, end), symbolic };
	}

	clone(): Memory {
		const m = new Memory(this.size);
		m.bytes.set(this.bytes);
		m.ranges = this.ranges.map((r) => ({ ...r }));
		return m;
	}
}

/**
 * Applies one effect's value to [offset, offset+size) of `mem`; returns why
 * not when a concrete value does not fit.
 */
export function applyValue(mem: Memory, offset: number, size: number, value: EffectValue): string | undefined {
	const tag = tagOf(value);
	if (tag !== undefined) {
		mem.tag(offset, size, tag);
		return undefined;
	}
	const bytes = encodeConstant(value as Exclude<ConstantValue, { kind: 'symbol' }>, size);
	if (typeof bytes === 'string') return bytes;
	mem.write(offset, bytes);
	return undefined;
}

export function snapshotsEqual(a: Snapshot, b: Snapshot): boolean {
	if (a.bytes.length !== b.bytes.length || a.symbolic.length !== b.symbolic.length) return false;
	for (let i = 0; i < a.bytes.length; i++) if (a.bytes[i] !== b.bytes[i]) return false;
	return a.symbolic.every((r, i) => r.offset === b.symbolic[i].offset && r.size === b.symbolic[i].size && r.tag === b.symbolic[i].tag);
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

/** Human text for reports: `0`, `64 (40 00 00 00)`, `computed by \`...\``, or bytes with tagged ranges. */
export function describeSnapshot(s: Snapshot): string {
	const n = s.bytes.length;
	if (s.symbolic.length === 1 && s.symbolic[0].offset === 0 && s.symbolic[0].size === n) return s.symbolic[0].tag;
	let text: string;
	if (s.bytes.every((b) => b === 0)) text = n === 0 ? '(empty)' : '0';
	else if (n <= 8 && s.symbolic.length === 0) {
		let v = 0n;
		for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(s.bytes[i]);
		text = `${v} (${hex(s.bytes)})`;
	} else {
		text = n > 16 ? `${hex(s.bytes.slice(0, 16))} ...` : hex(s.bytes);
	}
	const tags = s.symbolic.map((r) => `[${r.offset}, ${r.offset + r.size}) ${r.tag}`);
	return tags.length ? `${text} with ${tags.join(', ')}` : text;
}
