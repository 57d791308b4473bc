/**
 * Reading inputs. Only regular files are read: a FIFO or device named
 * `x.c` would block or never end, a directory named `x.c` is no source.
 * A file with no read permission is not read even by root (for whom the
 * permission check would pass), as a read-only file is never written: the
 * owner's intent counts, not the superuser's power.
 */
import { promises as fs } from 'fs';

export class InputError extends Error {
	constructor(message: string, readonly code: string) {
		super(message);
	}
}

export async function readSource(absPath: string): Promise<Buffer> {
	const st = await fs.stat(absPath);
	if (st.isDirectory()) throw new InputError('is a directory', 'EISDIR');
	if (!st.isFile()) throw new InputError('not a regular file', 'ENOTREG');
	if (process.getuid?.() === 0 && (st.mode & 0o444) === 0) throw new InputError('permission denied', 'EACCES');
	return fs.readFile(absPath);
}
