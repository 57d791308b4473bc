/** Reading a saved index (`scan --json -o FILE`), checked before use. */
import { promises as fs } from 'fs';
import type { CorpusIndex } from './types';
import { INDEX_SCHEMA_VERSION } from './types';

export async function readSavedIndex(file: string): Promise<CorpusIndex> {
	const text = await fs.readFile(file, 'utf8');
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch (e) {
		throw new Error(`not JSON: ${(e as Error).message}`);
	}
	const index = data as Partial<CorpusIndex>;
	if (index.schemaVersion !== INDEX_SCHEMA_VERSION || !Array.isArray(index.parts) || !Array.isArray(index.members)) {
		throw new Error(`not a vimage-migrate index of schema ${INDEX_SCHEMA_VERSION} (write one with \`vimage-migrate scan --json -o FILE\`)`);
	}
	return index as CorpusIndex;
}
