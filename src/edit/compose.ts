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
	return checkOverlaps(file.path, [...results.flatMap((r) => r.edits), ...laidOut]);
}

/** The new text of a file after the given transform results. */
export function applyResults(file: ParsedFile, results: TransformResult[]): string {
	return applyEdits(file.path, file.text, composeEdits(file, results));
}
