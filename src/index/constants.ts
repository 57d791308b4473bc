/**
 * Which initial values are compile-time constants (spec §3.4): literals,
 * `NULL`, macro or enum constants (ALL_CAPS names), `sizeof`, casts,
 * arithmetic of those. Anything that calls a function or reads a variable
 * is not. ALL_CAPS names are recorded so the merged index can tell which
 * were only assumed to be constants (no definition in the tree).
 */
import type { SyntaxNode } from '../parse/parser';

export interface ConstantVerdict {
	constant: boolean;
	/** Why not, when not constant. */
	reason?: string;
	/** ALL_CAPS names the value relies on being constants. */
	names: string[];
}

export const MACRO_NAME = /^[A-Z_][A-Z0-9_]*$/;

export function classifyConstant(node: SyntaxNode): ConstantVerdict {
	const names: string[] = [];
	const reason = visit(node, names);
	return reason ? { constant: false, reason, names } : { constant: true, names };
}

/** Returns why `node` is not constant, or undefined when it is. */
function visit(node: SyntaxNode, names: string[]): string | undefined {
	switch (node.type) {
		case 'number_literal':
		case 'char_literal':
		case 'string_literal':
		case 'concatenated_string':
		case 'true':
		case 'false':
		case 'null':
			return undefined;
		case 'sizeof_expression':
		case 'alignof_expression':
		case 'offsetof_expression':
			return undefined;
		case 'identifier':
			if (node.text === 'NULL') return undefined;
			if (node.text.startsWith('V_')) return `reads another virtualized variable (${node.text})`;
			if (MACRO_NAME.test(node.text)) {
				names.push(node.text);
				return undefined;
			}
			return `reads a variable (${node.text})`;
		case 'parenthesized_expression':
		case 'unary_expression':
		case 'binary_expression':
		case 'conditional_expression':
			for (const c of node.namedChildren) {
				if (c.type === 'comment') continue;
				const r = visit(c, names);
				if (r) return r;
			}
			return undefined;
		case 'cast_expression': {
			const value = node.childForFieldName('value');
			return value ? visit(value, names) : 'empty cast';
		}
		case 'call_expression': {
			const fn = node.childForFieldName('function');
			if (fn?.type === 'identifier' && MACRO_NAME.test(fn.text)) {
				for (const a of node.childForFieldName('arguments')?.namedChildren ?? []) {
					const r = visit(a, names);
					if (r) return r;
				}
				names.push(fn.text);
				return undefined;
			}
			return `calls a function (${fn?.text ?? '?'})`;
		}
		case 'field_expression':
		case 'subscript_expression':
		case 'pointer_expression':
			return `reads memory (${node.text.slice(0, 40)})`;
		case 'initializer_list':
		case 'compound_literal_expression':
			return 'a whole-struct value';
		case 'assignment_expression':
		case 'update_expression':
			return 'has a side effect';
		default:
			return `not a recognized constant form (${node.type})`;
	}
}
