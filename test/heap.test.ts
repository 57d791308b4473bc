/* The between-files collection policy of batch runs (src/batch/heap.ts). */
import { getHeapStatistics } from 'v8';
import { describe, expect, it } from 'vitest';
import { collectIfGrown } from '../src/batch/heap';

describe('collectIfGrown', () => {
	it('collects once the heap holds far more than was live, and not before', () => {
		collectIfGrown(); // settles what is live now (the first call may or may not collect)
		let garbage: number[][] | undefined = [];
		for (let i = 0; i < 200; i++) garbage.push(new Array(100_000).fill(i));
		garbage = undefined;
		const before = getHeapStatistics().used_heap_size;
		collectIfGrown();
		const after = getHeapStatistics().used_heap_size;
		// 200 arrays of 100,000 small integers: about 160 MB of garbage, now gone.
		expect(before - after).toBeGreaterThan(100e6);
		// Right after a collection nothing has grown: no second one (the heap stays where it is, give or take).
		collectIfGrown();
		expect(Math.abs(getHeapStatistics().used_heap_size - after)).toBeLessThan(16e6);
	});
});
