/**
 * Reading inputs. Only regular files are read: a FIFO or device named
 * `x.c` would block or never end, a directory named `x.c` is no source.
 * A file with no read permission is not read even by root (for whom the
 * permission check would pass), as a read-only file is never written: the
 * owner's intent counts, not the superuser's power.
 */
import * as fs from 'fs';

export class InputError extends Error {
	constructor(message: string, readonly code: string) {
		super(message);
	}
}

/**
 * Reads a source file, checked first by its path (opening a FIFO would
 * block). Synchronous: each per-file task runs on its own thread (or alone
 * in the main one), and a page-cache read takes microseconds, where the
 * asynchronous calls cost a thread-pool round trip each and left workers
 * idle between files.
 */
export function readSourceSync(absPath: string): Buffer {
	const st = fs.statSync(absPath);
	if (st.isDirectory()) throw new InputError('is a directory', 'EISDIR');
	if (!st.isFile()) throw new InputError('not a regular file', 'ENOTREG');
	if (process.getuid?.() === 0 && (st.mode & 0o444) === 0) throw new InputError('permission denied', 'EACCES');
	return fs.readFileSync(absPath);
}

export async function readSource(absPath: string): Promise<Buffer> {
	return readSourceSync(absPath);
}
