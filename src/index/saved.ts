/*
 * A saved index (`scan --json -o FILE`) written and read back. The index of
 * a large tree is larger than the longest string V8 can hold (about 512 MB),
 * so it is never one string: it is written as JSON with each top-level field
 * on a line of its own and each element of a top-level array on a line of
 * its own, and a file too large to parse at once is read line by line in
 * that layout. Any JSON layout of a smaller file parses as well.
 */
import { createReadStream, promises as fs } from 'fs';
import { createInterface } from 'readline';
import type { CorpusIndex } from './types';
import { INDEX_SCHEMA_VERSION } from './types';

/** The index as JSON text, in pieces of about one line each (see the file comment). */
export function* indexJsonChunks(index: CorpusIndex): Generator<string> {
	const entries = Object.entries(index).filter(([, v]) => v !== undefined);
	yield '{\n';
	for (const [k, [key, value]] of entries.entries()) {
		const comma = k < entries.length - 1 ? ',' : '';
		if (Array.isArray(value)) {
			yield `${JSON.stringify(key)}: [\n`;
			for (let i = 0; i < value.length; i++) yield `${JSON.stringify(value[i])}${i < value.length - 1 ? ',' : ''}\n`;
			yield `]${comma}\n`;
		} else yield `${JSON.stringify(key)}: ${JSON.stringify(value)}${comma}\n`;
	}
	yield '}\n';
}

/** Writes the index to a file in pieces, never holding the whole text. */
export async function writeSavedIndex(file: string, index: CorpusIndex): Promise<void> {
	const handle = await fs.open(file, 'w');
	try {
		let pending: string[] = [];
		let size = 0;
		for (const chunk of indexJsonChunks(index)) {
			pending.push(chunk);
			size += chunk.length;
			if (size >= 1 << 20) {
				await handle.write(pending.join(''));
				pending = [];
				size = 0;
			}
		}
		await handle.write(pending.join(''));
	} finally {
		await handle.close();
	}
}

/** Files up to this size are parsed at once (any JSON layout); larger ones line by line. */
const WHOLE_PARSE_LIMIT = 256 * 1024 * 1024;

export async function readSavedIndex(file: string, wholeParseLimit = WHOLE_PARSE_LIMIT): Promise<CorpusIndex> {
	const { size } = await fs.stat(file);
	let data: unknown;
	if (size <= wholeParseLimit) {
		const text = await fs.readFile(file, 'utf8');
		try {
			data = JSON.parse(text);
		} catch (e) {
			throw new Error(`not JSON: ${(e as Error).message}`);
		}
	} else data = await parseByLines(file);
	const index = data as Partial<CorpusIndex>;
	if (index.schemaVersion !== INDEX_SCHEMA_VERSION || !Array.isArray(index.parts) || !Array.isArray(index.members)) {
		throw new Error(`not a vimage-migrate index of schema ${INDEX_SCHEMA_VERSION} (write one with \`vimage-migrate scan --json -o FILE\`)`);
	}
	return index as CorpusIndex;
}

/** Reads the layout `indexJsonChunks` writes, one line at a time. */
async function parseByLines(file: string): Promise<unknown> {
	const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
	const result: Record<string, unknown> = {};
	let array: unknown[] | undefined;
	let n = 0;
	let closed = false;
	const fail = (why: string) => new Error(`${file}:${n}: too large to parse at once, and not in the layout scan writes (${why}); write it again with \`vimage-migrate scan --json -o FILE\``);
	for await (const raw of lines) {
		n++;
		const line = raw.trimEnd();
		const bare = line.endsWith(',') ? line.slice(0, -1) : line;
		try {
			if (n === 1) {
				if (line !== '{') throw fail('it does not start with a line holding only {');
			} else if (closed) {
				if (line !== '') throw fail('text after the closing }');
			} else if (array) {
				if (bare === ']') array = undefined;
				else array.push(JSON.parse(bare));
			} else if (line === '}') closed = true;
			else {
				const m = /^("(?:[^"\\]|\\.)*"): (.*)$/.exec(bare);
				if (!m) throw fail('a line that is no "field": value');
				const key = JSON.parse(m[1]) as string;
				if (m[2] === '[') result[key] = array = [];
				else result[key] = JSON.parse(m[2]);
			}
		} catch (e) {
			if (e instanceof SyntaxError) throw fail(`not JSON: ${e.message}`);
			throw e;
		}
	}
	if (!closed) throw fail('it ends before its closing }');
	return result;
}
