/*
 * A C tokenizer with the preprocessor's view of the file.
 *
 * tree-sitter sees preprocessor conditionals as syntax and macro bodies as
 * opaque text, and it loses whole functions to ERROR when #if arms split a
 * statement. The preprocessor itself is line- and token-based, so this layer
 * gives the exact facts the grammar cannot: which bytes are comments and
 * strings, where each directive line (with its continuations) lies, how
 * #if/#elif/#else/#endif nest, and the token stream of ordinary code and of
 * each directive's body. Offsets are byte offsets into the Latin-1 text.
 */

export type TokenKind = 'ident' | 'number' | 'string' | 'char' | 'punct';

export interface Token {
	kind: TokenKind;
	start: number;
	end: number;
	text: string;
}

export interface Comment {
	start: number;
	end: number;
}

export interface Directive {
	/** Start of the line holding the `#`. */
	lineStart: number;
	/** Offset of the `#`. */
	start: number;
	/** End of the directive, before its final newline. */
	end: number;
	/** Just past the final newline (or end of text). */
	lineEnd: number;
	/** Directive name: `if`, `ifdef`, `define`, ... (empty for a null directive). */
	name: string;
	/** Tokens after the name. */
	tokens: Token[];
}

export interface Arm {
	directive: Directive;
	/** Content of the arm: from after its directive line to the next directive's line start. */
	start: number;
	end: number;
}

export interface Conditional {
	arms: Arm[];
	/** An include guard (`#ifndef X` / `#define X` around the whole file): not a condition on its content. */
	includeGuard?: boolean;
	/** The #endif (undefined when the file ends first). */
	endif?: Directive;
	parent?: Conditional;
	children: Conditional[];
	/** From the #if line start to past the #endif line. */
	start: number;
	end: number;
}

export interface LexProblem {
	offset: number;
	message: string;
}

export interface Lexed {
	/** Tokens of ordinary code, outside directives and comments. */
	tokens: Token[];
	comments: Comment[];
	directives: Directive[];
	/** Top-level conditionals; nested ones hang off `children`. */
	conditionals: Conditional[];
	problems: LexProblem[];
}

const CONDITIONAL_OPEN = new Set(['if', 'ifdef', 'ifndef']);
const CONDITIONAL_ARM = new Set(['elif', 'else', 'elifdef', 'elifndef']);

function isIdentStart(c: number): boolean {
	return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36;
}

function isIdentPart(c: number): boolean {
	return isIdentStart(c) || (c >= 48 && c <= 57);
}

function isDigit(c: number): boolean {
	return c >= 48 && c <= 57;
}

const PUNCT3 = ['<<=', '>>=', '...'];
const PUNCT2 = ['->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '*=', '/=', '%=', '+=', '-=', '&=', '^=', '|=', '##'];

export function lex(text: string): Lexed {
	const tokens: Token[] = [];
	const comments: Comment[] = [];
	const directives: Directive[] = [];
	const problems: LexProblem[] = [];
	const n = text.length;
	let i = 0;
	/** True while only whitespace/comments have been seen on the current line. */
	let atLineStart = true;
	let lineStart = 0;
	let directive: Directive | undefined;

	const finishDirective = (end: number) => {
		if (!directive) return;
		directive.end = end;
		directive.lineEnd = end < n && text.charCodeAt(end) === 10 ? end + 1 : end;
		const t = directive.tokens;
		if (t.length > 0 && t[0].kind === 'ident') {
			directive.name = t[0].text;
			directive.tokens = t.slice(1);
		} else if (t.length > 0 && t[0].kind === 'number') {
			directive.name = 'line';
		}
		directives.push(directive);
		directive = undefined;
	};

	const push = (tok: Token) => {
		if (directive) directive.tokens.push(tok);
		else tokens.push(tok);
	};

	while (i < n) {
		const c = text.charCodeAt(i);
		if (c === 10) {
			if (directive) finishDirective(i);
			i++;
			atLineStart = true;
			lineStart = i;
			continue;
		}
		if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) {
			i++;
			continue;
		}
		if (c === 92 /* \ */) {
			// Line splice: backslash-newline continues the logical line.
			let j = i + 1;
			if (j < n && text.charCodeAt(j) === 13) j++;
			if (j < n && text.charCodeAt(j) === 10) {
				i = j + 1;
				continue;
			}
			push({ kind: 'punct', start: i, end: i + 1, text: '\\' });
			i++;
			atLineStart = false;
			continue;
		}
		if (c === 47 /* / */ && i + 1 < n) {
			const d = text.charCodeAt(i + 1);
			if (d === 42 /* * */) {
				const close = text.indexOf('*/', i + 2);
				const end = close === -1 ? n : close + 2;
				if (close === -1) problems.push({ offset: i, message: 'unterminated comment' });
				comments.push({ start: i, end });
				i = end;
				continue;
			}
			if (d === 47) {
				let j = i + 2;
				// A // comment continues across backslash-newline.
				for (;;) {
					const nl = text.indexOf('\n', j);
					if (nl === -1) {
						j = n;
						break;
					}
					let k = nl - 1;
					if (k >= 0 && text.charCodeAt(k) === 13) k--;
					if (k >= j && text.charCodeAt(k) === 92) {
						j = nl + 1;
						continue;
					}
					j = nl;
					break;
				}
				comments.push({ start: i, end: j });
				i = j;
				continue;
			}
		}
		if (c === 35 /* # */ && atLineStart && !directive) {
			directive = { lineStart, start: i, end: i, lineEnd: i, name: '', tokens: [] };
			atLineStart = false;
			i++;
			continue;
		}
		atLineStart = false;
		if (isIdentStart(c)) {
			let j = i + 1;
			while (j < n && isIdentPart(text.charCodeAt(j))) j++;
			// Wide and prefixed literals: L"..", u8"..", L'.'.
			const q = j < n ? text.charCodeAt(j) : 0;
			if ((q === 34 || q === 39) && /^(L|u|U|u8)$/.test(text.slice(i, j))) {
				const end = scanQuoted(text, j, q, problems);
				push({ kind: q === 34 ? 'string' : 'char', start: i, end, text: text.slice(i, end) });
				i = end;
				continue;
			}
			push({ kind: 'ident', start: i, end: j, text: text.slice(i, j) });
			i = j;
			continue;
		}
		if (isDigit(c) || (c === 46 && i + 1 < n && isDigit(text.charCodeAt(i + 1)))) {
			let j = i + 1;
			while (j < n) {
				const d = text.charCodeAt(j);
				if (isIdentPart(d) || d === 46) {
					j++;
				} else if ((d === 43 || d === 45) && /[eEpP]/.test(text[j - 1])) {
					j++;
				} else {
					break;
				}
			}
			push({ kind: 'number', start: i, end: j, text: text.slice(i, j) });
			i = j;
			continue;
		}
		if (c === 34 || c === 39) {
			// In `#include <...>` and `#error` text quotes need not pair; a newline ends them.
			const end = scanQuoted(text, i, c, problems);
			push({ kind: c === 34 ? 'string' : 'char', start: i, end, text: text.slice(i, end) });
			i = end;
			continue;
		}
		let len = 1;
		if (PUNCT3.includes(text.substr(i, 3))) len = 3;
		else if (PUNCT2.includes(text.substr(i, 2))) len = 2;
		push({ kind: 'punct', start: i, end: i + len, text: text.substr(i, len) });
		i += len;
	}
	if (directive) finishDirective(n);

	const conditionals = buildConditionals(directives, n, problems);
	markIncludeGuard(conditionals, directives, tokens);
	return { tokens, comments, directives, conditionals, problems };
}

function markIncludeGuard(top: Conditional[], directives: Directive[], tokens: Token[]): void {
	const last = top[top.length - 1];
	if (!last || last.arms.length !== 1 || !last.endif) return;
	const open = last.arms[0].directive;
	const name = open.name === 'ifndef' ? open.tokens[0]?.text : undefined;
	const next = directives[directives.indexOf(open) + 1];
	if (!name || next?.name !== 'define' || next.tokens[0]?.text !== name) return;
	const outside = (o: number) => o < last.start || o >= last.end;
	if (tokens.some((t) => outside(t.start)) || directives.some((d) => outside(d.start))) return;
	last.includeGuard = true;
}

function scanQuoted(text: string, i: number, quote: number, problems: LexProblem[]): number {
	const n = text.length;
	let j = i + 1;
	while (j < n) {
		const d = text.charCodeAt(j);
		if (d === 92) {
			j += 2;
			continue;
		}
		if (d === quote) return j + 1;
		if (d === 10) break;
		j++;
	}
	problems.push({ offset: i, message: quote === 34 ? 'unterminated string literal' : 'unterminated character literal' });
	return Math.min(j, n);
}

function buildConditionals(directives: Directive[], textEnd: number, problems: LexProblem[]): Conditional[] {
	const top: Conditional[] = [];
	const stack: Conditional[] = [];
	const closeArm = (c: Conditional, end: number) => {
		const arm = c.arms[c.arms.length - 1];
		arm.end = end;
	};
	for (const d of directives) {
		if (CONDITIONAL_OPEN.has(d.name)) {
			const parent = stack[stack.length - 1];
			const c: Conditional = {
				arms: [{ directive: d, start: d.lineEnd, end: textEnd }],
				parent,
				children: [],
				start: d.lineStart,
				end: textEnd,
			};
			(parent ? parent.children : top).push(c);
			stack.push(c);
		} else if (CONDITIONAL_ARM.has(d.name)) {
			const c = stack[stack.length - 1];
			if (!c) {
				problems.push({ offset: d.start, message: `#${d.name} without #if` });
				continue;
			}
			closeArm(c, d.lineStart);
			c.arms.push({ directive: d, start: d.lineEnd, end: textEnd });
		} else if (d.name === 'endif') {
			const c = stack.pop();
			if (!c) {
				problems.push({ offset: d.start, message: '#endif without #if' });
				continue;
			}
			closeArm(c, d.lineStart);
			c.endif = d;
			c.end = d.lineEnd;
		}
	}
	for (const c of stack) {
		problems.push({ offset: c.arms[0].directive.start, message: `unterminated #${c.arms[0].directive.name}` });
	}
	return top;
}

/** Every conditional, outermost first. */
export function allConditionals(lexed: Lexed): Conditional[] {
	const out: Conditional[] = [];
	const walk = (cs: Conditional[]) => {
		for (const c of cs) {
			out.push(c);
			walk(c.children);
		}
	};
	walk(lexed.conditionals);
	return out;
}

/** Index of the token whose range starts at or after `offset` (binary search). */
export function tokenIndexAt(tokens: Token[], offset: number): number {
	let lo = 0;
	let hi = tokens.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (tokens[mid].start < offset) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/**
 * From the `(` at tokens[open], the index of its matching `)`,
 * or -1 when the parentheses never balance.
 */
export function matchParen(tokens: Token[], open: number): number {
	let depth = 0;
	for (let k = open; k < tokens.length; k++) {
		const t = tokens[k].text;
		if (tokens[k].kind !== 'punct') continue;
		if (t === '(') depth++;
		else if (t === ')') {
			depth--;
			if (depth === 0) return k;
		}
	}
	return -1;
}

/** Splits the tokens strictly between `open` and `close` at top-level commas. */
export function splitArguments(tokens: Token[], open: number, close: number): Token[][] {
	const args: Token[][] = [[]];
	let depth = 0;
	for (let k = open + 1; k < close; k++) {
		const t = tokens[k];
		if (t.kind === 'punct') {
			if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
			else if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
			else if (t.text === ',' && depth === 0) {
				args.push([]);
				continue;
			}
		}
		args[args.length - 1].push(t);
	}
	return args;
}

/** Tokens as compact text: joined with a space only between two words. */
export function joinTokens(tokens: readonly Token[], from = 0, to = tokens.length): string {
	let out = '';
	for (let k = from; k < to; k++) {
		const t = tokens[k];
		if (k > from) {
			const prev = tokens[k - 1];
			if (isWordEnd(prev.text) && isWordStart(t.text)) out += ' ';
			else if (prev.text === ',') out += ' ';
		}
		out += t.text;
	}
	return out;
}

function isWordEnd(s: string): boolean {
	return isIdentPart(s.charCodeAt(s.length - 1)) || s.endsWith('"') || s.endsWith("'");
}

function isWordStart(s: string): boolean {
	return isIdentPart(s.charCodeAt(0)) || s.startsWith('"') || s.startsWith("'");
}
