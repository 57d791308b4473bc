/*
 * A long batch run's heap kept near its live size. Each file leaves garbage
 * (node wrappers, token arrays, sliced strings) and V8 lets a heap grow to
 * several times what is live before a full collection: on the 200 MB
 * benchmark tree one thread's heap reached 570 MB with under 200 MB live. The
 * native parse trees are freed with their wrappers, so they wait as well.
 * Between files, a full collection runs when the heap or the process has
 * grown well past what the last one left.
 */
import { getHeapStatistics, setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';

let collect: (() => void) | undefined;
let live = 0;
let rssAfter = 0;
let rssReadAt = -Infinity;

function collector(): () => void {
	if (!collect) {
		// V8's collector without starting node with --expose-gc: the flag set at run time, gc() taken from a fresh context.
		setFlagsFromString('--expose-gc');
		collect = runInNewContext('gc') as () => void;
	}
	return collect;
}

/**
 * Collects garbage when the heap holds more than twice, and 64 MB more than,
 * what was live after the last collection; or when the process has grown by
 * 128 MB since: the parse trees are native memory V8 does not see, freed
 * only when their wrappers are collected. `slack` (bytes): collect as soon
 * as the heap holds that much more than was live, for a thread whose live
 * heap is large and whose garbage is cheap to collect (the main thread
 * gathering the workers' results).
 */
export function collectIfGrown(slack?: number): void {
	const used = getHeapStatistics().used_heap_size;
	const heapGrown = slack !== undefined ? used >= live + slack : used >= 2 * live && used >= live + 64e6;
	// Reading the process's size costs a quarter of a millisecond: at most five times a second.
	const now = performance.now();
	if (!heapGrown && now - rssReadAt < 200) return;
	rssReadAt = now;
	if (!heapGrown && process.memoryUsage.rss() < rssAfter + 128e6) return;
	collectNow();
}

/**
 * A full collection now: after a phase that leaves much garbage, so that V8
 * can give its pages back. `thorough`: two in a row. The first frees the
 * objects, but the pages they leave partly filled are only compacted, and
 * given back, by the next; measured where the index phase hands over to the
 * migration (50,000 files), one left the main thread's heap at 148 MB with
 * 54 MB used until its next collection, 20 s later, took it to 89.
 */
export function collectNow(thorough = false): void {
	collector()();
	if (thorough) collector()();
	live = getHeapStatistics().used_heap_size;
	rssAfter = process.memoryUsage.rss();
}
