/*
 * The per-file work of each phase, the same in the main thread (`--jobs 1`)
 * and in workers: index one file, find one file's plain-name uses, migrate
 * one file. Pure computations over the file's bytes and the run's context;
 * nothing here writes.
 */
import { isMainThread } from 'worker_threads';
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import { compareDiagnostics, Diagnostic } from '../diagnostics';
import { applyEdits, countByRule, Edit, OverlappingEditsError } from '../edit/edit';
import { composeEdits } from '../edit/compose';
import { describeFsError, displayPathFor } from '../fs/discover';
import { readSource } from '../fs/read';
import { editInsideComment } from '../edit/guard';
import type { CorpusIndex, FileIndex, Span } from '../index/types';
import { bytesHaveAnyToken, INDEX_TOKENS, scanFileSafely, tokenFreePart } from '../index/scan';
import { scanPlainUses } from '../index/uses';
import { ParsedFile } from '../parse/parsed-file';
import { parsesWorse } from '../parse/sanity';
import { unifiedDiff } from '../print/patch';
import { decodeSource, isBinary } from '../source';
import type { RunContext, Transform, TransformResult } from '../transform';
import { resolveTransforms } from '../transforms';
import type { FileResult } from '../pipeline';

/** One file as a task: read from `absPath`, or given in memory. */
export interface FileTask {
	path: string;
	absPath?: string;
	content?: Uint8Array;
}

export interface MigrateSettings {
	transforms: string[];
	explain: boolean;
	withDiff: boolean;
	cwd: string;
	/** Return the bytes read, so that the writer can tell whether the file changed since. */
	returnBytes: boolean;
}

export type FileOutcome = FileResult & { size: number; readBytes?: Uint8Array };

export async function readTask(t: FileTask): Promise<Buffer> {
	if (t.content) return Buffer.from(t.content.buffer, t.content.byteOffset, t.content.byteLength);
	// Regular files only (a FIFO named x.c would hang the run), and not a mode-000 one even as root.
	return readSource(t.absPath ?? t.path);
}

/**
 * Test hook: a worker given a file whose path contains this environment
 * variable's value never finishes it, so the per-file time limit can be
 * tested without a pathological input. Never active in the main thread.
 */
function stallForTests(t: FileTask): void {
	const stall = process.env.VIMAGE_MIGRATE_TEST_STALL;
	if (!isMainThread && stall && t.path.includes(stall)) for (;;);
}

/** Phase 1: the file's part of the index; none for unreadable, binary or token-free files. */
export async function indexTask(t: FileTask): Promise<{ part?: FileIndex; size: number }> {
	let bytes: Buffer;
	try {
		bytes = await readTask(t);
	} catch {
		return { size: 0 }; // reported when the file itself is processed
	}
	if (!bytesHaveAnyToken(bytes, INDEX_TOKENS)) {
		const part = t.path.endsWith('.h') && !isBinary(bytes) ? tokenFreePart(t.path, decodeSource(bytes)) : undefined;
		return part ? { part, size: bytes.length } : { size: bytes.length };
	}
	if (isBinary(bytes)) return { size: bytes.length };
	stallForTests(t);
	return { part: scanFileSafely(new ParsedFile(t.path, decodeSource(bytes))), size: bytes.length };
}

/** Phase 1b: the file's uses of members' plain names (needs every member's name). */
export async function usesTask(t: FileTask, part: FileIndex, names: Set<string>): Promise<Array<{ member: string; span: Span }>> {
	let bytes: Buffer;
	try {
		bytes = await readTask(t);
	} catch {
		return [];
	}
	if (isBinary(bytes)) return [];
	return scanPlainUses(new ParsedFile(t.path, decodeSource(bytes)), part, names);
}

/** A failed file; its error diagnostic (at `line` when given) comes after any diagnostics passed in `extra`. */
function failed(path: string, reason: string, code: string, extra: Partial<FileResult> = {}, line?: number): FileResult {
	const error: Diagnostic = { severity: 'error', code, message: reason, file: path, ...(line ? { line } : {}), rule: 'pipeline' };
	return { path, status: 'failed', reason, edits: [], editsByRule: {}, ...extra, diagnostics: [...(extra.diagnostics ?? []), error] };
}

export function timedOut(path: string, seconds: number): FileResult {
	return failed(path, `timeout: processing took longer than ${seconds} s (--timeout); file left untouched`, 'limit/timeout');
}

/**
 * Test hook: with this environment variable set to N, each file's migration
 * waits N ms first, so a test can interrupt a run reliably partway.
 */
async function delayForTests(): Promise<void> {
	const ms = Number(process.env.VIMAGE_MIGRATE_TEST_DELAY_MS ?? 0);
	if (ms > 0) await new Promise((r) => setTimeout(r, ms));
}

/** Phase 2: the file's migration (edits, output, diff), written by the caller. */
export async function migrateTask(t: FileTask, index: CorpusIndex, settings: MigrateSettings): Promise<FileOutcome> {
	await delayForTests();
	let bytes: Buffer;
	try {
		bytes = await readTask(t);
	} catch (e) {
		return { ...failed(t.path, `cannot read: ${describeFsError(e)}`, 'input/unreadable'), size: 0 };
	}
	let result: FileResult;
	try {
		result = migrateBytes(t, bytes, index, settings);
	} catch (e) {
		// One file's failure, whatever it is, never stops the others.
		result = failed(t.path, `internal error: ${(e as Error)?.message ?? e}; file left untouched`, 'internal/file');
	}
	return {
		...result,
		size: bytes.length,
		...(settings.returnBytes && result.status === 'changed' ? { readBytes: bytes } : {}),
	};
}

function migrateBytes(t: FileTask, bytes: Buffer, index: CorpusIndex, settings: MigrateSettings): FileResult {
	const transforms: Transform[] = resolveTransforms(settings.transforms);
	const tokens = transforms.flatMap((x) => x.tokens);
	const base: FileResult = { path: t.path, status: 'unchanged', edits: [], editsByRule: {}, diagnostics: [] };
	// The prefilter looks at bytes: a file with no token is never decoded or parsed.
	if (!bytesHaveAnyToken(bytes, tokens)) {
		return isBinary(bytes) ? failed(t.path, 'binary file (contains NUL bytes): not C source, left untouched', 'input/binary') : base;
	}
	if (isBinary(bytes)) return failed(t.path, 'binary file (contains NUL bytes): not C source, left untouched', 'input/binary');
	stallForTests(t);
	const text = decodeSource(bytes);
	const context: RunContext = { transforms: new Set(transforms.map((x) => x.name)), explain: settings.explain };
	const file = new ParsedFile(t.path, text);
	const results: TransformResult[] = [];
	const diagnostics: Diagnostic[] = [];
	for (const p of file.lexed.problems) {
		diagnostics.push({ severity: 'warning', code: 'lex/problem', message: p.message, file: t.path, ...file.position(p.offset), rule: 'lexer' });
	}
	for (const x of transforms) {
		if (!bytesHaveAnyToken(bytes, x.tokens)) continue;
		try {
			const r = x.run(file, index, context);
			results.push(r);
			diagnostics.push(...r.diagnostics);
		} catch (e) {
			return failed(t.path, `internal error in ${x.name}: ${(e as Error).message}; file left untouched`, 'internal/transform', { diagnostics });
		}
	}
	diagnostics.sort(compareDiagnostics);

	let edits: Edit[];
	let output: string;
	const deletion = results.find((r) => r.deleteFile)?.deleteFile;
	try {
		edits = composeEdits(file, results);
		output = deletion ? '' : applyEdits(t.path, text, edits);
	} catch (e) {
		if (e instanceof OverlappingEditsError) return failed(t.path, `${e.message}; file left untouched`, 'internal/overlap', { diagnostics });
		throw e;
	}
	const inComment = editInsideComment(edits, file.lexed.comments);
	if (inComment) {
		return failed(t.path, `internal error: a ${inComment.edit.rule} edit lands inside a comment (an unterminated one?); file left untouched`,
			'internal/in-comment', { diagnostics }, file.position(inComment.offset).line);
	}
	const result: FileResult = { ...base, edits, editsByRule: countByRule(edits), diagnostics };
	if (output === text) return result;
	if (!deletion) {
		// Output that parses worse than its input (known macros treated alike on both sides) is not written.
		const worse = parsesWorse(file, new ParsedFile(t.path, output));
		if (worse) {
			return failed(t.path, `the migrated text parses worse than the input (${worse.extra} more ERROR/MISSING nodes, ` +
				`the first new one near this line of the output): not written`, 'output/parse-worse', { diagnostics }, worse.line);
		}
	}
	result.status = 'changed';
	result.output = output;
	if (deletion) {
		result.deleted = true;
		diagnostics.push({ severity: 'note', code: 'output/deleted', message: `file deleted: ${deletion}`, file: t.path, rule: 'pipeline' });
	}
	if (settings.withDiff) {
		const shown = t.absPath ? displayPathFor(t.absPath, settings.cwd) : t.path;
		// A deleted file's patch names /dev/null as the new file, as git and patch expect.
		result.diff = deletion
			? createTwoFilesPatch(`a/${shown}`, '/dev/null', text, output, undefined, undefined, { headerOptions: FILE_HEADERS_ONLY })
			: unifiedDiff(`a/${shown}`, `b/${shown}`, text, edits);
	}
	return result;
}
