/*
 * The long fuzz campaign (`npm run fuzz`): FUZZ_RUNS (default 10,000)
 * generated trees, well-formed and mutated, checked for every property of
 * test/property.test.ts. Unlike fast-check's assert, it runs every case
 * and prints a catalogue of the distinct failures (with a case to replay)
 * before failing, so one campaign shows every bug it meets.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { buildModule, moduleSpec, mutate, mutations } from './helpers/generate';
import { checkProperties } from './helpers/properties';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

it(`fuzz: ${RUNS} generated trees`, async () => {
	const cases = fc.sample(fc.tuple(moduleSpec, fc.oneof(fc.constant([]), mutations)), { numRuns: RUNS, seed: SEED });
	const failures = new Map<string, { count: number; example: string; message: string }>();
	const started = Date.now();
	const tally = { overlaps: 0, inComment: 0, parseWorse: 0, idempotent: 0 };
	const examples = { overlap: [] as string[], parseWorse: [] as string[] };
	for (const [k, [spec, muts]] of cases.entries()) {
		try {
			const notes = await checkProperties(mutate(buildModule(spec), muts), muts.length === 0);
			tally.overlaps += notes.overlaps;
			tally.inComment += notes.inComment;
			tally.parseWorse += notes.parseWorse;
			if (notes.overlaps && examples.overlap.length < 2) examples.overlap.push(JSON.stringify([spec, muts]));
			if (notes.parseWorse && examples.parseWorse.length < 2) examples.parseWorse.push(JSON.stringify([spec, muts]));
			if (notes.idempotenceChecked) tally.idempotent++;
		} catch (e) {
			const message = (e as Error).message;
			// Group by the kind of failure: the message without paths and numbers.
			const kind = message.split('\n')[0].replace(/^[^:]*: /, '').replace(/\d+/g, 'N').slice(0, 120);
			const seen = failures.get(kind);
			if (seen) seen.count++;
			else failures.set(kind, { count: 1, example: JSON.stringify([spec, muts]), message });
		}
		if ((k + 1) % 1000 === 0) console.log(`${k + 1} cases, ${failures.size} kinds of failure, ${((Date.now() - started) / 1000).toFixed(0)} s`);
	}
	console.log(`seed ${SEED}: ${RUNS} cases run; idempotence checked in ${tally.idempotent}; ` +
		`files refused (damaged input): ${tally.overlaps} for overlapping edits, ${tally.inComment} for an edit in a comment, ${tally.parseWorse} for output parsing worse`);
	for (const [kind, cases] of Object.entries(examples)) for (const c of cases) console.log(`refused (${kind}): ${c}`);
	for (const [kind, f] of failures) console.log(`\n${f.count}x ${kind}\n  ${f.message.split('\n').join('\n  ')}\n  case: ${f.example}`);
	expect([...failures.keys()]).toEqual([]);
});
