/* Interned index strings keep nothing else alive (src/index/intern.ts). */
import { getHeapStatistics, setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';
import { describe, expect, it } from 'vitest';
import { internStrings } from '../src/index/intern';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('internStrings', () => {
	it('a 13-character name sliced from a file\'s text does not keep the text alive', () => {
		const table = new Map<string, string>();
		const kept: string[] = [];
		gc();
		const before = getHeapStatistics().used_heap_size;
		for (let k = 0; k < 20; k++) {
			// A 4 MB "file" and a 13-character name taken from it, as the index takes names from texts.
			const text = `ip_fw_ctl${String(k).padStart(4, '0')}${'x'.repeat(4_000_000)}`;
			kept.push(internStrings({ name: text.slice(0, 13) }, table).name);
		}
		gc();
		const after = getHeapStatistics().used_heap_size;
		expect(kept[19]).toBe('ip_fw_ctl0019');
		// 20 texts of 4 MB would be 80 MB.
		expect(after - before).toBeLessThan(10e6);
	});
});
