/**
 * Writing results: a file is replaced whole or not at all. write-file-atomic
 * writes a temporary file in the same directory, fsyncs it and renames it
 * over the original, keeping the original's mode.
 */
import { promises as fs } from 'fs';
import writeFileAtomic from 'write-file-atomic';

/**
 * A file without write permission is never replaced, even by root (for whom
 * the permission check would pass): replacing it by rename would ignore the
 * owner's intent.
 */
export async function isReadOnly(absPath: string): Promise<boolean> {
	const st = await fs.stat(absPath);
	if (process.getuid?.() === 0) return (st.mode & 0o222) === 0;
	try {
		await fs.access(absPath, fs.constants.W_OK);
		return false;
	} catch {
		return true;
	}
}

export async function fileChangedSince(absPath: string, readBytes: Buffer): Promise<boolean> {
	const now = await fs.readFile(absPath);
	return !now.equals(readBytes);
}

export async function writeAtomically(absPath: string, bytes: Buffer): Promise<void> {
	const target = await fs.realpath(absPath);
	await writeFileAtomic(target, bytes, { fsync: true });
}
