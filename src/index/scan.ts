/**
 * Building the index of a tree: the per-file pass over every candidate
 * file, the merge, then the plain-name pass. Reads through `read()` so the
 * same code serves paths and in-memory files.
 */
import { ParsedFile } from '../parse/parsed-file';
import { yieldToEventLoop } from '../parse/parser';
import { decodeSource, isBinary } from '../source';
import { mergeIndex, MergeOptions, withPlainUses } from './corpus-index';
import { emptyFileIndex, scanFile, scanMacroDefinitions } from './extract';
import type { CorpusIndex, FileIndex, Span } from './types';
import { scanPlainUses } from './uses';

/** Files holding none of these strings have nothing of the old design. */
export const INDEX_TOKENS = ['INIT_VNET', 'VIMAGE', 'VNET', 'vnet', 'VSYM', 'V_'];

export interface ScanSource {
	path: string;
	read(): Promise<Buffer>;
}

export interface ScanOptions extends MergeOptions {
	/** Parts of saved indexes (e.g. of the kernel a module was written against). */
	saved?: CorpusIndex[];
}

export function hasAnyToken(text: string, tokens: readonly string[]): boolean {
	return tokens.some((t) => text.includes(t));
}

/**
 * The prefilter on raw bytes, before any decoding: `Buffer.indexOf` is a
 * native substring search, so token-free files cost one pass per token at
 * memory speed (bench/: several hundred MB/s).
 */
export function bytesHaveAnyToken(bytes: Buffer, tokens: readonly string[]): boolean {
	return tokens.some((t) => bytes.includes(t, 0, 'latin1'));
}

/**
 * The part of a file the prefilter found free of old-design tokens: for a
 * header that defines macros, its `#define`s, read without a parse
 * (`scanMacroDefinitions`); none for any other file.
 */
export function tokenFreePart(path: string, text: string): FileIndex | undefined {
	if (!path.endsWith('.h') || !text.includes('define')) return undefined;
	const part = scanMacroDefinitions(new ParsedFile(path, text));
	return part.definedMacros.length || part.constantMacros?.length ? part : undefined;
}

async function readText(s: ScanSource): Promise<string | undefined> {
	try {
		const bytes = await s.read();
		return isBinary(bytes) ? undefined : decodeSource(bytes);
	} catch {
		return undefined; // reported when the file itself is processed
	}
}

/** The per-file part, never throwing: an internal failure becomes a diagnostic. */
export function scanFileSafely(file: ParsedFile): FileIndex {
	try {
		return scanFile(file);
	} catch (e) {
		const part = emptyFileIndex(file.path);
		part.diagnostics.push({ severity: 'error', code: 'index/internal', message: `internal error while indexing: ${(e as Error).message}`, file: file.path });
		return part;
	}
}

export async function scanSources(sources: ScanSource[], options: ScanOptions = {}): Promise<CorpusIndex> {
	const parts: FileIndex[] = [];
	for (const s of sources) {
		const text = await readText(s);
		if (text === undefined) continue;
		if (!hasAnyToken(text, INDEX_TOKENS)) {
			const part = tokenFreePart(s.path, text);
			if (part) parts.push(part);
			continue;
		}
		parts.push(scanFileSafely(new ParsedFile(s.path, text)));
		await yieldToEventLoop();
	}
	const bySource = new Map(sources.map((s) => [s.path, s]));
	return finishIndex(parts, options, async (own, names) => {
		const uses: Array<{ member: string; span: Span }> = [];
		for (const part of own) {
			const text = await readText(bySource.get(part.file)!);
			if (text === undefined) continue;
			uses.push(...scanPlainUses(new ParsedFile(part.file, text), part, names));
			await yieldToEventLoop();
		}
		return uses;
	});
}

/** Plain-name uses in the given files (their parts, in path order), given every member's name. */
export type PlainUsesOf = (parts: FileIndex[], names: Set<string>) => Promise<Array<{ member: string; span: Span }>>;

/**
 * The index from the tree's own parts (in any order): merged with saved
 * parts of other files, then the plain-name pass over the own parts
 * (`usesOf` may run them in parallel; the result is sorted).
 */
export async function finishIndex(parts: FileIndex[], options: ScanOptions, usesOf: PlainUsesOf): Promise<CorpusIndex> {
	const saved = (options.saved ?? []).flatMap((i) => i.parts);
	const ownFiles = new Set(parts.map((p) => p.file));
	const external = saved.filter((p) => !ownFiles.has(p.file));
	const merged = mergeIndex([...parts, ...external], options);
	if (external.length) merged.external = external.map((p) => p.file).sort();
	const names = new Set(merged.members.map((m) => m.name));
	// Saved uses count for the files the saved index alone knows (own files are scanned again).
	const uses: Array<{ member: string; span: Span }> = (options.saved ?? []).flatMap((i) => i.plainUses).filter((u) => !ownFiles.has(u.span.file));
	if (names.size > 0) {
		// Token-free headers (their #defines only) hold no code that names a member.
		const own = parts.filter((p) => !p.macrosOnly).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
		uses.push(...(await usesOf(own, names)));
	}
	return withPlainUses(merged, uses);
}

/** The index of a single file on its own (jscodeshift runs see one file at a time). */
export function indexFile(file: ParsedFile): CorpusIndex {
	const part = scanFileSafely(file);
	const merged = mergeIndex([part]);
	return withPlainUses(merged, scanPlainUses(file, part, new Set(merged.members.map((m) => m.name))));
}
