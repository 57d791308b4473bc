/**
 * Declarations to types: splits a tree-sitter declaration into the type
 * argument and the name-with-bounds that `VNET_DEFINE(type, name[bounds])`
 * needs. Type text always comes from the original bytes (parse variants
 * may have masked macro types such as `TAILQ_HEAD(, x)`), through the
 * lexer's tokens, so spacing is normalized and comments are dropped.
 */
import { joinTokens, Lexed, matchParen, splitArguments, Token, tokenIndexAt } from '../lex/lexer';

import type { SyntaxNode } from '../parse/parser';
import { isTypeMacroName } from '../parse/variants';
import type { MemberType } from './types';

export interface DeclaratorInfo {
	name?: string;
	nameNode?: SyntaxNode;
	type: MemberType;
	/** The declarator as written (without initializer). */
	declarator: string;
	/** Why the declarator cannot be written as `name[bounds]` with a type argument. */
	complex?: string;
}

export function tokensIn(lexed: Lexed, start: number, end: number): Token[] {
	const out: Token[] = [];
	for (let k = tokenIndexAt(lexed.tokens, start); k < lexed.tokens.length && lexed.tokens[k].end <= end; k++) {
		out.push(lexed.tokens[k]);
	}
	return out;
}

/**
 * Normalized C text of a range: the tokens, one space wherever the author
 * left any whitespace or comment between two of them, none where they touch.
 */
export function codeText(lexed: Lexed, start: number, end: number): string {
	const toks = tokensIn(lexed, start, end);
	let out = '';
	for (let k = 0; k < toks.length; k++) {
		if (k > 0 && toks[k].start > toks[k - 1].end) out += ' ';
		out += toks[k].text;
	}
	return out;
}

const QUALIFIER_TYPES = new Set(['type_qualifier']);

/**
 * The type of one declarator of a declaration or field declaration.
 * `decl` is the declaration node, `declarator` one of its declarator fields;
 * `typedefName`: the name is a type_identifier (the declarator of a typedef).
 */
export function declaratorInfo(lexed: Lexed, decl: SyntaxNode, declarator: SyntaxNode, typedefName = false): DeclaratorInfo {
	const typeNode = decl.childForFieldName('type');
	const qualifiers = decl.namedChildren.filter((c) => QUALIFIER_TYPES.has(c.type)).map((c) => c.text);
	const specifier = typeNode ? codeText(lexed, typeNode.startIndex, typeNode.endIndex) : '';
	let pointers = 0;
	const bounds: string[] = [];
	let complex: string | undefined;
	let functionPointer: MemberType['functionPointer'];
	let name: string | undefined;
	let nameNode: SyntaxNode | undefined;
	let pointerQualified = false;

	let node: SyntaxNode | null = declarator;
	if (node.type === 'init_declarator') node = node.childForFieldName('declarator');
	const declaratorNode = node;
	while (node) {
		switch (node.type) {
			case 'type_identifier':
				if (!typedefName) {
					complex ??= `unsupported declarator (${node.type})`;
					node = null;
					break;
				}
				name = node.text;
				nameNode = node;
				node = null;
				break;
			case 'identifier':
			case 'field_identifier':
				name = node.text;
				nameNode = node;
				node = null;
				break;
			case 'pointer_declarator':
				pointers++;
				if (node.namedChildren.some((c) => c.type === 'type_qualifier')) pointerQualified = true;
				node = node.childForFieldName('declarator');
				break;
			case 'array_declarator': {
				// Inside a pointer declarator (`T *x[N][M]`): an array of pointers, which VNET_DEFINE
				// writes as (T *, x[N][M]). A pointer to an array needs parentheses, refused below.
				const size = node.childForFieldName('size');
				bounds.unshift(size ? codeText(lexed, size.startIndex, size.endIndex) : '');
				node = node.childForFieldName('declarator');
				break;
			}
			case 'function_declarator': {
				const inner = node.childForFieldName('declarator');
				const params = node.childForFieldName('parameters');
				if (inner?.type === 'parenthesized_declarator') {
					functionPointer = {
						returnType: `${specifier}${pointers ? ` ${'*'.repeat(pointers)}` : ''}`,
						parameters: params ? codeText(lexed, params.startIndex, params.endIndex) : '()',
					};
					pointers = 0;
					node = inner.namedChild(0);
				} else {
					complex ??= 'a function, not a variable';
					node = inner;
				}
				break;
			}
			case 'parenthesized_declarator':
				complex ??= 'parenthesized declarator';
				node = node.namedChild(0);
				break;
			default:
				complex ??= `unsupported declarator (${node.type})`;
				node = null;
		}
	}
	if (pointerQualified) complex ??= 'qualified pointer';
	if (typeNode && /_specifier$/.test(typeNode.type) && typeNode.childForFieldName('body')) {
		complex ??= 'type defined inline';
	}

	const type: MemberType = {
		text: '',
		specifier,
		qualifiers,
		pointers: functionPointer ? 0 : pointers,
		bounds,
	};
	if (typeNode && (typeNode.type === 'struct_specifier' || typeNode.type === 'union_specifier' || typeNode.type === 'enum_specifier')) {
		const tagName = typeNode.childForFieldName('name');
		if (tagName) type.tag = { keyword: typeNode.type.split('_')[0] as 'struct' | 'union' | 'enum', name: tagName.text };
	}
	if (typeNode) {
		const toks = tokensIn(lexed, typeNode.startIndex, typeNode.endIndex);
		if (toks.length > 1 && isTypeMacroName(toks[0].text) && toks[1].text === '(') {
			const close = matchParen(toks, 1);
			const args = close === -1 ? [] : splitArguments(toks, 1, close);
			type.queueMacro = {
				macro: toks[0].text,
				tag: args.length > 1 && args[0].length > 0 ? joinTokens(args[0]) : null,
				element: joinTokens(args[args.length - 1] ?? []),
			};
		}
	}
	if (functionPointer) type.functionPointer = functionPointer;
	const quals = qualifiers.length ? `${qualifiers.join(' ')} ` : '';
	type.text = functionPointer
		? `${quals}${functionPointer.returnType} (*)${functionPointer.parameters}`
		: `${quals}${specifier}${type.pointers ? ` ${'*'.repeat(type.pointers)}` : ''}`;
	return {
		name,
		nameNode,
		type,
		declarator: declaratorNode ? codeText(lexed, declaratorNode.startIndex, declaratorNode.endIndex) : '',
		...(complex ? { complex } : {}),
	};
}

/** Canonical form of a type for comparisons: `uma_zone_t` is `struct uma_zone *`, a tagged queue head its struct. */
export function canonicalType(t: MemberType): string {
	let spec = t.specifier.replace(/\s+/g, ' ');
	let pointers = t.pointers;
	if (spec === 'uma_zone_t') {
		spec = 'struct uma_zone';
		pointers++;
	}
	// `TAILQ_HEAD(ipqhead, ipq)` declares and is `struct ipqhead`.
	if (t.queueMacro?.tag && t.queueMacro.macro.endsWith('_HEAD')) spec = `struct ${t.queueMacro.tag}`;
	const fp = t.functionPointer ? `(*)${t.functionPointer.parameters}` : '';
	return `${t.qualifiers.join(' ')} ${spec} ${'*'.repeat(pointers)}${fp}${t.bounds.map((b) => `[${b}]`).join('')}`.trim();
}
