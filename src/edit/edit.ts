/**
 * Edits are plain data on the original text: replace [start, end) with
 * `text`. Offsets are byte offsets (see source.ts). Edits never overlap;
 * two that do are a bug in the transforms, reported with both rules.
 */
export interface Edit {
	start: number;
	end: number;
	text: string;
	/** The transform rule that made it, e.g. `remove-init-vnet`. */
	rule: string;
}

export class OverlappingEditsError extends Error {
	constructor(readonly file: string, readonly a: Edit, readonly b: Edit) {
		super(
			`internal error: overlapping edits in ${file}: ` +
				`${a.rule} [${a.start},${a.end}) and ${b.rule} [${b.start},${b.end})`,
		);
		this.name = 'OverlappingEditsError';
	}
}

export function sortEdits(edits: readonly Edit[]): Edit[] {
	return [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Throws OverlappingEditsError when two edits touch the same bytes (or insert at the same point). */
export function checkOverlaps(file: string, edits: readonly Edit[]): Edit[] {
	const sorted = sortEdits(edits);
	for (let k = 1; k < sorted.length; k++) {
		const prev = sorted[k - 1];
		const cur = sorted[k];
		const sameInsertion = prev.start === prev.end && cur.start === cur.end && prev.start === cur.start;
		if (cur.start < prev.end || sameInsertion) throw new OverlappingEditsError(file, prev, cur);
	}
	return sorted;
}

export function applyEdits(file: string, text: string, edits: readonly Edit[]): string {
	const sorted = checkOverlaps(file, edits);
	const parts: string[] = [];
	let pos = 0;
	for (const e of sorted) {
		parts.push(text.slice(pos, e.start), e.text);
		pos = e.end;
	}
	parts.push(text.slice(pos));
	return parts.join('');
}

export function countByRule(edits: readonly Edit[]): Record<string, number> {
	const out: Record<string, number> = {};
	for (const e of edits) out[e.rule] = (out[e.rule] ?? 0) + 1;
	return out;
}
