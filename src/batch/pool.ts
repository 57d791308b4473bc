/*
 * A small worker_threads pool for the per-file phases. Each worker runs one
 * task at a time; a context (the index view of the run) is sent to
 * every worker once, and again to a worker that replaces one terminated for
 * exceeding the per-file time limit: meanwhile it waits serialized on disk,
 * not in this thread's heap (at 50,000 files the view is 100 MB there).
 * Results come back as they complete; `mapOrdered` (ordered.ts) puts them
 * back in input order.
 */
import * as fs from 'fs';
import * as path from 'path';
import { serialize } from 'v8';
import { Worker } from 'worker_threads';
import { ParkedBytes } from '../fs/temp';

export class TaskTimeoutError extends Error {}
export class WorkerCrashError extends Error {}

interface Pending {
	message: unknown;
	resolve(value: unknown): void;
	reject(error: Error): void;
	timer?: NodeJS.Timeout;
}

interface Slot {
	worker: Worker;
	/** The version of the context this worker was given (0: none yet). */
	context: number;
	/** Tasks sent to this worker, oldest (the one running) first; it runs them one at a time, in order. */
	sent: Pending[];
}

/** A worker's reply: a task's outcome, or word that it has installed the context it was sent. */
type Reply = { ok: boolean; value?: unknown; error?: string } | { installed: true };

/**
 * Tasks a worker holds at once: the one it runs and the next, so it never
 * waits for the main thread between two files (a round trip per file left
 * each worker idle a fifth of the time).
 */
const TASKS_PER_WORKER = 2;

/** The compiled worker script (tests run the TypeScript sources, so they use the build). */
export function workerScript(): string {
	const here = path.join(__dirname, 'worker.js');
	if (fs.existsSync(here)) return here;
	return path.resolve(__dirname, '../../dist/src/batch/worker.js');
}

/**
 * Each worker's young generation, in MB (V8 divides it into three semi-spaces). V8's default
 * (48 MB at most) lets every worker hold tens of MB of short-lived garbage; measured on a 20 MB
 * tree with 2 workers: peak RSS 258-268 -> 222-232 MB, no slower. Much smaller (4 MB) promotes
 * per-file garbage to the old generation: slower and bigger.
 */
const YOUNG_GENERATION_MB = 12;

function startTaskWorker(): Worker {
	return new Worker(workerScript(), { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
}

export class WorkerPool {
	private readonly slots: Slot[] = [];
	private readonly queue: Pending[] = [];
	/** The context, v8-serialized (the structured-clone format: shared objects stay shared), and its version. */
	private context?: ParkedBytes;
	private contextVersion = 0;
	/**
	 * The worker installing the context: the others wait for it, so that two
	 * copies of the serialized bytes and of the deserialization's garbage are
	 * never in memory at once (at 50,000 files: 27 MB of bytes, 31 MB of heap
	 * each; installed together they made the run's peak).
	 */
	private installing?: Slot;
	private closed = false;

	constructor(
		private readonly size: number,
		/** Milliseconds a task may run before its worker is terminated and replaced; 0: no limit. */
		private readonly timeoutMs = 0,
		/** Starts a worker (tests pass stand-ins to watch the protocol). */
		private readonly startWorker: () => Worker = startTaskWorker,
	) {
		for (let i = 0; i < size; i++) this.slots.push({ worker: this.spawn(), context: 0, sent: [] });
	}

	private spawn(): Worker {
		const worker = this.startWorker();
		worker.unref();
		worker.on('message', (reply: Reply) => ('installed' in reply ? this.installed(worker) : this.settle(worker, reply)));
		worker.on('error', (e) => this.replace(worker, new WorkerCrashError(`worker crashed: ${e.message}`)));
		worker.on('exit', (code) => {
			if (!this.closed) this.replace(worker, new WorkerCrashError(`worker exited with code ${code}`));
		});
		return worker;
	}

	/**
	 * Sets the context (any structured-clonable value) of the tasks run from
	 * now on. It is serialized and parked at once, and each worker gets it
	 * with its next task: by then the caller has dropped the objects it was
	 * made from, so they and the workers' copies are not in memory together.
	 */
	setContext(context: unknown): void {
		this.context?.close();
		this.context = new ParkedBytes(serialize(context));
		this.contextVersion++;
	}

	/** Whether a worker lacks the current context. */
	private lacksContext(slot: Slot): boolean {
		return this.context !== undefined && slot.context !== this.contextVersion;
	}

	/** Gives a worker the current context: its own copy, moved (transferred), not cloned into the message queue. */
	private sendContext(slot: Slot): void {
		const bytes = this.context!.read();
		slot.worker.postMessage({ type: 'context', context: bytes }, [bytes.buffer as ArrayBuffer]);
		slot.context = this.contextVersion;
		this.installing = slot;
	}

	private installed(worker: Worker): void {
		if (this.installing?.worker !== worker) return;
		this.installing = undefined;
		this.pump();
	}

	run<T>(message: unknown): Promise<T> {
		return new Promise<T>((resolve, reject) => {
			this.queue.push({ message, resolve: resolve as (v: unknown) => void, reject });
			this.pump();
		});
	}

	/** The time limit runs from when a task is the oldest its worker holds, i.e. when it starts. */
	private startClock(slot: Slot): void {
		const head = slot.sent[0];
		if (!head || head.timer || this.timeoutMs <= 0) return;
		const worker = slot.worker;
		head.timer = setTimeout(() => this.replace(worker, new TaskTimeoutError(`exceeded the time limit of ${this.timeoutMs / 1000} s`)), this.timeoutMs);
	}

	private pump(): void {
		// Fill every worker's first place before any second one.
		for (let depth = 1; depth <= TASKS_PER_WORKER; depth++) {
			for (const slot of this.slots) {
				if (slot.sent.length >= depth) continue;
				const install = this.lacksContext(slot);
				// One install at a time: this worker waits until the other's is done.
				if (install && this.installing) continue;
				const next = this.queue.shift();
				if (!next) return;
				slot.sent.push(next);
				slot.worker.ref();
				if (install) this.sendContext(slot);
				slot.worker.postMessage({ type: 'task', task: next.message });
				this.startClock(slot);
			}
		}
	}

	private settle(worker: Worker, reply: { ok: boolean; value?: unknown; error?: string }): void {
		const slot = this.slots.find((s) => s.worker === worker);
		const job = slot?.sent.shift();
		if (!slot || !job) return;
		clearTimeout(job.timer);
		if (slot.sent.length === 0) worker.unref();
		this.startClock(slot);
		if (reply.ok) job.resolve(reply.value);
		else job.reject(new Error(reply.error));
		this.pump();
	}

	/**
	 * Terminates a worker (hung or crashed), fails the task it was running,
	 * puts the ones it had not started back at the head of the queue, and
	 * starts a fresh worker in its place.
	 */
	private replace(worker: Worker, error: Error): void {
		const slot = this.slots.find((s) => s.worker === worker);
		if (!slot || this.closed) return;
		const [job, ...waiting] = slot.sent;
		for (const p of slot.sent) clearTimeout(p.timer);
		slot.sent = [];
		this.queue.unshift(...waiting.map((p) => ({ ...p, timer: undefined })));
		worker.removeAllListeners('exit');
		void worker.terminate();
		if (this.installing === slot) this.installing = undefined;
		slot.worker = this.spawn();
		slot.context = 0;
		job?.reject(error);
		this.pump();
	}

	async close(): Promise<void> {
		this.closed = true;
		this.context?.close();
		await Promise.all(this.slots.map((s) => s.worker.terminate()));
	}

	get workers(): number {
		return this.size;
	}
}
