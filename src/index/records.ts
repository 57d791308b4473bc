/*
 * What the layout model needs from a file: struct and union definitions
 * (each field's type split as for members, bit-field widths, `__packed`,
 * `__aligned(n)`), typedefs, and object-like macros whose body is a constant
 * expression (array bounds such as `IPREASS_NHASH`). Nothing is evaluated
 * here: the verify layer turns these into model types and reports what it
 * cannot lay out.
 */
import { Directive, joinTokens, matchParen, Token, tokenIndexAt } from '../lex/lexer';
import type { ParsedFile } from '../parse/parsed-file';
import type { SyntaxNode } from '../parse/parser';
import { codeText, declaratorInfo } from './ctypes';
import type { ConstantMacro, RecordDefinition, RecordField, Span, TypedefDefinition } from './types';

type SpanOf = (start: number, end: number) => Span;

/** Record definitions in one file-scope item: `struct x {...};`, `struct x {...} y;`, `typedef struct x {...} x_t;`. */
function recordNodes(item: SyntaxNode): SyntaxNode[] {
	const isRecord = (n: SyntaxNode | null) => !!n && (n.type === 'struct_specifier' || n.type === 'union_specifier') && !!n.childForFieldName('body');
	if (isRecord(item)) return [item];
	const type = item.childForFieldName('type');
	return isRecord(type) ? [type!] : [];
}

/** The attributes after a record's closing brace, up to the declarators or `;`. */
function trailingAttributes(file: ParsedFile, body: SyntaxNode): { packed?: boolean; aligned?: string; complex?: string } {
	const toks = file.lexed.tokens;
	const out: { packed?: boolean; aligned?: string; complex?: string } = {};
	for (let k = tokenIndexAt(toks, body.endIndex); k < toks.length; k++) {
		const t = toks[k];
		if (t.text === '__packed') out.packed = true;
		else if (t.text === '__aligned' && toks[k + 1]?.text === '(') {
			const close = matchParen(toks, k + 1);
			if (close < 0) break;
			out.aligned = joinTokens(toks, k + 2, close);
			k = close;
		} else if (t.text === '__attribute__' && toks[k + 1]?.text === '(') {
			const close = matchParen(toks, k + 1);
			if (close < 0) break;
			const inner = joinTokens(toks, k + 2, close).replace(/\s+/g, '');
			if (inner === '(packed)' || inner === '(__packed__)') out.packed = true;
			else out.complex = `attribute ${joinTokens(toks, k, close + 1)} is not modelled`;
			k = close;
		} else break;
	}
	return out;
}

function fieldsOf(file: ParsedFile, body: SyntaxNode): { fields: RecordField[]; complex?: string } {
	const fields: RecordField[] = [];
	let complex: string | undefined;
	const walk = (n: SyntaxNode, conditional?: string) => {
		// A conditional's own condition (`#ifdef NAME`, `#if expr`) is not part of the body.
		const skip = new Set([n.childForFieldName('name')?.startIndex, n.childForFieldName('condition')?.startIndex].filter((x) => x !== undefined));
		for (const c of n.namedChildren) {
			if (conditional !== undefined && skip.has(c.startIndex) && n !== body) continue;
			if (c.type === 'field_declaration') {
				const attr = /\b(__aligned|__attribute__|__packed)\b/.exec(codeText(file.lexed, c.startIndex, c.endIndex));
				const declarators = c.childrenForFieldName('declarator');
				if (declarators.length === 0) {
					// An anonymous struct/union member or an unnamed bit-field.
					const bits = c.namedChildren.find((x) => x.type === 'bitfield_clause');
					const info = declaratorInfo(file.lexed, c, c);
					const why = bits ? undefined : 'anonymous member';
					fields.push({ type: info.type, ...(bits ? { bits: bitsOf(file, bits) } : {}), ...(why ? { complex: why } : {}), ...(conditional ? { conditional } : {}) });
					continue;
				}
				for (const d of declarators) {
					const info = declaratorInfo(file.lexed, c, d);
					const next = d.nextNamedSibling;
					const bits = next?.type === 'bitfield_clause' ? bitsOf(file, next) : undefined;
					const why = info.complex ?? (attr ? `attribute ${attr[1]} on the member is not modelled` : undefined);
					fields.push({
						...(info.name ? { name: info.name } : {}),
						type: info.type,
						...(bits !== undefined ? { bits } : {}),
						...(why ? { complex: why } : {}),
						...(conditional ? { conditional } : {}),
					});
				}
			} else if (c.type.startsWith('preproc_if') || c.type.startsWith('preproc_el')) {
				const cond = c.childForFieldName('condition') ?? c.childForFieldName('name');
				walk(c, conditional ?? (cond ? `${c.child(0)?.text ?? '#if'} ${cond.text}` : 'a conditional'));
			} else if (c.type === 'ERROR') {
				complex ??= 'part of the body does not parse';
			} else if (c.type !== 'comment' && !c.type.startsWith('preproc_')) {
				complex ??= `unexpected ${c.type} in the body`;
			}
		}
	};
	walk(body);
	return { fields, ...(complex ? { complex } : {}) };
}

function bitsOf(file: ParsedFile, clause: SyntaxNode): string {
	const n = clause.namedChild(0);
	return n ? codeText(file.lexed, n.startIndex, n.endIndex) : '';
}

/** Records and typedefs of one file-scope item. */
export function scanTypes(file: ParsedFile, item: SyntaxNode, spanOf: SpanOf, records: RecordDefinition[], typedefs: TypedefDefinition[]): void {
	for (const r of recordNodes(item)) {
		const tag = r.childForFieldName('name')?.text;
		const body = r.childForFieldName('body')!;
		if (!tag) continue; // anonymous: laid out only where it is used inline (not modelled)
		const { fields, complex } = fieldsOf(file, body);
		const attrs = trailingAttributes(file, body);
		const why = complex ?? attrs.complex ?? (body.hasError ? 'the body does not parse cleanly' : undefined);
		records.push({
			kind: r.type === 'union_specifier' ? 'union' : 'struct',
			tag,
			fields,
			...(attrs.packed ? { packed: true } : {}),
			...(attrs.aligned ? { aligned: attrs.aligned } : {}),
			...(why ? { complex: why } : {}),
			span: spanOf(r.startIndex, r.endIndex),
		});
	}
	if (item.type !== 'type_definition') return;
	for (const d of item.childrenForFieldName('declarator')) {
		const info = declaratorInfo(file.lexed, item, d, true);
		if (!info.name) continue;
		const fn = info.complex === 'a function, not a variable';
		const complex = fn ? undefined : info.complex;
		typedefs.push({ name: info.name, type: info.type, ...(fn ? { function: true } : {}), ...(complex ? { complex } : {}), span: spanOf(item.startIndex, item.endIndex) });
	}
}

const CONSTANT_TOKEN = /^(?:[0-9][0-9a-zA-Z]*|[A-Za-z_][A-Za-z0-9_]*|<<|>>|[-+*/%()~&|^])$/;

/** `#define NAME <constant expression>`; undefined for function-like macros and anything else. */
export function constantMacro(d: Directive, spanOf: SpanOf): ConstantMacro | undefined {
	const [name, ...body] = d.tokens;
	if (!name || name.kind !== 'ident' || body.length === 0) return undefined;
	if (body[0].text === '(' && body[0].start === name.end) return undefined; // function-like
	if (!body.every((t: Token) => CONSTANT_TOKEN.test(t.text))) return undefined;
	if (!body.some((t: Token) => /^[0-9A-Za-z_]/.test(t.text))) return undefined;
	// `VNET(x)`, `sizeof(x)`: a call, not an arithmetic constant.
	if (body.some((t: Token, k) => t.kind === 'ident' && body[k + 1]?.text === '(')) return undefined;
	return { name: name.text, value: joinTokens(body), span: spanOf(d.start, d.end) };
}
