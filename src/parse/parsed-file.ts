/**
 * One source file as the transforms see it: its text (Latin-1 decoded, so
 * indices are byte offsets), its tokens and preprocessor structure, and its
 * parse variants, parsed on demand. Building one does no I/O.
 */
import { lex, Lexed } from '../lex/lexer';
import { LineMap } from '../source';
import { insideError, SyntaxNode } from './parser';
import { ParseVariants } from './variants';

export class ParsedFile {
	readonly lexed: Lexed;
	readonly lines: LineMap;
	private variantsCache?: ParseVariants;

	constructor(
		/** Path as shown to the user (relative to the working directory). */
		readonly path: string,
		readonly text: string,
	) {
		this.lexed = lex(text);
		this.lines = new LineMap(text);
	}

	get variants(): ParseVariants {
		this.variantsCache ??= new ParseVariants(this.text, this.lexed);
		return this.variantsCache;
	}

	/**
	 * Whether a declaration (or a local-declaring macro statement such as
	 * `VNET_ITERATOR_DECL(v);`) starts at `offset` inside a block, by the
	 * variants parsed so far.
	 */
	declarationStartsAt(offset: number): boolean {
		for (const v of this.variants.parsed()) {
			let n: SyntaxNode | null = v.tree.rootNode.descendantForIndex(offset);
			while (n && n.parent && n.parent.startIndex === offset && n.parent.type !== 'compound_statement') n = n.parent;
			if (!n || n.startIndex !== offset || n.parent?.type !== 'compound_statement' || insideError(n)) continue;
			if (n.type === 'declaration') return true;
			if (n.type === 'expression_statement') {
				const fn = n.namedChild(0)?.childForFieldName('function');
				if (fn && fn.text.endsWith('_DECL')) return true;
			}
			return false;
		}
		return false;
	}

	/** Position of a byte offset, 1-based. */
	position(offset: number): { line: number; column: number } {
		return { line: this.lines.line(offset), column: this.lines.column(offset) };
	}
}
