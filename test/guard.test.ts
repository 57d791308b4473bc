import { describe, expect, it } from 'vitest';
import { editInsideComment } from '../src/edit/guard';
import { lex } from '../src/lex/lexer';

describe('edits inside comments', () => {
	const text = 'int a; /* note */ int b;\n/* open\nint c;\n';
	const comments = lex(text).comments;
	const at = (s: string) => text.indexOf(s);
	it('an edit ending at a comment boundary or covering a whole comment is fine', () => {
		expect(editInsideComment([{ start: at('int a'), end: at('/* note'), text: '', rule: 'r' }], comments)).toBeUndefined();
		expect(editInsideComment([{ start: at('/* note'), end: at(' int b'), text: '', rule: 'r' }], comments)).toBeUndefined();
	});
	it('an edit or insertion strictly inside a comment, unterminated ones too, is caught with its offset', () => {
		expect(editInsideComment([{ start: at('note'), end: at('note'), text: 'x', rule: 'r' }], comments)).toMatchObject({ offset: at('note') });
		expect(editInsideComment([{ start: at('int b'), end: at('int c') + 3, text: '', rule: 'r' }], comments)).toMatchObject({ offset: at('int c') + 3 });
	});
});
