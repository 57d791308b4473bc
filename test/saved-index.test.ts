/*
 * The saved index: written as JSON in lines (a large tree's index is longer
 * than any string V8 holds) and read back whole or line by line.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { indexJsonChunks, readSavedIndex, writeSavedIndex } from '../src/index/saved';
import { scanTree } from '../src/pipeline';
import { removeTree, ROOT } from './helpers/run';

const dir = mkdtempSync(path.join(tmpdir(), 'vimage-saved-'));
afterAll(() => removeTree(dir));

async function corpusIndex() {
	const { index } = await scanTree({ paths: ['corpus/sys', 'corpus/modules'], cwd: ROOT });
	return { ...index, shard: { index: 1, count: 1 } };
}

describe('saved index', () => {
	it('is JSON with one line per top-level field and per element of a top-level array', async () => {
		const index = await corpusIndex();
		const text = [...indexJsonChunks(index)].join('');
		expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(index)));
		const lines = text.split('\n');
		// {, 7 arrays each with its [ line, its elements and its ] line, 2 scalars, }, and the final newline.
		const arrays = Object.values(index).filter(Array.isArray) as unknown[][];
		expect(lines.length).toBe(1 + arrays.reduce((n, a) => n + a.length + 2, 0) + 2 + 1 + 1);
		expect(lines.filter((l) => l.startsWith('{"file":')).length).toBe(index.parts.length);
	});

	it('reads back the same, parsed at once or line by line', async () => {
		const index = await corpusIndex();
		const file = path.join(dir, 'index.json');
		await writeSavedIndex(file, index);
		const expected = JSON.parse(JSON.stringify(index));
		expect(await readSavedIndex(file)).toEqual(expected);
		expect(await readSavedIndex(file, 0)).toEqual(expected);
	});

	it('refuses, naming file and line, a large file in another layout or cut short', async () => {
		const index = await corpusIndex();
		const pretty = path.join(dir, 'pretty.json');
		writeFileSync(pretty, JSON.stringify(index, null, 2));
		expect(await readSavedIndex(pretty)).toEqual(JSON.parse(JSON.stringify(index)));
		await expect(readSavedIndex(pretty, 0)).rejects.toThrow(/pretty\.json:2: too large to parse at once, and not in the layout scan writes/);
		const cut = path.join(dir, 'cut.json');
		await writeSavedIndex(cut, index);
		const text = readFileSync(cut, 'utf8');
		writeFileSync(cut, text.slice(0, text.length / 2));
		await expect(readSavedIndex(cut, 0)).rejects.toThrow(/cut\.json:\d+: too large to parse at once.*(not JSON|ends before)/);
	});
});
