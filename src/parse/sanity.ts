/**
 * Output sanity: a migrated file must parse no worse than its input. Both
 * are read the same way (the masked parse variant, where VNET_DEFINE and
 * type-taking macros read as declarations, since tree-sitter would
 * otherwise see every new VNET_DEFINE as an error).
 */
import { ParsedFile } from './parsed-file';
import type { SyntaxNode } from './parser';

function errorNodes(file: ParsedFile): SyntaxNode[] {
	const v = file.variants.get(file.variants.count > 1 ? 1 : 0);
	if (v.name !== 'masked' && v.name !== 'original') return file.variants.get(0).tree.rootNode.descendantsOfType('ERROR');
	return v.tree.rootNode.descendantsOfType('ERROR');
}

/** Where the output has more ERROR nodes than the input, the first one beyond the input's count. */
export function parsesWorse(input: ParsedFile, output: ParsedFile): { extra: number; line: number } | undefined {
	const before = errorNodes(input).length;
	const after = errorNodes(output);
	if (after.length <= before) return undefined;
	return { extra: after.length - before, line: after[Math.min(before, after.length - 1)].startPosition.row + 1 };
}
