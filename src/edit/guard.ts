/**
 * A last check on a file's edits before they are applied: no edit may
 * begin, end or insert strictly inside a comment as the lexer reads it
 * (the preprocessor's reading, which is what the compiler sees). Every
 * transform already avoids comments; tree-sitter, though, can read code
 * into a region that is really comment (an unterminated `/*` swallowing
 * the rest of the file), and an index built from such a parse would have
 * the file edited there.
 */
import type { Comment } from '../lex/lexer';
import type { Edit } from './edit';

/** The first edit with an end strictly inside a comment, and that offset. */
export function editInsideComment(edits: readonly Edit[], comments: readonly Comment[]): { edit: Edit; offset: number } | undefined {
	const sorted = [...comments].sort((a, b) => a.start - b.start);
	const inside = (p: number): boolean => {
		let lo = 0;
		let hi = sorted.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			const c = sorted[mid];
			if (p <= c.start) hi = mid - 1;
			else if (p >= c.end) lo = mid + 1;
			else return true;
		}
		return false;
	};
	for (const edit of edits) {
		for (const offset of [edit.start, edit.end]) {
			if (inside(offset)) return { edit, offset };
		}
	}
	return undefined;
}
