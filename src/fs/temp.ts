/*
 * Scratch space on disk for data a run keeps only to save memory (index
 * parts between the phases, the workers' context for a replacement
 * worker). The file is unlinked as soon as it is open, so nothing is left
 * behind whatever ends the run; each user falls back to memory when the
 * temporary directory cannot be used.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** A fresh, already unlinked file in the temporary directory, open for reading and writing; throws when it cannot be made. */
export function openUnlinkedTemp(): number {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vimage-migrate-'));
	const file = path.join(dir, 'scratch');
	try {
		const fd = fs.openSync(file, 'w+', 0o600);
		fs.unlinkSync(file);
		return fd;
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** Writes all of `bytes` at `position` (throws on a full disk). */
export function writeAllAt(fd: number, bytes: Uint8Array, position: number): void {
	for (let done = 0; done < bytes.length;) done += fs.writeSync(fd, bytes, done, bytes.length - done, position + done);
}

/** Reads `length` bytes at `position`. */
export function readAt(fd: number, length: number, position: number): Buffer {
	// Never from Buffer's shared pool: the caller may transfer the result's ArrayBuffer to a worker.
	const bytes = Buffer.allocUnsafeSlow(length);
	for (let done = 0; done < length;) {
		const n = fs.readSync(fd, bytes, done, length - done, position + done);
		if (n === 0) throw new Error(`scratch file ended after ${done} of ${length} bytes`);
		done += n;
	}
	return bytes;
}

/**
 * One value kept serialized, on disk when it can be (in memory otherwise),
 * for the rare moment it is needed again.
 */
export class ParkedBytes {
	private fd?: number;
	private inMemory?: Buffer;
	private readonly length: number;

	/** `fd`: an open file to park in instead of a fresh temporary one (tests). */
	constructor(bytes: Buffer, fd?: number) {
		this.length = bytes.length;
		try {
			this.fd = fd ?? openUnlinkedTemp();
			writeAllAt(this.fd, bytes, 0);
		} catch {
			if (this.fd !== undefined) fs.closeSync(this.fd);
			this.fd = undefined;
			this.inMemory = bytes;
		}
	}

	/** Whether the bytes went to disk (false: they are held in memory). */
	get onDisk(): boolean {
		return this.fd !== undefined;
	}

	/** A fresh copy with an ArrayBuffer of its own (so it can be transferred to a worker). */
	read(): Buffer {
		if (this.fd !== undefined) return readAt(this.fd, this.length, 0);
		const copy = Buffer.allocUnsafeSlow(this.length);
		this.inMemory!.copy(copy);
		return copy;
	}

	close(): void {
		if (this.fd !== undefined) fs.closeSync(this.fd);
		this.fd = undefined;
		this.inMemory = undefined;
	}
}
