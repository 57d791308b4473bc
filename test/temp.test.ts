import { closeSync, fstatSync, openSync } from 'fs';
import { describe, expect, it } from 'vitest';
import { openUnlinkedTemp, ParkedBytes, readAt, writeAllAt } from '../src/fs/temp';

describe('scratch files (fs/temp.ts)', () => {
	it('an unlinked temporary file: written and read back at an offset, gone from the directory', () => {
		const fd = openUnlinkedTemp();
		try {
			writeAllAt(fd, Buffer.from('abcdef'), 10);
			expect(readAt(fd, 3, 12).toString()).toBe('cde');
			expect(fstatSync(fd).nlink).toBe(0);
			expect(() => readAt(fd, 10, 12)).toThrow(/ended after 4 of 10 bytes/);
		} finally {
			closeSync(fd);
		}
	});

	it('parked bytes come back equal, from disk, or from memory when the temporary directory is unusable', () => {
		const bytes = Buffer.from(Array.from({ length: 100_000 }, (_, k) => k % 251));
		const parked = new ParkedBytes(bytes);
		expect(parked.onDisk).toBe(true);
		expect(parked.read().equals(bytes)).toBe(true);
		parked.close();
		const saved = process.env.TMPDIR;
		process.env.TMPDIR = '/nonexistent/vimage-migrate-test';
		try {
			const inMemory = new ParkedBytes(bytes);
			expect(inMemory.onDisk).toBe(false);
			expect(inMemory.read().equals(bytes)).toBe(true);
			inMemory.close();
		} finally {
			if (saved === undefined) delete process.env.TMPDIR;
			else process.env.TMPDIR = saved;
		}
	});

	it('a full disk while parking leaves the bytes in memory', () => {
		const bytes = Buffer.from('the context');
		const parked = new ParkedBytes(bytes, openSync('/dev/full', 'w'));
		expect(parked.onDisk).toBe(false);
		expect(parked.read().equals(bytes)).toBe(true);
		parked.close();
	});
});
