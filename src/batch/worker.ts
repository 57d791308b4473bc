/*
 * A pool worker: runs one per-file task at a time for the phase its
 * context names. Each task is its own message, so the event loop turns
 * between files and the native binding frees the trees of the last one
 * (spec §5).
 */
import { deserialize } from 'v8';
import { parentPort } from 'worker_threads';
import type { CorpusIndex, FileIndex } from '../index/types';
import { FileTask, indexTask, migrateTask, MigrateSettings, usesTask } from './tasks';

export interface WorkerContext {
	/** Phase 1b: every member's name. */
	names?: string[];
	/** Phase 2: the whole index, `v8.serialize`d once for all workers, and the run's settings. */
	index?: Uint8Array;
	settings?: MigrateSettings;
}

export type WorkerTask =
	| { phase: 'index'; file: FileTask }
	| { phase: 'uses'; file: FileTask; part: FileIndex }
	| { phase: 'migrate'; file: FileTask };

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
			return migrateTask(task.file, index, settings);
	}
}

parentPort?.on('message', (message: { type: 'context'; context: WorkerContext } | { type: 'task'; task: WorkerTask }) => {
	if (message.type === 'context') {
		const c = message.context;
		names = new Set(c.names ?? []);
		index = c.index ? (deserialize(c.index) as CorpusIndex) : undefined;
		settings = c.settings;
		return;
	}
	run(message.task).then(
		(value) => parentPort!.postMessage({ ok: true, value }),
		(e: Error) => parentPort!.postMessage({ ok: false, error: e.stack ?? e.message }),
	);
});
