/**
 * Writing results: a file is replaced whole or not at all. write-file-atomic
 * writes a temporary file in the same directory, fsyncs it and renames it
 * over the original, keeping the original's mode and owner.
 */
import { promises as fs, Stats } from 'fs';
import writeFileAtomic from 'write-file-atomic';

/**
 * A file without write permission is never replaced, even by root (for whom
 * the permission check would pass): replacing it by rename would ignore the
 * owner's intent.
 */
async function readOnly(absPath: string, st: Stats): Promise<boolean> {
	if (process.getuid?.() === 0) return (st.mode & 0o222) === 0;
	try {
		await fs.access(absPath, fs.constants.W_OK);
		return false;
	} catch {
		return true;
	}
}

export type ReplaceCheck = { ok: true; stats: Stats } | { ok: false; why: 'read-only' | 'changed' };

/**
 * Whether the file may be replaced (or deleted) by what was computed from
 * `readBytes`: it is not read-only and has not changed since it was read.
 * One open serves the mode and the bytes.
 */
export async function mayReplace(absPath: string, readBytes: Buffer): Promise<ReplaceCheck> {
	const handle = await fs.open(absPath, 'r');
	try {
		const stats = await handle.stat();
		if (await readOnly(absPath, stats)) return { ok: false, why: 'read-only' };
		if (stats.size !== readBytes.length || !(await handle.readFile()).equals(readBytes)) return { ok: false, why: 'changed' };
		return { ok: true, stats };
	} finally {
		await handle.close();
	}
}

/**
 * Replaces the file at `realPath` (a real path: a link is written through,
 * not replaced) with `bytes`. The mode and owner given are the file's own
 * (from `mayReplace`), which write-file-atomic would otherwise stat again.
 */
export async function writeAtomically(realPath: string, bytes: Buffer, stats: Stats): Promise<void> {
	await writeFileAtomic(realPath, bytes, { fsync: true, mode: stats.mode, chown: { uid: stats.uid, gid: stats.gid } });
}
