/**
 * Output sanity: a migrated file must parse no worse than its input, or it
 * is not written. Both sides are read the same way, with the known macros
 * the grammar cannot read treated alike (spec §5), as the "masked" parse
 * variant reads them (variants.ts), whose tree the check uses:
 *   - type-shaped macro arguments, queue-head type macros and
 *     `VNET_DEFINE`/`VNET_DECLARE` are masked (otherwise every new
 *     VNET_DEFINE would look like an error), attribute macros such as
 *     `__unused` blanked;
 *   - iterator macros (`VNET_FOREACH(v)`, `TAILQ_FOREACH(...)`, ...)
 *     followed by a statement read as `while (...)`: the grammar would
 *     otherwise take them for a call missing its `;`, and recover from a
 *     brace-less one differently depending on the statement after it.
 * Problems are counted as ERROR and MISSING nodes.
 */
import type { Edit } from '../edit/edit';
import { ParsedFile } from './parsed-file';
import { parseC, Tree } from './parser';

export interface ParseProblem {
	kind: 'ERROR' | 'MISSING';
	/** 1-based line of the node's start. */
	line: number;
	offset: number;
}

/**
 * Every ERROR and MISSING node of a tree, in document order. A subtree without `hasError` holds
 * neither (tree-sitter counts both in a node's error cost), so the walk does not enter it.
 */
export function parseProblems(tree: Tree): ParseProblem[] {
	const out: ParseProblem[] = [];
	const cursor = tree.walk();
	for (;;) {
		const missing = cursor.nodeIsMissing;
		const error = cursor.nodeType === 'ERROR';
		if (error || missing) {
			out.push({ kind: missing ? 'MISSING' : 'ERROR', line: cursor.startPosition.row + 1, offset: cursor.startIndex });
		}
		if ((error || cursor.currentNode.hasError) && cursor.gotoFirstChild()) continue;
		while (!cursor.gotoNextSibling()) {
			if (!cursor.gotoParent()) return out;
		}
	}
}

/** The tree of a file's sanity text: its masked parse variant, which is that reading. */
function sanityTree(file: ParsedFile): Tree {
	return file.variants.masked().tree;
}

export function problemsOf(file: ParsedFile): ParseProblem[] {
	return parseProblems(sanityTree(file));
}

/**
 * Where the output has more ERROR/MISSING nodes than the input: how many
 * more, and the line (of the output) of the first one beyond the input's count.
 *
 * With `edits` (sorted, as applied to the input to give the output), the
 * usual case, an output with nothing wrong in it, is found by reparsing the
 * input's masked tree incrementally, a fraction of a full parse; the input
 * file gives its masked tree up for that. An output with errors is counted
 * on a fresh parse, so the verdict never depends on how tree-sitter
 * recovered from errors while reusing the old tree.
 */
export function parsesWorse(input: ParsedFile, output: ParsedFile, edits?: readonly Edit[]): { extra: number; line: number } | undefined {
	let before: number | undefined;
	if (edits) {
		const inTree = sanityTree(input);
		// Counted now: the tree is edited below.
		before = inTree.rootNode.hasError ? parseProblems(inTree).length : 0;
		const reparsed = reparseMasked(input, output.variants.maskedText, edits);
		if (!reparsed.rootNode.hasError) return undefined;
	}
	const outTree = sanityTree(output);
	// The usual case, and cheap on a large file: nothing wrong in the output at all.
	if (!outTree.rootNode.hasError) return undefined;
	const after = parseProblems(outTree);
	before ??= parseProblems(sanityTree(input)).length;
	if (after.length <= before) return undefined;
	return { extra: after.length - before, line: after[Math.min(before, after.length - 1)].line };
}

/** A change between two texts: [oldStart, oldEnd) of the old became [newStart, newEnd) of the new. */
export interface TextChange {
	oldStart: number;
	oldEnd: number;
	newStart: number;
	newEnd: number;
}

/**
 * Where the masked input `a` and the masked output `b` differ, in order,
 * adjacent ones merged: each edit's range, and bytes outside the edits that
 * masking reads differently (an edit inside a masked macro call changes how
 * the rest of the call is masked).
 */
export function maskedChanges(a: string, b: string, edits: readonly Edit[]): TextChange[] {
	const out: TextChange[] = [];
	const add = (c: TextChange) => {
		const last = out[out.length - 1];
		if (last && c.oldStart <= last.oldEnd) {
			last.oldEnd = Math.max(last.oldEnd, c.oldEnd);
			last.newEnd = Math.max(last.newEnd, c.newEnd);
		} else out.push(c);
	};
	// Bytes of a gap between edits: the same in both texts unless masking differs there.
	const gap = (from: number, to: number, delta: number) => {
		if (a.slice(from, to) === b.slice(from + delta, to + delta)) return;
		for (let k = from; k < to; k++) {
			if (a.charCodeAt(k) !== b.charCodeAt(k + delta)) add({ oldStart: k, oldEnd: k + 1, newStart: k + delta, newEnd: k + delta + 1 });
		}
	};
	let delta = 0;
	let pos = 0;
	for (const e of edits) {
		gap(pos, e.start, delta);
		add({ oldStart: e.start, oldEnd: e.end, newStart: e.start + delta, newEnd: e.start + delta + e.text.length });
		delta += e.text.length - (e.end - e.start);
		pos = e.end;
	}
	gap(pos, a.length, delta);
	return out;
}

/** The row and column (0-based) after `text` when it starts at `from`. */
function advance(from: { row: number; column: number }, text: string): { row: number; column: number } {
	const lastNewline = text.lastIndexOf('\n');
	if (lastNewline === -1) return { row: from.row, column: from.column + text.length };
	let rows = 0;
	for (let k = text.indexOf('\n'); k !== -1; k = text.indexOf('\n', k + 1)) rows++;
	return { row: from.row + rows, column: text.length - lastNewline - 1 };
}

/**
 * The input's masked tree, edited to match `newText` (the output's masked
 * text; `edits` sorted, as applied to the input) and reparsed
 * incrementally. The input gives that tree up (`takeMaskedTree`).
 */
export function reparseMasked(input: ParsedFile, newText: string, edits: readonly Edit[]): Tree {
	const tree = input.variants.takeMaskedTree();
	const oldText = input.variants.maskedText;
	const point = (offset: number) => ({ row: input.lines.line(offset) - 1, column: input.lines.column(offset) - 1 });
	const changes = maskedChanges(oldText, newText, edits);
	// Last first: the offsets of the changes before are still those of the old text.
	for (let k = changes.length - 1; k >= 0; k--) {
		const c = changes[k];
		const startPosition = point(c.oldStart);
		tree.edit({
			startIndex: c.oldStart,
			oldEndIndex: c.oldEnd,
			newEndIndex: c.oldStart + (c.newEnd - c.newStart),
			startPosition,
			oldEndPosition: point(c.oldEnd),
			newEndPosition: advance(startPosition, newText.slice(c.newStart, c.newEnd)),
		});
	}
	return parseC(newText, tree);
}
