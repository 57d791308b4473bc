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
import { ParsedFile } from './parsed-file';
import type { Tree } from './parser';

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
 */
export function parsesWorse(input: ParsedFile, output: ParsedFile): { extra: number; line: number } | undefined {
	const outTree = sanityTree(output);
	// The usual case, and cheap on a large file: nothing wrong in the output at all.
	if (!outTree.rootNode.hasError) return undefined;
	const after = parseProblems(outTree);
	const before = parseProblems(sanityTree(input)).length;
	if (after.length <= before) return undefined;
	return { extra: after.length - before, line: after[Math.min(before, after.length - 1)].line };
}
