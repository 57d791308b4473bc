/**
 * The index's second pass: uses of members' plain names in code
 * (`divcbinfo.ipi_zone` instead of `V_divcbinfo.ipi_zone`). They compiled
 * only without VIMAGE, and name nothing once VNET_DEFINE renames the symbol.
 * This pass needs the merged member names, so it runs after the merge.
 */
import type { ParsedFile } from '../parse/parsed-file';
import { insideError, SyntaxNode } from '../parse/parser';
import type { FileIndex, Span } from './types';

const DECLARATOR_FOLLOWERS = new Set([';', ',', '=', '[', ')']);

function contains(spans: Span[], offset: number): boolean {
	return spans.some((s) => s.start <= offset && offset < s.end);
}

/** Names a function declares (parameters and locals), by the primary parse. */
function declaredIn(fn: SyntaxNode): Set<string> {
	const names = new Set<string>();
	for (const n of fn.descendantsOfType(['identifier'])) {
		const p = n.parent;
		if (!p) continue;
		const isDeclarator =
			(p.type === 'init_declarator' && p.childForFieldName('declarator')?.id === n.id) ||
			((p.type === 'declaration' || p.type === 'parameter_declaration') && p.childForFieldName('declarator')?.id === n.id) ||
			((p.type === 'pointer_declarator' || p.type === 'array_declarator') && p.childForFieldName('declarator')?.id === n.id);
		if (isDeclarator) names.add(n.text);
	}
	return names;
}

export function scanPlainUses(file: ParsedFile, part: FileIndex, memberNames: Set<string>): Array<{ member: string; span: Span }> {
	const toks = file.lexed.tokens;
	const excluded: Span[] = [
		...part.globals.map((g) => g.statement),
		...part.sysctls.map((s) => s.span),
		...part.symmaps.map((t) => t.span),
		...part.directAccesses.map((d) => d.span),
		...part.ctasserts.map((c) => c.span),
	];
	const out: Array<{ member: string; span: Span }> = [];
	const localCache = new Map<number, Set<string>>();
	for (let i = 0; i < toks.length; i++) {
		const t = toks[i];
		if (t.kind !== 'ident' || !memberNames.has(t.text)) continue;
		const prev = toks[i - 1];
		const next = toks[i + 1];
		if (prev && (prev.text === '->' || prev.text === '.' || prev.text === 'struct' || prev.text === 'union' || prev.text === 'goto')) continue;
		if (next?.text === '(' || next?.text === ':') continue;
		if (prev && (prev.kind === 'ident' || prev.text === '*') && next && DECLARATOR_FOLLOWERS.has(next.text) && prev.text !== 'return') continue;
		if (contains(excluded, t.start)) continue;
		// Only identifiers in expressions count, not type or field names (`TAILQ_HEAD(ipqhead, ipq)`).
		const tree = file.variants.masked().tree;
		const node = tree.rootNode.descendantForIndex(t.start, t.end);
		if (node.type !== 'identifier' || insideError(node)) continue;
		// A local or parameter of the same name shadows the global.
		let fn: SyntaxNode | null = tree.rootNode.descendantForIndex(t.start);
		while (fn && fn.type !== 'function_definition') fn = fn.parent;
		if (fn) {
			let names = localCache.get(fn.id);
			if (!names) {
				names = declaredIn(fn);
				localCache.set(fn.id, names);
			}
			if (names.has(t.text)) continue;
		}
		out.push({ member: t.text, span: { file: file.path, line: file.lines.line(t.start), start: t.start, end: t.end } });
	}
	return out;
}
