/**
 * The whole-tree model of the old VIMAGE design that transforms consult.
 * It is computed before any file is transformed, from every file given.
 * This first version records where INIT_VNET_<MOD> macros are defined; the
 * scan issue grows it into the full index (containers, members, ...).
 */
import type { ParsedFile } from '../parse/parsed-file';

export const INDEX_SCHEMA_VERSION = 1;

export interface MacroDefinition {
	name: string;
	file: string;
	line: number;
}

export interface CorpusIndex {
	schemaVersion: number;
	/** `#define INIT_VNET_<MOD>` definitions found in the tree. */
	initVnetMacros: MacroDefinition[];
}

export function emptyIndex(): CorpusIndex {
	return { schemaVersion: INDEX_SCHEMA_VERSION, initVnetMacros: [] };
}

export const INIT_VNET_PREFIX = 'INIT_VNET_';

export function isInitVnetName(name: string): boolean {
	return name.startsWith(INIT_VNET_PREFIX) && name.length > INIT_VNET_PREFIX.length;
}

/** The per-file part of the index; `mergeIndex` combines parts in path order. */
export function indexFile(file: ParsedFile): CorpusIndex {
	const idx = emptyIndex();
	for (const d of file.lexed.directives) {
		if (d.name === 'define' && d.tokens.length > 0 && isInitVnetName(d.tokens[0].text)) {
			idx.initVnetMacros.push({ name: d.tokens[0].text, file: file.path, line: file.lines.line(d.start) });
		}
	}
	return idx;
}

export function mergeIndex(parts: CorpusIndex[]): CorpusIndex {
	const idx = emptyIndex();
	for (const p of parts) idx.initVnetMacros.push(...p.initVnetMacros);
	idx.initVnetMacros.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
	return idx;
}
