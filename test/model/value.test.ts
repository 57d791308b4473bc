import { describe, expect, it } from 'vitest';
import { applyValue, describeSnapshot, encodeConstant, intBytes, Memory, snapshotsEqual } from '../../src/model/value';

describe('constants as target bytes', () => {
	it('integers are little-endian two\'s complement, truncated as C converts', () => {
		expect(intBytes(1, 4)).toEqual(Uint8Array.from([1, 0, 0, 0]));
		expect(intBytes(-2, 2)).toEqual(Uint8Array.from([0xfe, 0xff]));
		expect(intBytes(0x1ff, 1)).toEqual(Uint8Array.from([0xff]));
		expect(intBytes(-1n, 8)).toEqual(new Uint8Array(8).fill(0xff));
	});
	it('strings fill a char array, NUL-padded; a longer one does not fit', () => {
		expect(encodeConstant({ kind: 'string', value: 'lo' }, 4)).toEqual(Uint8Array.from([0x6c, 0x6f, 0, 0]));
		expect(encodeConstant({ kind: 'string', value: 'caf\xe9' }, 4)).toEqual(Uint8Array.from([0x63, 0x61, 0x66, 0xe9]));
		expect(encodeConstant({ kind: 'string', value: 'toolong' }, 4)).toBe('string of 7 characters does not fit 4 bytes');
		expect(encodeConstant({ kind: 'bytes', bytes: Uint8Array.from([1, 2]) }, 3)).toEqual(Uint8Array.from([1, 2, 0]));
	});
});

describe('Memory', () => {
	it('a write splits a symbolic range, keeping the parts outside it', () => {
		const m = new Memory(16);
		m.tag(0, 16, 'computed by `bzero(&V_s, sizeof(V_s));`');
		m.write(4, intBytes(5, 4));
		expect(m.read(0, 16).symbolic).toEqual([
			{ offset: 0, size: 4, tag: 'computed by `bzero(&V_s, sizeof(V_s));`' },
			{ offset: 8, size: 8, tag: 'computed by `bzero(&V_s, sizeof(V_s));`' },
		]);
		expect(m.read(2, 8)).toEqual({
			bytes: Uint8Array.from([0, 0, 5, 0, 0, 0, 0, 0]),
			symbolic: [
				{ offset: 0, size: 2, tag: 'computed by `bzero(&V_s, sizeof(V_s));`' },
				{ offset: 6, size: 2, tag: 'computed by `bzero(&V_s, sizeof(V_s));`' },
			],
		});
	});
	it('adjacent ranges with one tag merge, so equal contents compare equal', () => {
		const a = new Memory(8);
		a.tag(0, 4, 'T');
		a.tag(4, 4, 'T');
		const b = new Memory(8);
		b.tag(0, 8, 'T');
		expect(snapshotsEqual(a.read(0, 8), b.read(0, 8))).toBe(true);
		b.tag(2, 2, 'U');
		expect(snapshotsEqual(a.read(0, 8), b.read(0, 8))).toBe(false);
	});
	it('copies bytes and tags like memcpy, and refuses out-of-range access', () => {
		const src = new Memory(8);
		src.write(0, intBytes(0x0102, 2));
		src.tag(4, 4, '`&ifnet`');
		const dst = new Memory(16);
		dst.copyFrom(src, 0, 8, 8);
		expect(dst.read(8, 8)).toEqual({ bytes: Uint8Array.from([2, 1, 0, 0, 0, 0, 0, 0]), symbolic: [{ offset: 4, size: 4, tag: '`&ifnet`' }] });
		expect(() => dst.read(12, 8)).toThrow(RangeError);
		expect(applyValue(dst, 0, 2, { kind: 'computed', statement: 'V_x =\n\tf();' })).toBeUndefined();
		expect(dst.read(0, 2).symbolic).toEqual([{ offset: 0, size: 2, tag: 'computed by `V_x = f();`' }]);
	});
	it('describes values for reports', () => {
		expect(describeSnapshot({ bytes: intBytes(64, 4), symbolic: [] })).toBe('64 (40 00 00 00)');
		expect(describeSnapshot({ bytes: new Uint8Array(32), symbolic: [] })).toBe('0');
		const mixed = { bytes: Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0, 0]), symbolic: [{ offset: 4, size: 4, tag: 'T' }] };
		expect(describeSnapshot(mixed)).toBe('01 00 00 00 00 00 00 00 00 with [4, 8) T');
	});
});
