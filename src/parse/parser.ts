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

/**
 * Loads a CommonJS module without the require hooks of the host. jscodeshift
 * registers @babel/register for every file outside its own parsers, so it
 * recompiles tree-sitter's index.js as a strict-mode ES module, where the
 * binding's setup (assigning over a getter) throws. Compiling the file
 * ourselves keeps it sloppy-mode CommonJS, as its authors wrote it.
 */
function requireWithoutHooks(id: string): unknown {
	const Module = require('module') as typeof import('module') & {
		_nodeModulePaths(dir: string): string[];
	};
	const { readFileSync } = require('fs') as typeof import('fs');
	const { dirname } = require('path') as typeof import('path');
	const filename = require.resolve(id);
	const m = new Module(filename, module) as InstanceType<typeof Module> & { _compile(src: string, f: string): void };
	m.filename = filename;
	m.paths = Module._nodeModulePaths(dirname(filename));
	m._compile(readFileSync(filename, 'utf8'), filename);
	m.loaded = true;
	return m.exports;
}

/** Whether a foreign TypeScript require hook (jscodeshift's babel) is installed. */
function underRequireHooks(): boolean {
	return Boolean((require('module') as unknown as { _extensions: Record<string, unknown> })._extensions['.ts']);
}

/**
 * The binding makes one node class per named grammar symbol and means to give
 * each a constant `type`, but it assigns over the base class's getter, which
 * sloppy mode ignores: every `node.type` is then a native call (1 s of a 27 s
 * run on the 20 MB benchmark tree). Each class instead learns its name from the native getter on
 * first use and keeps it as its prototype's own value. This is exact: the class
 * is chosen by the node's symbol and the name is that symbol's name; ERROR and
 * anonymous nodes, of the base class, keep the getter.
 */
function typeAsPrototypeValue(language: { nodeSubclasses?: Array<{ prototype: object }> }, base: { prototype: object }): void {
	const nativeType = Object.getOwnPropertyDescriptor(base.prototype, 'type')?.get;
	if (!nativeType) return;
	for (const cls of new Set(language.nodeSubclasses ?? [])) {
		if (cls === base || Object.getOwnPropertyDescriptor(cls.prototype, 'type')) continue;
		Object.defineProperty(cls.prototype, 'type', {
			configurable: true,
			get(this: object) {
				const name = nativeType.call(this) as string;
				Object.defineProperty(cls.prototype, 'type', { value: name, configurable: true });
				return name;
			},
		});
	}
}

function getParser(): ParserT {
	if (!parser) {
		const Parser = (underRequireHooks() ? requireWithoutHooks('tree-sitter') : require('tree-sitter')) as typeof ParserT;
		const C = require('tree-sitter-c');
		const p = new Parser();
		p.setLanguage(C);
		typeAsPrototypeValue(C as { nodeSubclasses?: Array<{ prototype: object }> }, (Parser as unknown as { SyntaxNode: { prototype: object } }).SyntaxNode);
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

/** Whether each tree asked about holds an ERROR or MISSING node anywhere (most hold none). */
const treeHasError = new WeakMap<Tree, boolean>();

/** True when `node` or an ancestor up to (not including) `stop` is an ERROR node. */
export function insideError(node: SyntaxNode, stop?: SyntaxNode | null): boolean {
	let anyError = treeHasError.get(node.tree);
	if (anyError === undefined) treeHasError.set(node.tree, (anyError = node.tree.rootNode.hasError));
	// A tree without errors has no ERROR ancestor to find: no walk up, one native call per level.
	if (!anyError) return false;
	for (let n: SyntaxNode | null = node; n && n !== stop; n = n.parent) {
		if (n.type === 'ERROR') return true;
	}
	return false;
}
