/*
 * Source text encoding, isolated here on purpose.
 *
 * Kernel sources are bytes, not UTF-8: 2009 FreeBSD files carry Latin-1
 * author names, and some have CRLF or a stray BOM. tree-sitter's Node
 * binding takes a JS string and reports string indices, not byte offsets.
 * Decoding the bytes as Latin-1 maps every byte to exactly one UTF-16 code
 * unit, so every string index IS the byte offset and encoding back with
 * Latin-1 reproduces the input exactly. C tokens are ASCII, so the parser
 * loses nothing. Every other module works on these strings only.
 */

export function decodeSource(bytes: Buffer): string {
	return bytes.toString('latin1');
}

export function encodeSource(text: string): Buffer {
	return Buffer.from(text, 'latin1');
}

/**
 * A file is binary when it holds a NUL byte: no C source does, and a
 * Latin-1 decode would otherwise accept anything.
 */
export function isBinary(bytes: Buffer): boolean {
	return bytes.includes(0);
}

/** Offsets to 1-based line and column numbers. */
export class LineMap {
	private readonly starts: number[];

	constructor(text: string) {
		const starts = [0];
		let i = text.indexOf('\n');
		while (i !== -1) {
			starts.push(i + 1);
			i = text.indexOf('\n', i + 1);
		}
		this.starts = starts;
	}

	/** 1-based line of a byte offset. */
	line(offset: number): number {
		let lo = 0;
		let hi = this.starts.length - 1;
		while (lo < hi) {
			const mid = (lo + hi + 1) >> 1;
			if (this.starts[mid] <= offset) lo = mid;
			else hi = mid - 1;
		}
		return lo + 1;
	}

	column(offset: number): number {
		return offset - this.starts[this.line(offset) - 1] + 1;
	}

	lineStart(line: number): number {
		return this.starts[line - 1];
	}

	get lineCount(): number {
		return this.starts.length;
	}
}

/** Start of the line holding `offset`. */
export function lineStartOf(text: string, offset: number): number {
	return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset just past the newline ending the line that holds `offset` (or text end). */
export function lineEndOf(text: string, offset: number): number {
	const nl = text.indexOf('\n', offset);
	return nl === -1 ? text.length : nl + 1;
}

export function isBlank(s: string): boolean {
	return /^[ \t\r\f\v]*\n?$/.test(s);
}
