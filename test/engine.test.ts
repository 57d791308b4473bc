import { describe, expect, it } from 'vitest';
import { applyEdits, OverlappingEditsError } from '../src/edit/edit';
import { planDeletions } from '../src/edit/layout';
import { allConditionals, lex } from '../src/lex/lexer';
import { parseC } from '../src/parse/parser';
import { ParseVariants } from '../src/parse/variants';
import { decodeSource, encodeSource, isBinary, LineMap } from '../src/source';
import { migrate } from '../src';

describe('source encoding', () => {
	it('round-trips every byte value', () => {
		const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
		expect(encodeSource(decodeSource(bytes)).equals(bytes)).toBe(true);
		expect(isBinary(bytes)).toBe(true);
		expect(isBinary(Buffer.from('caf\xe9', 'latin1'))).toBe(false);
	});
	it('maps offsets to lines and columns', () => {
		const m = new LineMap('ab\ncd\r\nef');
		expect([m.line(0), m.line(3), m.line(7), m.column(8)]).toEqual([1, 2, 3, 2]);
	});
	it('the grammar loads and string indices are byte offsets under Latin-1', () => {
		const text = decodeSource(Buffer.from('/* \xe9\xe9 */ int x;', 'latin1'));
		const tree = parseC(text);
		expect(tree.rootNode.namedChild(1)?.startIndex).toBe(9);
	});
	it('node types are the native ones, also for aliased, anonymous and ERROR nodes', () => {
		const tree = parseC('struct s { int f; } v;\nint g(void) { lbl: v.f = 1; goto lbl; }\nint h(( {\n');
		const native = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Object.getPrototypeOf(tree.rootNode)), 'type')?.get;
		expect(native).toBeTypeOf('function');
		const types: string[] = [];
		const walk = (n: typeof tree.rootNode): void => {
			expect(n.type).toBe(native!.call(n));
			types.push(n.type);
			n.children.forEach(walk);
		};
		walk(tree.rootNode);
		expect(types).toEqual(expect.arrayContaining(['field_identifier', 'type_identifier', 'statement_identifier', 'ERROR', '{', 'translation_unit']));
		// the constant lives on the node class, so a second look needs no native call
		expect(Object.getOwnPropertyDescriptor(Object.getPrototypeOf(tree.rootNode), 'type')).toMatchObject({ value: 'translation_unit' });
	});
});

describe('lexer', () => {
	it('skips comments and strings, and sees directives with continuations', () => {
		const lx = lex('/* INIT_VNET_A(x); */\n"INIT_VNET_B(y);" // INIT_VNET_C\n#define M(a) \\\n\tINIT_VNET_D(a)\nINIT_VNET_E(curvnet);\n');
		expect(lx.tokens.filter((t) => t.kind === 'ident').map((t) => t.text)).toEqual(['INIT_VNET_E', 'curvnet']);
		expect(lx.directives).toHaveLength(1);
		expect(lx.directives[0].name).toBe('define');
		expect(lx.directives[0].tokens.map((t) => t.text)).toContain('INIT_VNET_D');
	});
	it('nests conditionals with their arms and reports unbalanced ones', () => {
		const lx = lex('#if A\na;\n#ifdef B\nb;\n#endif\n#elif C\nc;\n#else\nd;\n#endif\n#endif\n#ifdef E\n');
		const all = allConditionals(lx);
		expect(all.map((c) => c.arms.length)).toEqual([3, 1, 1]);
		expect(all[0].children).toHaveLength(1);
		expect(lx.problems.map((p) => p.message)).toEqual(['#endif without #if', 'unterminated #ifdef']);
	});
});

describe('parse variants', () => {
	const text = 'int\nf(struct mbuf *m)\n{\n\tINIT_VNET_INET(curvnet);\n\tstruct ip *ip = mtod(m, struct ip *);\n#ifdef A\n\tif (a && b) {\n#else\n\tif (a) {\n#endif\n\t\tx();\n\t}\n}\n';
	it('keep the length and newlines of the original', () => {
		const v = new ParseVariants(text, lex(text));
		for (const variant of v.all()) {
			expect(variant.text.length).toBe(text.length);
			expect([...variant.text].filter((c) => c === '\n').length).toBe(text.split('\n').length - 1);
		}
		expect(v.all().map((x) => x.name)).toEqual(['original', 'masked', 'arm 0', 'arm 1']);
	});
	it('mask type arguments and split #if arms so the function parses', () => {
		const v = new ParseVariants(text, lex(text));
		expect(v.get(0).tree.rootNode.hasError).toBe(true);
		expect(v.get(2).text).toContain('mtod(m, ___________)');
		expect(v.get(2).tree.rootNode.hasError).toBe(false);
		expect(v.get(3).tree.rootNode.hasError).toBe(false);
	});
	it('blank the attribute macros of <sys/cdefs.h> in the masked variant, and only them', () => {
		const src = 'static void\nf_init(void *dummy __unused)\n{\n\tx = 1;\n}\nstatic int tbl[4] __aligned(CACHE_LINE_SIZE);\n' +
			'void g(const char *fmt, ...) __printflike(1, 2);\nint __unusedname;\nint h(int __unused_arg);\n';
		const v = new ParseVariants(src, lex(src));
		expect(v.get(0).tree.rootNode.hasError).toBe(true);
		const masked = v.get(1);
		expect(masked.name).toBe('masked');
		expect(masked.text).toBe(src.replace('__unused)', '        )').replace('__aligned(CACHE_LINE_SIZE)', ' '.repeat(26)).replace('__printflike(1, 2)', ' '.repeat(18)));
		expect(masked.tree.rootNode.hasError).toBe(false);
		// The one-parameter-list reading of the function: `dummy` is its parameter.
		const fn = masked.tree.rootNode.namedChildren.find((n) => n.type === 'function_definition')!;
		expect(fn.descendantsOfType('parameter_declaration').map((p) => p.childForFieldName('declarator')?.text)).toEqual(['*dummy']);
	});
});

describe('edits', () => {
	it('apply on the original bytes and refuse overlaps, naming both rules', () => {
		expect(applyEdits('f', 'abcdef', [{ start: 4, end: 5, text: 'E', rule: 'r2' }, { start: 0, end: 1, text: '', rule: 'r1' }])).toBe('bcdEf');
		expect(() => applyEdits('f', 'abcdef', [{ start: 0, end: 3, text: '', rule: 'r1' }, { start: 2, end: 4, text: '', rule: 'r2' }])).toThrow(OverlappingEditsError);
		expect(() => applyEdits('f', 'abcdef', [{ start: 0, end: 3, text: '', rule: 'r1' }, { start: 2, end: 4, text: '', rule: 'r2' }])).toThrow(/r1.*r2/);
	});
	it('never leave two empty lines in a row', () => {
		const text = 'a;\n\n\tX;\n\nb;\n';
		const start = text.indexOf('X');
		const edits = planDeletions({ text, lexed: lex(text) }, [{ start, end: start + 2, rule: 'r' }]);
		expect(applyEdits('f', text, edits)).toBe('a;\n\nb;\n');
	});
	it('a bare block whose code all goes goes whole, comments included; other blocks stay', () => {
		const del = (text: string, ...lines: string[]) => applyEdits('f', text, planDeletions({ text, lexed: lex(text) },
			lines.map((l) => ({ start: text.indexOf(l), end: text.indexOf(l) + l.length, rule: 'r' }))));
		const bare = 'void\nf(void)\n{\n\ta();\n\t{\n\t\t/* why */\n\t\tX(v);\n\n\t\tV_x = 1;\n\t}\n\tb();\n}\n';
		expect(del(bare, 'X(v);', 'V_x = 1;')).toBe('void\nf(void)\n{\n\ta();\n\tb();\n}\n');
		// Some code left: the block stays.
		expect(del(bare, 'X(v);')).toBe('void\nf(void)\n{\n\ta();\n\t{\n\t\t/* why */\n\n\t\tV_x = 1;\n\t}\n\tb();\n}\n');
		// The body of an if (brace on its own line) is no bare block.
		const body = 'void\nf(void)\n{\n\tif (a)\n\t{\n\t\tX(v);\n\t}\n\tb();\n}\n';
		expect(del(body, 'X(v);')).toBe('void\nf(void)\n{\n\tif (a)\n\t{\n\t}\n\tb();\n}\n');
		// Nor is one that follows an if in some #if arm.
		const arms = 'void\nf(void)\n{\n#ifdef A\n\tif (a)\n#else\n\tb();\n#endif\n\t{\n\t\tX(v);\n\t}\n}\n';
		expect(del(arms, 'X(v);')).toBe('void\nf(void)\n{\n#ifdef A\n\tif (a)\n#else\n\tb();\n#endif\n\t{\n\t}\n}\n');
		const armsOk = arms.replace('\tif (a)\n', '\ta();\n');
		expect(del(armsOk, 'X(v);')).toBe('void\nf(void)\n{\n#ifdef A\n\ta();\n#else\n\tb();\n#endif\n}\n');
	});

	it('a one-line heading comment goes with the paragraph it heads; a section heading stays while its section has more', () => {
		const del = (text: string, line: string) => {
			const start = text.indexOf(line);
			return applyEdits('f', text, planDeletions({ text, lexed: lex(text) }, [{ start, end: start + line.length + 1, rule: 'r', withHeading: true }]));
		};
		const oneLine = 'int a;\n\n/* Size check. */\n#define\tSIZEOF_X\t8\n\nint b;\n';
		expect(del(oneLine, '#define\tSIZEOF_X\t8')).toBe('int a;\n\nint b;\n');
		const section = 'int a;\n\n/*\n * Macros\n */\n#define\tINIT_X(v)\tv\n\n#define\tX(s)\ts\n';
		expect(del(section, '#define\tINIT_X(v)\tv')).toBe('int a;\n\n/*\n * Macros\n */\n\n#define\tX(s)\ts\n');
		// A one-line comment over a paragraph only partly removed stays.
		const partly = 'int a;\n\n/* Size check. */\n#define\tSIZEOF_X\t8\n#define\tKEEP\t1\n';
		expect(del(partly, '#define\tSIZEOF_X\t8')).toBe('int a;\n\n/* Size check. */\n#define\tKEEP\t1\n');
	});
});

describe('library API', () => {
	it('migrates in-memory files and returns edits, diagnostics and new contents', async () => {
		const r = await migrate({
			files: [
				{ path: 'x.c', content: 'void\nf(struct inpcb *inp)\n{\n\tINIT_VNET_INET(inp->inp_vnet);\n\n\tV_y = 0;\n}\n' },
				{ path: 'y.c', content: 'int z;\n' },
			],
		});
		expect(r.exitCode).toBe(0);
		expect(r.files.map((f) => f.status)).toEqual(['changed', 'unchanged']);
		expect(r.files[0].output).toBe('void\nf(struct inpcb *inp)\n{\n\n\tV_y = 0;\n}\n');
		expect(r.files[0].diff).toContain('--- a/x.c');
		expect(r.files[0].diagnostics.map((d) => d.code)).toEqual(['init-vnet/not-curvnet']);
		expect(r.totals.editsByRule).toEqual({ 'remove-init-vnet': 1 });
	});
});

describe('output sanity', () => {
	it('notices output that parses worse, and not new-design lines', async () => {
		const { parsesWorse } = await import('../src/parse/sanity');
		const { ParsedFile } = await import('../src/parse/parsed-file');
		const input = new ParsedFile('a.c', '#ifdef VIMAGE_GLOBALS\nstatic int x = 1;\n#endif\nint\nf(void)\n{\n\treturn (V_x);\n}\n');
		const good = new ParsedFile('a.c', 'static VNET_DEFINE(int, x) = 1;\nVNET_DEFINE(struct inpcbhead, tcb);\n#define\tV_x\tVNET(x)\nint\nf(void)\n{\n\treturn (V_x);\n}\n');
		const bad = new ParsedFile('a.c', 'static VNET_DEFINE(int, x) = 1;\nint\nf(void)\n{\n\treturn (V_x)) +;\n}\n');
		expect(parsesWorse(input, good)).toBeUndefined();
		expect(parsesWorse(input, bad)).toMatchObject({ line: 5 });
		expect(parsesWorse(input, bad)!.extra).toBeGreaterThan(0);
	});

	it('reads iterator macros alike on both sides: a brace-less VNET_FOREACH around a rewritten statement is no worse', async () => {
		const { parsesWorse, problemsOf } = await import('../src/parse/sanity');
		const { ParsedFile } = await import('../src/parse/parsed-file');
		const before = 'int\nf(void)\n{\n\tint n = 0;\n\n\tVNET_FOREACH(vnet_iter)\n\t\tn += ((struct vnet_pfilt *)\n\t\t    vnet_iter->mod_data[VNET_MOD_PFILT])->_pfiltstat.pfs_dropped;\n\treturn (n);\n}\n';
		const after = 'int\nf(void)\n{\n\tint n = 0;\n\n\tVNET_FOREACH(vnet_iter)\n\t\tn += VNET_VNET(vnet_iter, pfiltstat).pfs_dropped;\n\treturn (n);\n}\n';
		expect(parsesWorse(new ParsedFile('a.c', before), new ParsedFile('a.c', after))).toBeUndefined();
		expect(problemsOf(new ParsedFile('a.c', after))).toEqual([]);
		// MISSING nodes count as problems too.
		expect(problemsOf(new ParsedFile('a.c', 'int\nf(void)\n{\n\treturn (1)\n}\n')).map((p) => p.kind)).toContain('MISSING');
	});
});

describe('unified diffs from edits', () => {
	it('apply back to exactly the output, including at the end of a file without a final newline', async () => {
		const { unifiedDiff } = await import('../src/print/patch');
		const { applyPatch } = await import('diff');
		const lines = Array.from({ length: 200 }, (_, k) => `line ${k}`);
		const text = lines.join('\n'); // no final newline
		const edits = [3, 4, 9, 40, 41, 42, 120, 199].map((k, n) => {
			const start = text.indexOf(`line ${k}`);
			const end = k === 199 ? text.length : start + `line ${k}\n`.length;
			return { start, end, text: n % 2 ? '' : `changed ${k}\n`, rule: 'r' };
		});
		const output = applyEdits('f', text, edits);
		const patch = unifiedDiff('a/f', 'b/f', text, edits);
		expect(applyPatch(text, patch)).toBe(output);
		expect(patch.match(/^@@/gm)?.length).toBeGreaterThan(1);
	});
});
