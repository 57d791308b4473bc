/*
 * Property-based tests (issue 10, part 5): generated old-style modules with
 * random formatting, comments, #ifdef placement and byte-level mutations.
 * For every run: no exception escapes (nor is one caught as an internal
 * error); bytes outside the reported edits are identical; a second run
 * changes nothing; no output parses worse than its input; a file without
 * an old-design token never changes. `npm test` runs a few hundred cases;
 * `npm run fuzz` (FUZZ_RUNS, default 10,000) runs the long campaign.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { migrate } from '../src';
import { buildModule, moduleSpec, mutate, mutations } from './helpers/generate';
import { checkProperties, hasToken } from './helpers/properties';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

const params = (runs: number) => ({ numRuns: runs, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true });

describe('properties of the migration on generated old-style code', () => {
	it('well-formed modules: every property holds, nothing fails', async () => {
		await fc.assert(fc.asyncProperty(moduleSpec, async (spec) => void (await checkProperties(buildModule(spec), true))), params(Math.ceil(RUNS / 3)));
	}, 600_000);

	it('mutated modules (random bytes inserted, deleted, replaced, duplicated): every property holds', async () => {
		await fc.assert(
			fc.asyncProperty(moduleSpec, mutations, async (spec, muts) => void (await checkProperties(mutate(buildModule(spec), muts), false))),
			params(RUNS - Math.ceil(RUNS / 3)),
		);
	}, 600_000);

	it('a file without an old-design token never changes, next to files that do', async () => {
		await fc.assert(
			fc.asyncProperty(moduleSpec, fc.string({ unit: 'binary-ascii', maxLength: 400 }), async (spec, noise) => {
				const plain = `#include <sys/param.h>\n/* ${noise.replace(/\*\/|\0/g, '')} */\nint\nplain_f(int enable_count)\n{\n\n\treturn (enable_count);\n}\n`;
				const files = [...buildModule(spec), { path: 'sys/plain.c', content: plain }];
				if (hasToken(plain)) return;
				const r = await migrate({ files, diffs: false });
				expect(r.files.find((f) => f.path === 'sys/plain.c')?.status).toBe('unchanged');
			}),
			params(Math.max(10, Math.ceil(RUNS / 10))),
		);
	}, 600_000);
});
