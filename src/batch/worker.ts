/*
 * A pool worker: runs one per-file task at a time for the phase its
 * context names, turning the event loop between files so that the native
 * binding frees the trees of the last one (spec §5).
 */
import { deserialize } from 'v8';
import { parentPort } from 'worker_threads';
import type { CorpusIndex, FileIndex } from '../index/types';
import { OwnFileFields, withOwnFields } from '../index/corpus-index';
import { internStrings } from '../index/intern';
import { collectIfGrown, collectNow } from './heap';
import { FileTask, indexTask, migrateTask, MigrateSettings, usesTask } from './tasks';

export interface WorkerContext {
	/** Phase 1b: every member's name. */
	names?: string[];
	/** Phase 2: the index the migration reads and the run's settings. */
	index?: CorpusIndex;
	settings?: MigrateSettings;
}

export type WorkerTask =
	| { phase: 'index'; file: FileTask }
	| { phase: 'uses'; file: FileTask; part: FileIndex }
	/** `own`: the file's own-file fields when the shared view holds a slim copy of its part. */
	| { phase: 'migrate'; file: FileTask; own?: OwnFileFields };

let names = new Set<string>();
let index: CorpusIndex | undefined;
let settings: MigrateSettings | undefined;

async function run(task: WorkerTask): Promise<unknown> {
	switch (task.phase) {
		case 'index':
			return indexTask(task.file);
		case 'uses':
			return usesTask(task.file, task.part, names);
		case 'migrate':
			if (!index || !settings) throw new Error('migrate task before its context');
			if (task.own) return withOwnFields(index, task.file.path, task.own, () => migrateTask(task.file, index!, settings!));
			return migrateTask(task.file, index, settings);
	}
}

/**
 * Garbage a worker may hold between files, in bytes (see collectIfGrown).
 * Its live heap is mostly the view (31 MB at 50,000 files), so the default
 * threshold (twice the live heap, and 64 MB more) let each worker carry tens
 * of MB of dead files for the whole run; measured at that size, garbage
 * reaches the old generation at about 0.2 MB/s, so this costs a full
 * collection every minute or so.
 */
const WORKER_GARBAGE = 16e6;

let installPending = false;

/**
 * After a context arrives: the serialized bytes (27 MB at 50,000 files) and
 * the interning's garbage are collected, then the pool hears the install is
 * done (it sends the next worker its copy only then). Run once the context's
 * message handler has returned (until then the message holds the bytes), and
 * before the next task.
 */
function finishInstall(): void {
	if (!installPending) return;
	installPending = false;
	collectNow(true);
	parentPort!.postMessage({ installed: true });
}

/** Tasks arrive ahead of time (see TASKS_PER_WORKER); they run one at a time, in order. */
const waiting: WorkerTask[] = [];
let running = false;

async function drain(): Promise<void> {
	running = true;
	for (let task = waiting.shift(); task; task = waiting.shift()) {
		finishInstall();
		try {
			parentPort!.postMessage({ ok: true, value: await run(task) });
		} catch (e) {
			parentPort!.postMessage({ ok: false, error: (e as Error).stack ?? (e as Error).message });
		}
		// Let the event loop turn between files, so the binding frees the last one's trees.
		await new Promise((resolve) => setImmediate(resolve));
		collectIfGrown(WORKER_GARBAGE);
	}
	running = false;
}

parentPort?.on('message', (message: { type: 'context'; context: Uint8Array } | { type: 'task'; task: WorkerTask }) => {
	if (message.type === 'context') {
		const c = deserialize(message.context) as WorkerContext;
		names = new Set(c.names ?? []);
		// Interned: each worker holds a whole copy of the index, whose strings repeat (paths in every span).
		index = c.index ? internStrings(c.index) : undefined;
		settings = c.settings;
		// The serialized bytes (27 MB at 50,000 files) and the interning's garbage. Collected once this
		// handler has returned: until then the message holds the bytes, and a collection run here
		// would leave them for the rest of the run (no other full collection may come).
		installPending = true;
		setImmediate(finishInstall);
		return;
	}
	waiting.push(message.task);
	if (!running) void drain();
});
