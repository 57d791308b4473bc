/*
 * The tree-sitter C parser, loaded on first use so that `--help` and
 * files the prefilter skips never pay for the native module.
 *
 * Memory: the native binding frees a tree only when the event loop turns
 * (spec §5), so callers that parse many files must yield between them
 * (see `yieldToEventLoop`).
 */
import type ParserT from 'tree-sitter';

export type SyntaxNode = ParserT.SyntaxNode;
export type Tree = ParserT.Tree;

let parser: ParserT | undefined;

function getParser(): ParserT {
	if (!parser) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const Parser = require('tree-sitter') as typeof ParserT;
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const C = require('tree-sitter-c');
		const p = new Parser();
		p.setLanguage(C);
		parser = p;
	}
	return parser;
}

export function parseC(text: string): Tree {
	return getParser().parse(text);
}

export function yieldToEventLoop(): Promise<void> {
	return new Promise((resolve) => setImmediate(resolve));
}

/** True when `node` or an ancestor up to (not including) `stop` is an ERROR node. */
export function insideError(node: SyntaxNode, stop?: SyntaxNode | null): boolean {
	for (let n: SyntaxNode | null = node; n && n !== stop; n = n.parent) {
		if (n.type === 'ERROR') return true;
	}
	return false;
}

export function ancestor(node: SyntaxNode, type: string): SyntaxNode | null {
	for (let n = node.parent; n; n = n.parent) {
		if (n.type === type) return n;
	}
	return null;
}
