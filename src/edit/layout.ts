/*
 * Turns "delete this statement / directive" into edits that leave the file
 * laid out as style(9) code of 2009 was (spec §3.1):
 *   - a construct alone on its line goes with the whole line (a trailing
 *     comment on that line goes too); one sharing its line goes alone;
 *   - an #if/#ifdef/#ifndef whose every arm is left empty goes with its
 *     directive lines (cascading outwards); an #else arm left empty loses
 *     its `#else` line;
 *   - never two empty lines in a row; when the removed lines sat between a
 *     function's `{` and its declarations, the empty line after them goes
 *     too; otherwise the empty line after them stays. Lines are only
 *     removed, never inserted.
 */
import type { Conditional, Lexed } from '../lex/lexer';
import { allConditionals } from '../lex/lexer';
import { isBlank, lineEndOf, lineStartOf } from '../source';
import type { Edit } from './edit';

export interface Deletion {
	start: number;
	end: number;
	/** The rule asking for it; a merged range takes the rule of its first deletion. */
	rule: string;
	/**
	 * A block whose heading comment goes with it: a comment standing on the
	 * lines right above it, after an empty line (`/* Symbol translation macros *\/`).
	 */
	withHeading?: boolean;
}

export interface LayoutContext {
	text: string;
	lexed: Lexed;
	/** Whether a declaration (not a statement) starts at this offset. */
	declarationAt?: (offset: number) => boolean;
}

interface Range {
	start: number;
	end: number;
	rule?: string;
}

function onlyWhitespaceOrComments(ctx: LayoutContext, start: number, end: number): boolean {
	const { text, lexed } = ctx;
	let k = start;
	while (k < end) {
		const c = text.charCodeAt(k);
		if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11 || c === 10) {
			k++;
			continue;
		}
		const comment = commentAt(lexed, k);
		if (!comment || comment.end > end) return false;
		k = comment.end;
	}
	return true;
}

/** The comment starting exactly at `offset` (comments are sorted by start). */
function commentAt(lexed: Lexed, offset: number) {
	const cs = lexed.comments;
	let lo = 0;
	let hi = cs.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (cs[mid].start < offset) lo = mid + 1;
		else hi = mid;
	}
	return cs[lo]?.start === offset ? cs[lo] : undefined;
}

function contentEnd(text: string, lineStart: number): number {
	const le = lineEndOf(text, lineStart);
	return le > lineStart && text.charCodeAt(le - 1) === 10 ? le - 1 : le;
}

/** Whether [start, end) holds nothing but whitespace once `removed` (sorted) is taken out. */
function emptyAfterRemoval(text: string, start: number, end: number, removed: Range[]): boolean {
	let k = start;
	for (const r of removed) {
		if (r.end <= k) continue;
		if (r.start >= end) break;
		if (r.start > k && !isWhitespace(text, k, r.start)) return false;
		k = Math.max(k, r.end);
		if (k >= end) return true;
	}
	return k >= end || isWhitespace(text, k, end);
}

function isWhitespace(text: string, start: number, end: number): boolean {
	for (let k = start; k < end; k++) {
		const c = text.charCodeAt(k);
		if (!(c === 32 || c === 9 || c === 13 || c === 12 || c === 11 || c === 10)) return false;
	}
	return true;
}

function mergeRanges(ranges: Range[]): Range[] {
	const sorted = [...ranges].sort((a, b) => a.start - b.start || a.end - b.end);
	const out: Range[] = [];
	for (const r of sorted) {
		const last = out[out.length - 1];
		if (last && r.start <= last.end) {
			last.end = Math.max(last.end, r.end);
			last.rule ??= r.rule;
		} else out.push({ ...r });
	}
	return out;
}

export function planDeletions(ctx: LayoutContext, deletions: Deletion[]): Edit[] {
	const { text } = ctx;
	const lineRanges: Range[] = [];
	const inline: Range[] = [];
	for (const d of deletions) {
		const ls = lineStartOf(text, d.start);
		const lastLine = lineStartOf(text, Math.max(d.start, d.end - 1));
		const ce = contentEnd(text, lastLine);
		const beforeBlank = isWhitespace(text, ls, d.start);
		const afterBlank = onlyWhitespaceOrComments(ctx, d.end, ce);
		if (beforeBlank && afterBlank) {
			lineRanges.push({ start: ls, end: lineEndOf(text, lastLine), rule: d.rule });
		} else if (beforeBlank) {
			let e = d.end;
			while (e < ce && (text[e] === ' ' || text[e] === '\t')) e++;
			inline.push({ start: d.start, end: e, rule: d.rule });
		} else {
			let s = d.start;
			while (s > ls && (text[s - 1] === ' ' || text[s - 1] === '\t')) s--;
			inline.push({ start: s, end: d.end, rule: d.rule });
		}
	}

	// Conditionals left empty go too, innermost first.
	const touched = (c: Conditional) => deletions.some((d) => d.start >= c.start && d.end <= c.end);
	const conds = allConditionals(ctx.lexed).filter((c) => c.endif && touched(c)).reverse();
	let removed = mergeRanges(lineRanges);
	for (const c of conds) {
		const inside = deletions.find((d) => d.start >= c.start && d.end <= c.end);
		if (c.arms.every((arm) => emptyAfterRemoval(text, arm.start, arm.end, removed))) {
			removed = mergeRanges([...removed, { start: c.start, end: c.end, rule: inside?.rule }]);
			continue;
		}
		// An #else arm left empty says nothing: drop its directive line.
		const last = c.arms[c.arms.length - 1];
		const touchedArm = deletions.some((d) => d.start >= last.start && d.end <= last.end);
		if (c.arms.length > 1 && last.directive.name === 'else' && touchedArm &&
			emptyAfterRemoval(text, last.start, last.end, removed)) {
			removed = mergeRanges([...removed, { start: last.directive.lineStart, end: last.end, rule: inside?.rule }]);
		}
	}

	removed = emptiedBareBlocks(ctx, deletions, removed);

	// Heading comments of removed blocks go with them, when all the heading covers goes: to the
	// end of its block; a one-line comment (style(9) writes section headings on several lines)
	// covers only its paragraph, up to an empty line.
	for (const r of [...removed]) {
		if (!deletions.some((d) => d.withHeading && d.start >= r.start && d.end <= r.end)) continue;
		const heading = headingAbove(ctx, r.start);
		if (heading === undefined) continue;
		const oneLine = !text.slice(heading, r.start).trimEnd().includes('\n');
		if ((oneLine && paragraphEndsAt(text, r.end)) || blockEndsRemoved(text, removed, r)) {
			removed = mergeRanges([...removed, { start: heading, end: r.start, rule: r.rule }]);
		}
	}

	removed = normalizeBlankLines(ctx, removed);
	const kept = inline.filter((r) => !removed.some((l) => r.start >= l.start && r.end <= l.end));
	// Two deletions on one line can meet in the blank between them (`int a b;` losing both halves),
	// or an inline one can reach into a removed line: deleting both is deleting their union.
	return mergeOverlapping([...removed, ...kept]).map((r) => ({ start: r.start, end: r.end, text: '', rule: r.rule ?? 'layout' }));
}

/** Unions ranges that share bytes (ranges that only touch stay apart, so edit counts stay as they were). */
function mergeOverlapping(ranges: Range[]): Range[] {
	const sorted = [...ranges].sort((a, b) => a.start - b.start || a.end - b.end);
	const out: Range[] = [];
	for (const r of sorted) {
		const last = out[out.length - 1];
		if (last && r.start < last.end) {
			last.end = Math.max(last.end, r.end);
			last.rule ??= r.rule;
		} else out.push({ ...r });
	}
	return out;
}

function normalizeBlankLines(ctx: LayoutContext, runs: Range[]): Range[] {
	const { text } = ctx;
	const out = runs.map((r) => ({ ...r }));
	for (let k = 0; k < out.length; k++) {
		const r = out[k];
		for (;;) {
			const prevStart = r.start > 0 ? lineStartOf(text, r.start - 1) : -1;
			const prevBlank = prevStart >= 0 && isBlank(text.slice(prevStart, r.start));
			const hasNext = r.end < text.length;
			const nextEnd = hasNext ? lineEndOf(text, r.end) : r.end;
			const nextBlank = hasNext && isBlank(text.slice(r.end, nextEnd));
			let changed = false;
			if (prevBlank && nextBlank) {
				r.end = nextEnd;
				changed = true;
			} else if (nextBlank && prevStart >= 0 && opensBlock(text, prevStart, r.start)) {
				const after = firstCodeOffset(text, nextEnd);
				if (after !== -1 && ctx.declarationAt?.(after)) {
					r.end = nextEnd;
					changed = true;
				}
			} else if (prevBlank && (!hasNext || text.slice(r.end, nextEnd).trim().startsWith('}'))) {
				r.start = prevStart;
				changed = true;
			}
			// Swallowing a blank line may make this run touch the next one.
			while (k + 1 < out.length && out[k + 1].start <= r.end) {
				r.end = Math.max(r.end, out[k + 1].end);
				out.splice(k + 1, 1);
				changed = true;
			}
			if (!changed) break;
		}
	}
	return out;
}

/**
 * A bare block (`{` and `}` alone on their lines, the `{` where a statement
 * may start: after `;`, `{`, `}` or a label's `:`, in every #if arm before it)
 * whose code the deletions all removed goes whole, with the comments it held:
 * `{ INIT_VNET_X(curvnet); V_x = CONST; }` once both statements have moved on.
 */
function emptiedBareBlocks(ctx: LayoutContext, deletions: Deletion[], removed: Range[]): Range[] {
	const { text, lexed } = ctx;
	const toks = lexed.tokens;
	const opens: number[] = [];
	const blocks: Array<{ open: number; close: number }> = [];
	for (let k = 0; k < toks.length; k++) {
		if (toks[k].kind !== 'punct') continue;
		if (toks[k].text === '{') opens.push(k);
		else if (toks[k].text === '}' && opens.length) blocks.push({ open: opens.pop()!, close: k });
	}
	const conds = allConditionals(lexed).filter((c) => c.endif);
	const startsStatement = (k: number) => k >= 0 && [';', '{', '}', ':'].includes(toks[k].text);
	const lastTokenBefore = (offset: number) => {
		let k = toks.length - 1;
		while (k >= 0 && toks[k].start >= offset) k--;
		return k;
	};
	// The token before `{`, and the last token of every #if arm ending between them, must end a statement.
	const bare = (open: number) => {
		const prev = open - 1;
		if (!startsStatement(prev)) return false;
		for (const c of conds) {
			if (c.end <= toks[prev].end || c.end > toks[open].start) continue;
			for (const arm of c.arms) {
				const last = lastTokenBefore(arm.end);
				const inArm = last >= 0 && toks[last].start >= arm.start;
				if (!startsStatement(inArm ? last : lastTokenBefore(c.start))) return false;
			}
		}
		return true;
	};
	const aloneOnLine = (offset: number, len: number) =>
		isWhitespace(text, lineStartOf(text, offset), offset) && isWhitespace(text, offset + len, contentEnd(text, lineStartOf(text, offset)));
	let out = removed;
	for (const b of blocks.sort((x, y) => (toks[x.close].end - toks[x.open].start) - (toks[y.close].end - toks[y.open].start))) {
		const open = toks[b.open];
		const close = toks[b.close];
		if (!deletions.some((d) => d.start > open.start && d.end <= close.start)) continue;
		if (!aloneOnLine(open.start, 1) || !aloneOnLine(close.start, 1) || !bare(b.open)) continue;
		const inner = { start: lineEndOf(text, open.start), end: lineStartOf(text, close.start) };
		let k = inner.start;
		let empty = true;
		for (const r of [...out, { start: inner.end, end: inner.end }]) {
			if (r.end <= k || r.start < inner.start) continue;
			if (r.start >= inner.end) {
				empty &&= onlyWhitespaceOrComments(ctx, k, inner.end);
				break;
			}
			empty &&= onlyWhitespaceOrComments(ctx, k, r.start);
			k = Math.max(k, r.end);
		}
		if (empty) out = mergeRanges([...out, { start: lineStartOf(text, open.start), end: lineEndOf(text, close.start), rule: deletions.find((d) => d.start > open.start && d.end <= close.start)?.rule }]);
	}
	return out;
}

/** Whether a paragraph ends at line start `offset`: an empty line or the end of the file follows. */
function paragraphEndsAt(text: string, offset: number): boolean {
	return offset >= text.length || isBlank(text.slice(offset, lineEndOf(text, offset)));
}

/**
 * Whether everything from `run` to the end of its block is removed: past
 * empty lines and further removed runs comes the end of the file or a
 * closing directive (#endif, #else, #elif).
 */
function blockEndsRemoved(text: string, runs: Range[], run: Range): boolean {
	let k = run.end;
	for (;;) {
		while (k < text.length) {
			const le = lineEndOf(text, k);
			if (!isBlank(text.slice(k, le))) break;
			k = le;
		}
		if (k >= text.length) return true;
		const next = runs.find((r) => r.start === k);
		if (next) {
			k = next.end;
			continue;
		}
		const line = text.slice(k, lineEndOf(text, k)).trim();
		return /^#\s*(endif|else|elif)\b/.test(line);
	}
}

/** Start of the comment-only lines directly above `lineStart`, when an empty line (or the file start) precedes them. */
function headingAbove(ctx: LayoutContext, lineStart: number): number | undefined {
	const { text, lexed } = ctx;
	if (lineStart === 0) return undefined;
	let end = lineStart - 1; // the newline ending the line above
	while (end > 0 && (text[end - 1] === ' ' || text[end - 1] === '\t' || text[end - 1] === '\r')) end--;
	const comment = lexed.comments.find((c) => c.end === end);
	if (!comment) return undefined;
	const start = lineStartOf(text, comment.start);
	if (!isWhitespace(text, start, comment.start)) return undefined;
	if (start === 0) return undefined;
	const prevStart = lineStartOf(text, start - 1);
	return isBlank(text.slice(prevStart, start)) ? start : undefined;
}

function opensBlock(text: string, lineStart: number, lineEnd: number): boolean {
	return text.slice(lineStart, lineEnd).trimEnd().endsWith('{');
}

/** First non-blank offset at or after `from` on a non-blank line, or -1. */
function firstCodeOffset(text: string, from: number): number {
	let k = from;
	while (k < text.length) {
		const c = text.charCodeAt(k);
		if (c === 32 || c === 9 || c === 13 || c === 10 || c === 12 || c === 11) k++;
		else return k;
	}
	return -1;
}
