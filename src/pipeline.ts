/*
 * The migration pipeline, one way through:
 *   discover -> read -> index (whole tree) -> parse + transform (per file)
 *   -> apply edits -> write or diff -> report.
 * Transforms are pure; all I/O happens here and in fs/.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import { compareDiagnostics, Diagnostic } from './diagnostics';
import { applyEdits, countByRule, Edit, OverlappingEditsError } from './edit/edit';
import { describeFsError, discover, displayPathFor } from './fs/discover';
import { readSource } from './fs/read';
import { fileChangedSince, isReadOnly, writeAtomically } from './fs/write';
import type { CorpusIndex } from './index/corpus-index';
import { hasAnyToken, scanSources } from './index/scan';
import { verifyIndexes, VerifyResult } from './verify/verify';
import { findModuleDirs } from './fs/kmod';
import type { Arch } from './model/layout';
import { ParsedFile } from './parse/parsed-file';
import { parsesWorse } from './parse/sanity';
import { unifiedDiff } from './print/patch';
import { yieldToEventLoop } from './parse/parser';
import { decodeSource, encodeSource, isBinary } from './source';
import type { RunContext, Transform, TransformResult } from './transform';
import { composeEdits } from './edit/compose';
import { editInsideComment } from './edit/guard';
import { resolveTransforms } from './transforms';

export type Mode = 'dry-run' | 'write' | 'check';
export type FileStatus = 'changed' | 'unchanged' | 'skipped' | 'failed';

export interface InMemoryFile {
	path: string;
	content: Buffer | string;
}

export interface MigrateOptions {
	/** Files and directories to migrate. */
	paths?: string[];
	/** Files given in memory instead of paths (never written). */
	files?: InMemoryFile[];
	/** Transform names, in any order; default: all, in the fixed order. */
	transforms?: string[];
	mode?: Mode;
	/** Base for display paths and relative paths; default process.cwd(). */
	cwd?: string;
	/** Include each changed file's unified diff in the result (default true). */
	diffs?: boolean;
	/** A saved index to merge with the one computed from the given files. */
	index?: CorpusIndex;
	/** Verify the migrated result against the old tree before anything is written (`--verify`). */
	verify?: boolean;
	/** The architecture verify lays variables out for (default amd64). */
	arch?: Arch;
	/** Explain every decision a transform makes (`--explain`). */
	explain?: boolean;
	/** Functions to treat as per-vnet constructors besides those the index finds. */
	constructors?: string[];
	/** Called after each file, for progress display. */
	onFile?: (result: FileResult, done: number, total: number) => void;
}

export interface FileResult {
	path: string;
	status: FileStatus;
	/** Why a file was skipped or failed. */
	reason?: string;
	edits: Edit[];
	editsByRule: Record<string, number>;
	diagnostics: Diagnostic[];
	/** New content (Latin-1 string, byte-exact), when changed. */
	output?: string;
	/** Unified diff with a/ and b/ paths, when changed. */
	diff?: string;
	/** The migration deletes the file (an emptied container header). */
	deleted?: boolean;
	written?: boolean;
}

export interface Totals {
	scanned: number;
	changed: number;
	unchanged: number;
	skipped: number;
	failed: number;
	editsByRule: Record<string, number>;
	errors: number;
	warnings: number;
	notes: number;
}

export interface MigrationResult {
	mode: Mode;
	transforms: string[];
	files: FileResult[];
	/** Problems not tied to one file's content (a missing path, ...). */
	diagnostics: Diagnostic[];
	totals: Totals;
	/** With `verify`: the verdict on the migrated tree. */
	verification?: VerifyResult;
	/** 0: all good; 1: some file failed, --check found changes, or verification failed. */
	exitCode: number;
}

interface Source {
	path: string;
	absPath?: string;
	read(): Promise<Buffer>;
}

export async function migrate(options: MigrateOptions): Promise<MigrationResult> {
	const cwd = options.cwd ?? process.cwd();
	const mode = options.mode ?? 'dry-run';
	const transforms = resolveTransforms(options.transforms);
	const runDiagnostics: Diagnostic[] = [];
	const sources: Source[] = [];

	if (options.paths && options.paths.length > 0) {
		const found = await discover(options.paths, { cwd });
		for (const p of found.problems) {
			runDiagnostics.push({ severity: 'error', code: 'input/missing', message: p.message, file: p.path, rule: 'discover' });
		}
		for (const f of found.files) sources.push({ path: f.displayPath, absPath: f.absPath, read: () => readSource(f.absPath) });
	}
	for (const f of options.files ?? []) {
		const bytes = typeof f.content === 'string' ? Buffer.from(f.content, 'latin1') : f.content;
		sources.push({ path: f.path, read: async () => bytes });
	}

	const tokens = transforms.flatMap((t) => t.tokens);
	const index = await scanSources(sources, { saved: options.index ? [options.index] : [], constructors: options.constructors });
	if (transforms.some((t) => t.usesIndex)) {
		for (const d of index.diagnostics) {
			runDiagnostics.push({ severity: d.severity === 'error' ? 'warning' : d.severity, code: d.code, message: d.message, file: d.file, ...(d.line ? { line: d.line } : {}), rule: 'index' });
		}
	}

	const context: RunContext = { transforms: new Set(transforms.map((t) => t.name)), explain: options.explain ?? false };
	// A file named on the command line is rooted at its directory, so a link there leaving it is caught too.
	const roots = await Promise.all((options.paths ?? []).map(async (p) => {
		const abs = path.resolve(cwd, p);
		const st = await fs.lstat(abs).catch(() => undefined);
		return st?.isDirectory() ? abs : path.dirname(abs);
	}));
	const results: FileResult[] = [];
	for (const [k, source] of sources.entries()) {
		// One file's failure, whatever it is, never stops the others.
		const result = await processFile(source, transforms, tokens, index, context, mode, options.diffs ?? true, cwd, roots)
			.catch((e: unknown) => failed(source.path, `internal error: ${(e as Error)?.message ?? e}; file left untouched`, 'internal/file'));
		results.push(result);
		options.onFile?.(result, k + 1, sources.length);
		await yieldToEventLoop();
	}

	const totals = summarize(results, runDiagnostics);
	const wouldChange = mode === 'check' && totals.changed > 0;
	let verification: VerifyResult | undefined;
	if (options.verify) {
		// The migrated tree as it would be written: outputs where changed, deleted files gone.
		const migrated = results
			.filter((r) => !r.deleted && r.status !== 'failed')
			.map((r) => {
				const source = sources.find((s) => s.path === r.path)!;
				return { path: r.path, read: async () => (r.output !== undefined ? Buffer.from(r.output, 'latin1') : source.read()) };
			});
		// What the migration reported as left for the developer is listed, not failed.
		const reported = results.flatMap((r) => r.diagnostics.filter((d) => d.severity === 'warning').map((d) => ({ file: d.file, text: d.message })));
		// Directories whose Makefile builds a module (KMOD=), among those of the files read from disk.
		const onDisk = sources.filter((s) => s.absPath);
		const modules = await findModuleDirs(onDisk.map((s) => s.path), (dir) => path.resolve(cwd, dir));
		verification = verifyIndexes(index, await scanSources(migrated), reported, { arch: options.arch, modules });
	}
	return {
		mode,
		transforms: transforms.map((t) => t.name),
		files: results,
		diagnostics: runDiagnostics,
		totals,
		...(verification ? { verification } : {}),
		exitCode: totals.failed > 0 || runDiagnostics.some((d) => d.severity === 'error') || wouldChange || (verification && !verification.ok) ? 1 : 0,
	};
}

/** A failed file; its error diagnostic (at `line` when given) comes after any diagnostics passed in `extra`. */
function failed(path: string, reason: string, code: string, extra: Partial<FileResult> = {}, line?: number): FileResult {
	const error: Diagnostic = { severity: 'error', code, message: reason, file: path, ...(line ? { line } : {}), rule: 'pipeline' };
	return {
		path,
		status: 'failed',
		reason,
		edits: [],
		editsByRule: {},
		...extra,
		diagnostics: [...(extra.diagnostics ?? []), error],
	};
}

async function processFile(
	source: Source,
	transforms: Transform[],
	tokens: string[],
	index: CorpusIndex,
	context: RunContext,
	mode: Mode,
	withDiff: boolean,
	cwd: string,
	roots: string[],
): Promise<FileResult> {
	let bytes: Buffer;
	try {
		bytes = await source.read();
	} catch (e) {
		return failed(source.path, `cannot read: ${describeFsError(e)}`, 'input/unreadable');
	}
	if (isBinary(bytes)) {
		return failed(source.path, 'binary file (contains NUL bytes): not C source, left untouched', 'input/binary');
	}
	const text = decodeSource(bytes);
	const base: FileResult = { path: source.path, status: 'unchanged', edits: [], editsByRule: {}, diagnostics: [] };
	if (!hasAnyToken(text, tokens)) return base;

	const file = new ParsedFile(source.path, text);
	const results: TransformResult[] = [];
	const diagnostics: Diagnostic[] = [];
	for (const p of file.lexed.problems) {
		diagnostics.push({ severity: 'warning', code: 'lex/problem', message: p.message, file: source.path, ...file.position(p.offset), rule: 'lexer' });
	}
	for (const t of transforms) {
		if (!hasAnyToken(text, t.tokens)) continue;
		try {
			const r = t.run(file, index, context);
			results.push(r);
			diagnostics.push(...r.diagnostics);
		} catch (e) {
			return failed(source.path, `internal error in ${t.name}: ${(e as Error).message}; file left untouched`, 'internal/transform', { diagnostics });
		}
	}
	diagnostics.sort(compareDiagnostics);

	let edits: Edit[];
	let output: string;
	const deletion = results.find((r) => r.deleteFile)?.deleteFile;
	try {
		edits = composeEdits(file, results);
		output = deletion ? '' : applyEdits(source.path, text, edits);
	} catch (e) {
		if (e instanceof OverlappingEditsError) return failed(source.path, `${e.message}; file left untouched`, 'internal/overlap', { diagnostics });
		throw e;
	}
	const inComment = editInsideComment(edits, file.lexed.comments);
	if (inComment) {
		return failed(source.path, `internal error: a ${inComment.edit.rule} edit lands inside a comment (an unterminated one?); file left untouched`,
			'internal/in-comment', { diagnostics }, file.position(inComment.offset).line);
	}
	const result: FileResult = { ...base, edits, editsByRule: countByRule(edits), diagnostics };
	if (output === text) return result;
	if (!deletion) {
		// Output that parses worse than its input (known macros treated alike on both sides) is not written.
		const worse = parsesWorse(file, new ParsedFile(source.path, output));
		if (worse) {
			return failed(source.path, `the migrated text parses worse than the input (${worse.extra} more ERROR/MISSING nodes, ` +
				`the first new one near this line of the output): not written`, 'output/parse-worse', { diagnostics }, worse.line);
		}
	}
	result.status = 'changed';
	result.output = output;
	if (deletion) {
		result.deleted = true;
		diagnostics.push({ severity: 'note', code: 'output/deleted', message: `file deleted: ${deletion}`, file: source.path, rule: 'pipeline' });
	}
	if (withDiff) {
		const shown = source.absPath ? displayPathFor(source.absPath, cwd) : source.path;
		// A deleted file's patch names /dev/null as the new file, as git and patch expect.
		result.diff = deletion
			? createTwoFilesPatch(`a/${shown}`, '/dev/null', text, output, undefined, undefined, { headerOptions: FILE_HEADERS_ONLY })
			: unifiedDiff(`a/${shown}`, `b/${shown}`, text, edits);
	}
	if (mode === 'write' && source.absPath) {
		const escape = await outsideRoots(source.absPath, roots);
		const problem = escape ?? (deletion ? await deleteFile(source.absPath, bytes) : await writeFile(source.absPath, bytes, encodeSource(output)));
		if (problem) {
			const error: Diagnostic = { severity: 'error', code: 'output/not-written', message: problem, file: source.path, rule: 'pipeline' };
			return { ...result, status: 'failed', reason: problem, diagnostics: [...diagnostics, error] };
		}
		result.written = true;
	}
	return result;
}

/**
 * A symlink whose target lies outside every root given is never written
 * through: the run was asked to change these trees, not what they point to.
 */
async function outsideRoots(absPath: string, roots: string[]): Promise<string | undefined> {
	const real = await fs.realpath(absPath).catch(() => absPath);
	const inside = await Promise.all(roots.map(async (r) => {
		const root = await fs.realpath(r).catch(() => r);
		return real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
	}));
	return inside.some(Boolean) ? undefined : `a symlink to ${real}, outside the trees given: not written through`;
}

/** Deletes a file the migration emptied; returns why not when it could not. */
async function deleteFile(absPath: string, readBytes: Buffer): Promise<string | undefined> {
	try {
		if (await isReadOnly(absPath)) return 'read-only file: not deleted';
		if (await fileChangedSince(absPath, readBytes)) return 'file changed since it was read: not deleted';
		await fs.unlink(absPath);
		return undefined;
	} catch (e) {
		return `not deleted: ${describeFsError(e)}`;
	}
}

/** Writes the new content; returns why not when it could not. */
async function writeFile(absPath: string, readBytes: Buffer, output: Buffer): Promise<string | undefined> {
	try {
		if (await isReadOnly(absPath)) return 'read-only file: not written';
		if (await fileChangedSince(absPath, readBytes)) return 'file changed since it was read: not written';
		await writeAtomically(absPath, output);
		return undefined;
	} catch (e) {
		return `not written: ${describeFsError(e)}`;
	}
}

function summarize(files: FileResult[], runDiagnostics: Diagnostic[]): Totals {
	const t: Totals = { scanned: files.length, changed: 0, unchanged: 0, skipped: 0, failed: 0, editsByRule: {}, errors: 0, warnings: 0, notes: 0 };
	for (const f of files) {
		t[f.status]++;
		for (const [rule, n] of Object.entries(f.editsByRule)) t.editsByRule[rule] = (t.editsByRule[rule] ?? 0) + n;
	}
	// The run's own diagnostics (the index's) count with the files'.
	for (const d of [...files.flatMap((f) => f.diagnostics), ...runDiagnostics]) {
		if (d.severity === 'error') t.errors++;
		else if (d.severity === 'warning') t.warnings++;
		else t.notes++;
	}
	return t;
}
