/**
 * Composes the results of several transforms on one file into one list of
 * edits: deletions are laid out together (see layout.ts), then checked with
 * the replacements for overlaps.
 */
import type { ParsedFile } from '../parse/parsed-file';
import type { TransformResult } from '../transform';
import { applyEdits, checkOverlaps, Edit } from './edit';
import { planDeletions } from './layout';

export function composeEdits(file: ParsedFile, results: TransformResult[]): Edit[] {
	const deletions = results.flatMap((r) => r.deletions ?? []);
	const laidOut = deletions.length
		? planDeletions({ text: file.text, lexed: file.lexed, declarationAt: (o) => file.declarationStartsAt(o) }, deletions)
		: [];
	return checkOverlaps(file.path, snapInsertions(results.flatMap((r) => r.edits), laidOut));
}

/**
 * An insertion that lands strictly inside a laid-out deletion (the layout
 * widened a deletion to whole lines, or joined two, around the point where
 * a transform inserts: its last extern and the `#endif` after it both go)
 * moves to the deletion's end: every byte between is deleted, so the
 * output is the same, and the edits no longer overlap.
 */
function snapInsertions(edits: Edit[], deletions: Edit[]): Edit[] {
	const snapped = edits.map((e) => {
		if (e.start !== e.end) return e;
		const around = deletions.find((d) => d.start < e.start && e.start < d.end);
		return around ? { ...e, start: around.end, end: around.end } : e;
	});
	return [...snapped, ...deletions];
}

/** The new text of a file after the given transform results. */
export function applyResults(file: ParsedFile, results: TransformResult[]): string {
	return applyEdits(file.path, file.text, composeEdits(file, results));
}
