/**
 * Preprocessor conditions around an offset, from the lexer's conditional
 * structure: which `#if` arms a declaration or statement lives in.
 */
import { Conditional, joinTokens, Lexed } from '../lex/lexer';
import type { Condition } from './types';

function armExpr(c: Conditional, armIndex: number): string {
	const own = (k: number): string => {
		const d = c.arms[k].directive;
		const operand = joinTokens(d.tokens);
		if (d.name === 'ifdef') return `defined(${operand})`;
		if (d.name === 'ifndef') return `!defined(${operand})`;
		return operand;
	};
	const arm = c.arms[armIndex].directive;
	const earlier = c.arms.slice(0, armIndex).map((_, k) => `!(${own(k)})`);
	if (arm.name === 'else') return earlier.join(' && ');
	return [...earlier, armIndex === 0 ? own(0) : `(${own(armIndex)})`].join(' && ');
}

function directiveText(text: string, start: number, end: number): string {
	return text.slice(start, end).replace(/\\\r?\n/g, ' ').replace(/\s+/g, ' ').trim();
}

/** The arms enclosing `offset`, outermost first. */
export function conditionsAt(text: string, lexed: Lexed, offset: number): Condition[] {
	const out: Condition[] = [];
	let level = lexed.conditionals;
	for (;;) {
		let next: Conditional[] | undefined;
		for (const c of level) {
			if (offset < c.start || offset >= c.end) continue;
			const armIndex = c.arms.findIndex((a) => offset >= a.start && offset < a.end);
			if (armIndex === -1) break; // on a directive line itself
			next = c.children;
			if (c.includeGuard) break;
			const first = c.arms[0].directive;
			const arm = c.arms[armIndex].directive;
			out.push({
				directive: directiveText(text, first.start, first.end),
				...(armIndex > 0 ? { arm: directiveText(text, arm.start, arm.end) } : {}),
				armIndex,
				expr: armExpr(c, armIndex),
				at: first.start,
				arms: c.arms.length,
			});
			break;
		}
		if (!next) return out;
		level = next;
	}
}

/** Conditions of `inner` that are not already conditions of `outer` (e.g. a member's within its struct). */
export function relativeConditions(inner: Condition[], outer: Condition[]): Condition[] {
	return inner.slice(outer.length);
}

/** The top-level `&&` operands of a condition expression. */
export function conjuncts(expr: string): string[] {
	const out: string[] = [];
	let depth = 0;
	let start = 0;
	for (let k = 0; k < expr.length; k++) {
		const c = expr[k];
		if (c === '(') depth++;
		else if (c === ')') depth--;
		else if (depth === 0 && expr.startsWith('&&', k)) {
			out.push(expr.slice(start, k).trim());
			start = k + 2;
			k++;
		}
	}
	out.push(expr.slice(start).trim());
	return out;
}

/** Whether some arm holds only where VIMAGE_GLOBALS is defined (alone or in a conjunction). */
export function inVimageGlobals(conditions: Condition[]): boolean {
	return conditions.some((c) => c.expr === '!(!defined(VIMAGE_GLOBALS))' || conjuncts(c.expr).includes('defined(VIMAGE_GLOBALS)'));
}
