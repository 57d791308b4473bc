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

/** Tasks arrive ahead of time (see TASKS_PER_WORKER); they run one at a time, in order. */
const waiting: WorkerTask[] = [];
let running = false;

async function drain(): Promise<void> {
	running = true;
	for (let task = waiting.shift(); task; task = waiting.shift()) {
		try {
			parentPort!.postMessage({ ok: true, value: await run(task) });
		} catch (e) {
			parentPort!.postMessage({ ok: false, error: (e as Error).stack ?? (e as Error).message });
		}
		// Let the event loop turn between files, so the binding frees the last one's trees.
		await new Promise((resolve) => setImmediate(resolve));
		collectIfGrown();
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
		// The serialized bytes and the interning's garbage: gone before the first file.
		collectNow();
		return;
	}
	waiting.push(message.task);
	if (!running) void drain();
});
