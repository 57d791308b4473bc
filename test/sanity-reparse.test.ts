/*
 * The output sanity check's fast path (sanity.ts): the output's masked tree
 * comes from reparsing the input's masked tree incrementally, edited where
 * the two masked texts differ. If a changed range were missed, tree-sitter
 * would reuse stale subtrees and the tree would differ from a fresh parse.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { migrate } from '../src';
import { ParsedFile } from '../src/parse/parsed-file';
import { maskedChanges, parsesWorse, problemsOf, reparseMasked } from '../src/parse/sanity';
import { applyEdits, Edit } from '../src/edit/edit';
import { buildModule, moduleSpec, mutate, mutations } from './helpers/generate';

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

/** Applies the changes to `a`: must give `b` when every difference is covered. */
function applyChanges(a: string, b: string, changes: ReturnType<typeof maskedChanges>): string {
	let out = '';
	let pos = 0;
	for (const c of changes) {
		out += a.slice(pos, c.oldStart) + b.slice(c.newStart, c.newEnd);
		pos = c.oldEnd;
	}
	return out + a.slice(pos);
}

/** Every changed file of a migration: the incremental reparse reads its output exactly as a fresh parse does. */
async function checkReparse(files: Array<{ path: string; content: string }>): Promise<number> {
	const r = await migrate({ files, diffs: false });
	let checked = 0;
	for (const f of r.files) {
		if (f.status !== 'changed' || f.deleted) continue;
		const text = files.find((x) => x.path === f.path)!.content;
		const input = new ParsedFile(f.path, text);
		const output = new ParsedFile(f.path, f.output!);
		const a = input.variants.maskedText;
		const b = output.variants.maskedText;
		expect(applyChanges(a, b, maskedChanges(a, b, f.edits))).toBe(b);
		const fresh = output.variants.masked().tree.rootNode.toString();
		expect(reparseMasked(input, b, f.edits).rootNode.toString()).toBe(fresh);
		// The input parses its masked text afresh once its tree was given up.
		expect(input.variants.masked().tree.rootNode.toString()).toBe(new ParsedFile(f.path, text).variants.masked().tree.rootNode.toString());
		checked++;
	}
	return checked;
}

describe('incremental reparse of the output (sanity fast path)', () => {
	it('covers an edit inside a masked macro call: the rest of the call is masked differently', () => {
		const a = 'x = mtod(m, struct ip *);\n';
		// Editing the type argument's `*` away unmasks `struct ip`: bytes outside the edit change in the masked text.
		const edits: Edit[] = [{ start: 22, end: 23, text: '', rule: 'r' }];
		const input = new ParsedFile('a.c', a);
		const output = new ParsedFile('a.c', applyEdits('a.c', a, edits));
		const ma = input.variants.maskedText;
		const mb = output.variants.maskedText;
		expect(ma).not.toBe(a);
		const changes = maskedChanges(ma, mb, edits);
		expect(changes.length).toBeGreaterThan(0);
		expect(changes[0].oldStart).toBeLessThan(22);
		expect(applyChanges(ma, mb, changes)).toBe(mb);
	});

	it('gives the same verdict as a fresh parse, good output and bad', () => {
		const text = 'int\nf(void)\n{\n\tINIT_VNET_INET(curvnet);\n\treturn (V_x);\n}\n';
		const start = text.indexOf('\tINIT');
		const end = text.indexOf('\treturn');
		const good: Edit[] = [{ start, end, text: '', rule: 'r' }];
		const bad: Edit[] = [{ start, end, text: '\treturn (V_x)) +;\n', rule: 'r' }];
		for (const [edits, expected] of [[good, undefined], [bad, { line: 4 }]] as const) {
			const out = applyEdits('a.c', text, edits);
			const fresh = parsesWorse(new ParsedFile('a.c', text), new ParsedFile('a.c', out));
			const incremental = parsesWorse(new ParsedFile('a.c', text), new ParsedFile('a.c', out), edits);
			expect(incremental).toEqual(fresh);
			if (expected) expect(incremental).toMatchObject(expected);
			else expect(incremental).toBeUndefined();
		}
		// An input with errors of its own: counted before its tree is edited.
		const damaged = `${text}int g( {\n`;
		const before = problemsOf(new ParsedFile('a.c', damaged)).length;
		expect(before).toBeGreaterThan(0);
		const out = applyEdits('a.c', damaged, good);
		expect(parsesWorse(new ParsedFile('a.c', damaged), new ParsedFile('a.c', out), good)).toBeUndefined();
	});

	it('generated modules: the reparsed tree equals a fresh parse of every changed file', async () => {
		let checked = 0;
		await fc.assert(fc.asyncProperty(moduleSpec, async (spec) => void (checked += await checkReparse(buildModule(spec)))), { numRuns: RUNS });
		expect(checked).toBeGreaterThan(RUNS);
	}, 300_000);

	it('mutated modules (damaged input, errors on both sides): the same', async () => {
		await fc.assert(fc.asyncProperty(moduleSpec, mutations, async (spec, muts) => void (await checkReparse(mutate(buildModule(spec), muts)))), { numRuns: RUNS });
	}, 300_000);
});
