/*
 * The migration pipeline, one way through:
 *   discover -> read -> index (whole tree) -> parse + transform (per file)
 *   -> apply edits -> write or diff -> report.
 * Transforms are pure; all I/O happens here and in fs/.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { mapOrdered } from './batch/ordered';
import { TaskTimeoutError, WorkerPool } from './batch/pool';
import { collectIfGrown, collectNow } from './batch/heap';
import { FileOutcome, FileTask, indexTask, migrateTask, MigrateSettings, readTask, timedOut, usesTask } from './batch/tasks';
import type { WorkerContext, WorkerTask } from './batch/worker';
import type { Diagnostic } from './diagnostics';
import type { Edit } from './edit/edit';
import { describeFsError, discover } from './fs/discover';
import { mayReplace, writeAtomically } from './fs/write';
import type { CorpusIndex } from './index/corpus-index';
import { emptyIndex, filesNeededWhole, mergeIndex, migrationView, OwnFileFields, ownFileFields, partOf, withOwnFields, withPlainUses } from './index/corpus-index';
import { includesFrom, PartStore, restoreForMerge, restoreWhole } from './index/part-store';
import { InternTable, internStrings, shareEmptyFields } from './index/intern';
import { finishIndex, scanSources, ScanOptions } from './index/scan';
import type { FileIndex, Span } from './index/types';
import { verifyIndexes, VerifyResult } from './verify/verify';
import { findModuleDirs } from './fs/kmod';
import type { Arch } from './model/layout';
import { yieldToEventLoop } from './parse/parser';
import { encodeSource } from './source';
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
	/** Worker threads for the per-file phases (default 1: in this thread). */
	jobs?: number;
	/** Per-file time limit in seconds (0: none); a file exceeding it fails as a timeout. Runs in workers. */
	timeout?: number;
	/** Process only this shard of the files; `index` must then be the whole tree's (`scan --merge`). */
	shard?: Shard;
	/**
	 * Called with each file's result as it completes, in path order. When given
	 * (and without `verify`), `files` in the result keeps no outputs, diffs or
	 * edit lists, so memory does not grow with the corpus.
	 */
	onResult?: (result: FileResult) => void | Promise<void>;
	/** Called after each file of each phase, for progress display. */
	onProgress?: (progress: Progress) => void;
	/**
	 * Keep every part of the index whole in memory and migrate in this thread
	 * against it (no part store, no slim view): the plain computation the
	 * memory-saving one is tested against.
	 */
	keepIndexWhole?: boolean;
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
	/** Milliseconds per phase (discover, index, migrate, verify) and in total. */
	phases: Record<string, number>;
	/** Worker threads used (1: in this thread). */
	jobs: number;
	/** 0: all good; 1: some file failed, --check found changes, or verification failed. */
	exitCode: number;
}

/** A contiguous slice of the sorted file list: `--shard K/N` takes the K-th of N (1-based). */
export interface Shard {
	index: number;
	count: number;
}

/** The files of shard K/N: a contiguous slice of the list, so shard outputs concatenate in path order. */
export function shardOf<T>(items: readonly T[], shard: Shard): T[] {
	const from = Math.floor(((shard.index - 1) * items.length) / shard.count);
	const to = Math.floor((shard.index * items.length) / shard.count);
	return items.slice(from, to);
}

export interface Progress {
	phase: 'index' | 'migrate';
	done: number;
	total: number;
	bytes: number;
}

export async function migrate(options: MigrateOptions): Promise<MigrationResult> {
	const started = performance.now();
	const phases: Record<string, number> = {};
	let mark = started;
	const lap = (name: string) => {
		const now = performance.now();
		phases[name] = Math.round(now - mark);
		mark = now;
	};
	const cwd = options.cwd ?? process.cwd();
	const mode = options.mode ?? 'dry-run';
	const transforms = resolveTransforms(options.transforms);
	const runDiagnostics: Diagnostic[] = [];
	let sources: FileTask[] = [];

	if (options.paths && options.paths.length > 0) {
		const found = await discover(options.paths, { cwd });
		for (const p of found.problems) {
			runDiagnostics.push({ severity: 'error', code: 'input/missing', message: p.message, file: p.path, rule: 'discover' });
		}
		for (const f of found.files) sources.push({ path: f.displayPath, absPath: f.absPath });
	}
	for (const f of options.files ?? []) {
		const bytes = typeof f.content === 'string' ? Buffer.from(f.content, 'latin1') : f.content;
		sources.push({ path: f.path, content: bytes });
	}
	if (options.shard) {
		if (!options.index) throw new Error('a shard needs the index of the whole tree (`scan --merge`)');
		sources = shardOf(sources, options.shard);
	}
	lap('discover');

	const jobs = Math.max(1, options.jobs ?? 1);
	const timeout = options.timeout ?? 0;
	const runner: Runner = jobs > 1 || timeout > 0 ? new PooledRunner(jobs, timeout) : new InProcessRunner();
	const window = reorderWindow(jobs);
	const timedOutFiles = new Set<string>();
	// Own-file fields of the index wait on disk between the phases (part-store.ts); verify reads whole parts.
	const store = options.keepIndexWhole || options.verify || options.shard || !transforms.some((t) => t.usesIndex) ? undefined : PartStore.open();
	try {
		const index = await indexAndContext({ options, sources, runner, window, timedOutFiles, store, transforms, runDiagnostics, lap, cwd, mode });
		// The index phase's parts and the view's serialized copy are garbage now.
		collectNow(true);

		// A file named on the command line is rooted at its directory, so a link there leaving it is caught too.
		// Resolved once (a file's own real path is resolved when it is written).
		const roots = await Promise.all((options.paths ?? []).map(async (p) => {
			const abs = path.resolve(cwd, p);
			const st = await fs.lstat(abs).catch(() => undefined);
			const root = st?.isDirectory() ? abs : path.dirname(abs);
			return fs.realpath(root).catch(() => root);
		}));
		const results: FileResult[] = [];
		// Paths first: results then share the sources' path strings instead of copies of them.
		const resultStrings: InternTable = new Map(sources.map((x) => [x.path, x.path]));
		const keepAll = !options.onResult || options.verify;
		let bytes = 0;
		// Each file is written as soon as its result arrives (writes overlap one another and the
		// work still running); its report goes out in path order.
		const deferred = new Map<string, Buffer>();
		const migrateOne = async (source: FileTask): Promise<FileResult> => {
			if (timedOutFiles.has(source.path)) return timedOut(source.path, timeout);
			const outcome = await runner.migrate(source);
			if (outcome === TIMED_OUT) return timedOut(source.path, timeout);
			const { size, readBytes, ...result } = outcome;
			bytes += size;
			// With --verify nothing is written before the verdict (below).
			if (mode === 'write' && options.verify && result.status === 'changed' && readBytes) {
				deferred.set(source.path, Buffer.from(readBytes.buffer, readBytes.byteOffset, readBytes.byteLength));
			}
			if (mode === 'write' && !options.verify && source.absPath && result.status === 'changed') {
				return writeResult(result, source.absPath, Buffer.from(readBytes!.buffer, readBytes!.byteOffset, readBytes!.byteLength), roots);
			}
			return result;
		};
		await mapOrdered(sources, window, migrateOne, async (result, k) => {
			// With workers, this thread only gathers results (diffs, notes): their garbage is collected
			// here too, before it doubles a heap that holds every file's kept result.
			if (runner instanceof PooledRunner) collectIfGrown(MAIN_THREAD_GARBAGE);
			await options.onResult?.(result);
			options.onProgress?.({ phase: 'migrate', done: k + 1, total: sources.length, bytes });
			// Streaming runs keep only what the summary and report need.
			results.push(keepAll ? result : keptResult(result, resultStrings));
		});
		lap('migrate');

		let verification: VerifyResult | undefined;
		if (options.verify) {
			// The migrated tree as it would be written: outputs where changed, deleted files gone,
			// failed files as they are (they are left untouched).
			const bySource = new Map(sources.map((s) => [s.path, s]));
			const migrated = results
				.filter((r) => !r.deleted)
				.map((r) => ({ path: r.path, read: async () => (r.status === 'changed' && r.output !== undefined ? Buffer.from(r.output, 'latin1') : readTask(bySource.get(r.path)!)) }));
			// What the migration reported as left for the developer is listed, not failed.
			const reported = results.flatMap((r) => r.diagnostics.filter((d) => d.severity === 'warning').map((d) => ({ file: d.file, text: d.message })));
			// Directories whose Makefile builds a module (KMOD=), among those of the files read from disk.
			const onDisk = sources.filter((x) => x.absPath);
			const modules = await findModuleDirs(onDisk.map((x) => x.path), (dir) => path.resolve(cwd, dir));
			verification = verifyIndexes(index, await scanSources(migrated), reported, { arch: options.arch, modules });
			lap('verify');
			if (mode === 'write') {
				// Written only once verified; a failed verdict writes nothing.
				for (const [k, r] of results.entries()) {
					const source = bySource.get(r.path)!;
					if (r.status !== 'changed' || !source.absPath) continue;
					if (!verification.ok) {
						r.diagnostics.push({ severity: 'note', code: 'output/not-written', message: 'not written: verify failed', file: r.path, rule: 'pipeline' });
						continue;
					}
					results[k] = await writeResult(r, source.absPath, deferred.get(r.path)!, roots);
				}
			}
		}
		const totals = summarize(results, runDiagnostics);
		const wouldChange = mode === 'check' && totals.changed > 0;
		phases.total = Math.round(performance.now() - started);
		return {
			mode,
			transforms: transforms.map((t) => t.name),
			files: results,
			diagnostics: runDiagnostics,
			totals,
			...(verification ? { verification } : {}),
			phases,
			jobs,
			exitCode: totals.failed > 0 || runDiagnostics.some((d) => d.severity === 'error') || wouldChange || (verification && !verification.ok) ? 1 : 0,
		};
	} finally {
		store?.close();
		await runner.close();
	}
}

/**
 * What a streaming run keeps of a file's result for the summary and the
 * report at the end: no edits, output or diff, strings interned (the same
 * notes and statuses recur in thousands of files, and a name sliced from a
 * file's text would keep the text alive), empty fields shared. At 50,000
 * files this is most of what the main thread holds while workers migrate.
 */
function keptResult(r: FileResult, strings: InternTable): FileResult {
	const kept: FileResult = { path: r.path, status: r.status, edits: NO_EDITS, editsByRule: r.editsByRule, diagnostics: r.diagnostics };
	if (r.reason !== undefined) kept.reason = r.reason;
	if (r.deleted !== undefined) kept.deleted = r.deleted;
	if (r.written !== undefined) kept.written = r.written;
	return shareEmptyFields(internStrings(kept, strings));
}
const NO_EDITS = Object.freeze([]) as unknown as Edit[];

/** Garbage the main thread may hold while workers migrate, in bytes (see collectIfGrown). */
const MAIN_THREAD_GARBAGE = 24e6;

/**
 * Phase 1 (the index) and the runner's context for phase 2; returns the
 * index the rest of the run reads (an empty one when the part store holds
 * it). A function of its own because a suspended async function keeps every
 * local it held alive until it returns: inline in `migrate`, the index
 * phase's parts and the view stayed in the main thread for the whole
 * migration (100 MB at 50,000 files).
 */
async function indexAndContext(run: {
	options: MigrateOptions;
	sources: FileTask[];
	runner: Runner;
	window: number;
	timedOutFiles: Set<string>;
	store: PartStore | undefined;
	transforms: ReturnType<typeof resolveTransforms>;
	runDiagnostics: Diagnostic[];
	lap: (phase: string) => void;
	cwd: string;
	mode: NonNullable<MigrateOptions['mode']>;
}): Promise<CorpusIndex> {
	const { options, sources, runner, window, timedOutFiles, store, transforms, runDiagnostics, lap, cwd, mode } = run;
	// Phase 1: the index. A shard takes the whole tree's index as given (`scan --merge`).
	let index: CorpusIndex;
	if (options.shard) {
		// Merged again from its parts: a saved index is JSON, which loses the objects the merge
		// shares between members and modules (transforms compare them by identity).
		const saved = options.index!;
		index = withPlainUses(mergeIndex(saved.parts, { constructors: options.constructors }), saved.plainUses);
	} else if (!transforms.some((t) => t.usesIndex) && !options.verify) {
		// No transform of this run consults the index (`--transform remove-init-vnet`): no index phase.
		index = emptyIndex();
	} else {
		const parts = await indexParts(sources, runner, window, timedOutFiles, options.onProgress, store, options.verify ?? false);
		index = await finishWith(parts, sources, runner, window, { saved: options.index ? [options.index] : [], constructors: options.constructors }, store);
	}
	if (transforms.some((t) => t.usesIndex)) {
		const own = new Set(sources.map((s) => s.path));
		for (const d of index.diagnostics) {
			// A shard reports only its own files' index diagnostics (and the first shard those of none).
			if (options.shard && !(own.has(d.file) || (options.shard.index === 1 && !d.file))) continue;
			runDiagnostics.push({ severity: d.severity === 'error' ? 'warning' : d.severity, code: d.code, message: d.message, file: d.file, ...(d.line ? { line: d.line } : {}), rule: 'index' });
		}
	}
	lap('index');

	// Phase 2: each file's migration, emitted in path order; written here, in the main thread.
	const settings: MigrateSettings = { transforms: transforms.map((t) => t.name), explain: options.explain ?? false, withDiff: options.diffs ?? true, cwd, returnBytes: mode === 'write' };
	if (options.keepIndexWhole) runner.setMigration(index, settings, () => undefined);
	else {
		const includesOf = store ? includesFrom(store) : undefined;
		const whole = filesNeededWhole(index, includesOf);
		// The parts the plan reads whole come back from the store for good.
		if (store) restoreWhole(store, index.parts, whole);
		const { view, slim } = migrationView(index, { whole, includesOf, ...(store ? { spilledIncludes: (f: string) => store.read(f)!.includes } : {}) });
		if (store) {
			// A slim file's own fields come from the store, or, for the few parts the merge brought back
			// whole, from a copy taken now: the main thread keeps no index of its own from here.
			const restored = new Map([...slim].filter((f) => !store.isSpilled(f)).map((f) => [f, ownFileFields(partOf(index, f)!)]));
			store.dropSummaries();
			runner.setMigration(view, settings, (file) => (slim.has(file) ? restored.get(file) ?? ownFileFields(store.read(file)!) : undefined));
			index = emptyIndex();
		} else {
			const full = index;
			runner.setMigration(view, settings, (file) => (slim.has(file) ? ownFileFields(partOf(full, file)!) : undefined));
		}
	}
	return index;
}

/** Phase 1: every file's part of the index, in parallel when the runner is a pool; .c files' own fields go to `store`. */
async function indexParts(sources: FileTask[], runner: Runner, window: number, timedOutFiles: Set<string>, onProgress: ((p: Progress) => void) | undefined, store: PartStore | undefined, keepHeaderConstants: boolean): Promise<FileIndex[]> {
	const parts: FileIndex[] = [];
	const strings: InternTable = new Map();
	let bytes = 0;
	await mapOrdered(sources, window, (s) => runner.index(s), (r, k) => {
		if (r === TIMED_OUT) timedOutFiles.add(sources[k].path);
		else {
			bytes += r.size;
			if (r.part) {
				// Interned first: the store's summaries keep names, which in this thread may be slices of the file's text.
				const part = internStrings(r.part, strings);
				if (store && !part.file.endsWith('.h')) store.spill(part);
				// A token-free header's constants serve verify's sizes only (and a saved index, which may be verified against).
				if (!keepHeaderConstants && part.macrosOnly) delete part.constantMacros;
				parts.push(store ? shareEmptyFields(part) : part);
			}
		}
		onProgress?.({ phase: 'index', done: k + 1, total: sources.length, bytes });
	});
	return parts;
}

/** The merge, then the plain-name pass over the parts' files (needs every member's name). */
async function finishWith(parts: FileIndex[], sources: FileTask[], runner: Runner, window: number, options: ScanOptions, store?: PartStore): Promise<CorpusIndex> {
	const taskOf = new Map(sources.map((s) => [s.path, s]));
	if (store) restoreForMerge(store, parts, [...parts, ...(options.saved ?? []).flatMap((i) => i.parts)], options.constructors ?? []);
	return finishIndex(parts, options, async (own, names) => {
		runner.setNames(names);
		const uses: Array<{ member: string; span: Span }> = [];
		await mapOrdered(own, window, (part) => runner.uses(taskOf.get(part.file) ?? { path: part.file }, part), (r) => {
			if (r !== TIMED_OUT) uses.push(...r);
		});
		return uses;
	});
}

export interface ScanTreeOptions {
	paths: string[];
	cwd?: string;
	jobs?: number;
	shard?: Shard;
	constructors?: string[];
	onProgress?: (p: Progress) => void;
}

/**
 * `scan`: the index of the trees. With a shard, only its files' parts
 * (merged among themselves, without the plain-name pass, which needs every
 * member): `mergeShards` completes them.
 */
export async function scanTree(options: ScanTreeOptions): Promise<{ index: CorpusIndex; problems: Array<{ path: string; message: string }> }> {
	const cwd = options.cwd ?? process.cwd();
	const found = await discover(options.paths, { cwd });
	let sources: FileTask[] = found.files.map((f) => ({ path: f.displayPath, absPath: f.absPath }));
	if (options.shard) sources = shardOf(sources, options.shard);
	const jobs = Math.max(1, options.jobs ?? 1);
	const runner: Runner = jobs > 1 ? new PooledRunner(jobs, 0) : new InProcessRunner();
	try {
		const parts = await indexParts(sources, runner, reorderWindow(jobs), new Set(), options.onProgress, undefined, true);
		if (options.shard) {
			const index = mergeIndex(parts, { constructors: options.constructors });
			return { index: { ...index, shard: options.shard }, problems: found.problems };
		}
		return { index: await finishWith(parts, sources, runner, reorderWindow(jobs), { constructors: options.constructors }), problems: found.problems };
	} finally {
		await runner.close();
	}
}

/**
 * `scan --merge`: the whole tree's index from its shards' parts. The
 * plain-name pass re-reads the parts' files (paths as the shards saw them,
 * relative to `cwd`), since it needs every member's name.
 */
export async function mergeShards(shards: CorpusIndex[], options: { cwd?: string; jobs?: number; constructors?: string[] } = {}): Promise<CorpusIndex> {
	const cwd = options.cwd ?? process.cwd();
	const parts = shards.flatMap((s) => s.parts);
	const sources: FileTask[] = parts.map((p) => ({ path: p.file, absPath: path.resolve(cwd, p.file) }));
	const jobs = Math.max(1, options.jobs ?? 1);
	const runner: Runner = jobs > 1 ? new PooledRunner(jobs, 0) : new InProcessRunner();
	try {
		return await finishWith(parts, sources, runner, reorderWindow(jobs), { constructors: options.constructors });
	} finally {
		await runner.close();
	}
}

const TIMED_OUT = Symbol('timed out');
/** A slim part's own-file fields, for its file's task; undefined for a whole part. */
type OwnFor = (file: string) => OwnFileFields | undefined;
type Timed<T> = T | typeof TIMED_OUT;

/** Runs the per-file tasks: in this thread, or in a pool of workers. */
interface Runner {
	index(f: FileTask): Promise<Timed<{ part?: FileIndex; size: number }>>;
	setNames(names: Set<string>): void;
	uses(f: FileTask, part: FileIndex): Promise<Timed<Array<{ member: string; span: Span }>>>;
	/** The index the migration reads (a view: slim parts get their own-file fields from `ownFor` with each file's task). */
	setMigration(index: CorpusIndex, settings: MigrateSettings, ownFor: OwnFor): void;
	migrate(f: FileTask): Promise<Timed<FileOutcome>>;
	close(): Promise<void>;
}

async function thenYield<T>(p: Promise<T>): Promise<T> {
	const r = await p;
	await yieldToEventLoop();
	collectIfGrown();
	return r;
}

/** `--jobs 1` without a time limit: no workers; the event loop turns between files (spec §5). */
class InProcessRunner implements Runner {
	private names = new Set<string>();
	private context?: { index: CorpusIndex; settings: MigrateSettings; ownFor: OwnFor };

	index(f: FileTask) {
		return thenYield(indexTask(f));
	}
	setNames(names: Set<string>) {
		this.names = names;
	}
	uses(f: FileTask, part: FileIndex) {
		return thenYield(usesTask(f, part, this.names));
	}
	setMigration(index: CorpusIndex, settings: MigrateSettings, ownFor: OwnFor) {
		this.context = { index, settings, ownFor };
	}
	migrate(f: FileTask) {
		const { index, settings, ownFor } = this.context!;
		const own = ownFor(f.path);
		return thenYield(own ? withOwnFields(index, f.path, own, () => migrateTask(f, index, settings)) : migrateTask(f, index, settings));
	}
	async close() {}
}

/**
 * Files in flight or done but waiting for their turn in the output: enough
 * that a big file holding the head of the order does not leave the other
 * workers without work, few enough that memory stays bounded.
 */
function reorderWindow(jobs: number): number {
	return Math.max(8, jobs * 16);
}

class PooledRunner implements Runner {
	private readonly pool: WorkerPool;
	private ownFor: OwnFor = () => undefined;

	constructor(jobs: number, timeoutSeconds: number) {
		this.pool = new WorkerPool(jobs, timeoutSeconds * 1000);
	}
	private async run<T>(task: WorkerTask): Promise<Timed<T>> {
		try {
			return await this.pool.run<T>(task);
		} catch (e) {
			if (e instanceof TaskTimeoutError) return TIMED_OUT;
			throw e;
		}
	}
	private static task(f: FileTask): FileTask {
		return { path: f.path, ...(f.absPath ? { absPath: f.absPath } : {}), ...(f.content ? { content: f.content } : {}) };
	}
	index(f: FileTask) {
		return this.run<{ part?: FileIndex; size: number }>({ phase: 'index', file: PooledRunner.task(f) });
	}
	setNames(names: Set<string>) {
		const context: WorkerContext = { names: [...names] };
		this.pool.setContext(context);
	}
	uses(f: FileTask, part: FileIndex) {
		return this.run<Array<{ member: string; span: Span }>>({ phase: 'uses', file: PooledRunner.task(f), part });
	}
	setMigration(index: CorpusIndex, settings: MigrateSettings, ownFor: OwnFor) {
		// Serialized once for the workers (the format keeps shared objects shared, which transforms
		// compare by identity; JSON would not) and parked on disk for a replacement worker: this
		// thread keeps no copy of the view.
		this.ownFor = ownFor;
		const context: WorkerContext = { index, settings };
		this.pool.setContext(context);
	}
	migrate(f: FileTask) {
		const own = this.ownFor(f.path);
		return this.run<FileOutcome>({ phase: 'migrate', file: PooledRunner.task(f), ...(own ? { own } : {}) });
	}
	close() {
		return this.pool.close();
	}
}

async function writeResult(result: FileResult, absPath: string, bytes: Buffer, roots: string[]): Promise<FileResult> {
	const real = await fs.realpath(absPath).catch(() => absPath);
	const escape = outsideRoots(real, roots);
	const problem = escape ?? (result.deleted ? await deleteFile(absPath, bytes) : await writeFile(real, bytes, encodeSource(result.output!)));
	if (problem) {
		const error: Diagnostic = { severity: 'error', code: 'output/not-written', message: problem, file: result.path, rule: 'pipeline' };
		return { ...result, status: 'failed', reason: problem, diagnostics: [...result.diagnostics, error] };
	}
	return { ...result, written: true };
}

/**
 * A symlink whose target lies outside every root given (by their real
 * paths) is never written through: the run was asked to change these
 * trees, not what they point to.
 */
function outsideRoots(real: string, realRoots: string[]): string | undefined {
	const inside = realRoots.some((root) => real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep));
	return inside ? undefined : `a symlink to ${real}, outside the trees given: not written through`;
}

/** Deletes a file the migration emptied; returns why not when it could not. */
async function deleteFile(absPath: string, readBytes: Buffer): Promise<string | undefined> {
	try {
		const check = await mayReplace(absPath, readBytes);
		if (!check.ok) return check.why === 'read-only' ? 'read-only file: not deleted' : 'file changed since it was read: not deleted';
		await fs.unlink(absPath);
		return undefined;
	} catch (e) {
		return `not deleted: ${describeFsError(e)}`;
	}
}

/** Writes the new content over the file at `realPath`; returns why not when it could not. */
async function writeFile(realPath: string, readBytes: Buffer, output: Buffer): Promise<string | undefined> {
	try {
		const check = await mayReplace(realPath, readBytes);
		if (!check.ok) return check.why === 'read-only' ? 'read-only file: not written' : 'file changed since it was read: not written';
		await writeAtomically(realPath, output, check.stats);
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
