/**
 * Unified diffs from known edits. A diff algorithm over the whole file costs
 * O(N·D) (minutes on a 10 MB file with 70,000 removed lines); the edits
 * already say where the changes are, so only the regions around each
 * cluster of edits are diffed, and their hunks are joined into one patch
 * (`git apply` and `patch -p1` take it like any other).
 */
import { formatPatch, FILE_HEADERS_ONLY, structuredPatch, StructuredPatchHunk } from 'diff';
import type { Edit } from '../edit/edit';
import { LineMap } from '../source';

const CONTEXT = 3;

/** The patch of `oldText` with `edits` (non-overlapping) applied. */
export function unifiedDiff(oldName: string, newName: string, oldText: string, edits: readonly Edit[]): string {
	const oldLines = new LineMap(oldText);
	const lastLine = oldLines.lineCount;
	// Clusters of edits whose context would touch: [first line, last line] of the old text (1-based).
	const clusters: Array<{ first: number; last: number; edits: Edit[] }> = [];
	for (const e of [...edits].sort((a, b) => a.start - b.start)) {
		const first = oldLines.line(e.start);
		const last = oldLines.line(Math.max(e.start, e.end - 1));
		const prev = clusters[clusters.length - 1];
		if (prev && first - prev.last <= 2 * CONTEXT + 1) {
			prev.last = Math.max(prev.last, last);
			prev.edits.push(e);
		} else clusters.push({ first, last, edits: [e] });
	}
	const hunks: StructuredPatchHunk[] = [];
	let shift = 0; // new line number minus old line number before the current cluster
	for (const c of clusters) {
		const fromLine = Math.max(1, c.first - CONTEXT);
		const toLine = Math.min(lastLine, c.last + CONTEXT);
		const start = oldLines.lineStart(fromLine);
		const end = toLine < lastLine ? oldLines.lineStart(toLine + 1) : oldText.length;
		const oldChunk = oldText.slice(start, end);
		let newChunk = '';
		let pos = start;
		for (const e of c.edits) {
			newChunk += oldText.slice(pos, e.start) + e.text;
			pos = e.end;
		}
		newChunk += oldText.slice(pos, end);
		const patch = structuredPatch('a', 'b', oldChunk, newChunk, undefined, undefined, { context: CONTEXT });
		for (const h of patch.hunks) {
			hunks.push({ ...h, oldStart: h.oldStart + fromLine - 1, newStart: h.newStart + fromLine - 1 + shift });
		}
		shift += newChunk.split('\n').length - oldChunk.split('\n').length;
	}
	return formatPatch({ oldFileName: oldName, newFileName: newName, oldHeader: undefined, newHeader: undefined, hunks }, FILE_HEADERS_ONLY);
}
