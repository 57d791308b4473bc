/**
 * The properties the migration keeps on any input tree (test/property.test.ts,
 * `npm run fuzz`): no exception escapes or is caught as an internal error;
 * bytes outside the reported edits are identical; no output parses worse
 * than its input; no code is lost (function definitions, returns); a file
 * without an old-design token never changes; a second run changes nothing.
 * `wellFormed`: the input is generated, not mutated; then nothing may fail.
 * Throws, with every reason, when a property fails.
 */
import { migrate } from '../../src';
import { ParsedFile } from '../../src/parse/parsed-file';
import { parsesWorse } from '../../src/parse/sanity';
import { TRANSFORMS } from '../../src/transforms';

const TOKENS = TRANSFORMS.flatMap((t) => t.tokens);
export const hasToken = (text: string) => TOKENS.some((t) => text.includes(t));

/** style(9) function definitions: the name at the start of a line, its parameters, then `{` on a line of its own. */
const functionHeads = (text: string) => (text.match(/^[A-Za-z_]\w*\([^;{}]*\)\r?\n\{/gm) ?? []).length;
const returns = (text: string) => (text.match(/\breturn\b/g) ?? []).length;

const GUARDS = ['internal/overlap', 'internal/in-comment'];

type Files = Array<{ path: string; content: string }>;

/** What a check saw besides failures, for the campaign's tally. */
export interface CheckNotes {
	/** Files refused for overlapping edits (allowed on damaged input). */
	overlaps: number;
	/** Files refused for an edit inside a comment (allowed on damaged input). */
	inComment: number;
	/** Files refused for output that parses worse. */
	parseWorse: number;
	idempotenceChecked: boolean;
}

export async function checkProperties(files: Files, wellFormed: boolean): Promise<CheckNotes> {
	const first = await migrate({ files, diffs: false });
	const failures: string[] = [];
	for (const r of first.files) {
		const input = files.find((f) => f.path === r.path)!.content;
		// Overlapping edits and edits inside a comment are the pipeline's guards for input the parses read
		// inconsistently (the file is left untouched, reported); on well-formed input they are bugs like any internal error.
		const internal = r.diagnostics.filter((d) => d.code.startsWith('internal/') && (wellFormed || !GUARDS.includes(d.code)));
		if (internal.length) failures.push(`${r.path}: ${internal.map((d) => d.message).join('; ')}`);
		if (wellFormed && r.status === 'failed') failures.push(`${r.path}: well-formed input failed: ${r.reason}`);
		if (!hasToken(input) && r.status !== 'unchanged' && r.status !== 'failed') failures.push(`${r.path}: no old-design token, yet ${r.status}`);
		if (r.status !== 'changed') {
			if (r.output !== undefined) failures.push(`${r.path}: output although ${r.status}`);
			continue;
		}
		if (r.deleted) continue;
		const output = r.output!;
		// Bytes outside the reported edits are identical (walked independently of applyEdits).
		let pos = 0;
		let outPos = 0;
		const edits = [...r.edits].sort((a, b) => a.start - b.start || a.end - b.end);
		for (const e of edits) {
			if (e.start < pos) {
				failures.push(`${r.path}: overlapping edits at ${e.start}`);
				break;
			}
			const keep = input.slice(pos, e.start);
			if (output.slice(outPos, outPos + keep.length) !== keep) failures.push(`${r.path}: bytes ${pos}..${e.start} outside the edits changed`);
			outPos += keep.length + e.text.length;
			pos = e.end;
		}
		if (output.slice(outPos) !== input.slice(pos)) failures.push(`${r.path}: bytes after the last edit changed`);
		if (parsesWorse(new ParsedFile(r.path, input), new ParsedFile(r.path, output))) failures.push(`${r.path}: output parses worse`);
		// No code is lost: no transform removes a function definition or a return statement.
		for (const [what, count] of [['function definitions', functionHeads], ['return statements', returns]] as const) {
			if (count(output) < count(input)) failures.push(`${r.path}: ${what} lost (${count(input)} -> ${count(output)})`);
		}
	}
	// Idempotence, on a run that migrated everything it was given. On damaged input, only when the first run
	// left nothing for review: after a warning (a block left unchanged), a second run may legitimately do more.
	const warned = first.files.some((r) => r.diagnostics.some((d) => d.severity === 'warning'));
	const checked = failures.length === 0 && first.files.every((r) => r.status !== 'failed') && (wellFormed || !warned);
	if (checked) {
		const next = first.files.filter((r) => !r.deleted).map((r) => ({ path: r.path, content: r.output ?? files.find((f) => f.path === r.path)!.content }));
		const second = await migrate({ files: next, diffs: false });
		for (const r of second.files) if (r.status !== 'unchanged') failures.push(`${r.path}: second run ${r.status} (${r.reason ?? `${r.edits.length} edits`})`);
	}
	if (failures.length) throw new Error(failures.join('\n'));
	const refused = (code: string) => first.files.filter((r) => r.diagnostics.some((d) => d.code === code)).length;
	return { overlaps: refused('internal/overlap'), inComment: refused('internal/in-comment'), parseWorse: refused('output/parse-worse'), idempotenceChecked: checked };
}

