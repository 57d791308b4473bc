/**
 * One source file as the transforms see it: its text (Latin-1 decoded, so
 * indices are byte offsets), its tokens and preprocessor structure, and its
 * parse variants, parsed on demand. Building one does no I/O.
 */
import { lex, Lexed } from '../lex/lexer';
import { LineMap } from '../source';
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

	/** Position of a byte offset, 1-based. */
	position(offset: number): { line: number; column: number } {
		return { line: this.lines.line(offset), column: this.lines.column(offset) };
	}
}
