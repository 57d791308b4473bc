/*
 * The corpus index on a small fixture tree that holds one of every item the
 * scan issue lists, plus malformed inputs; and the merge property: per-file
 * parts merged in any order equal a whole-tree run.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { beforeAll, describe, expect, it } from 'vitest';
import { discover } from '../src/fs/discover';
import { mergeIndex, withPlainUses } from '../src/index/corpus-index';
import { scanFileSafely, scanSources } from '../src/index/scan';
import type { CorpusIndex, MemberInfo } from '../src/index/types';
import { scanPlainUses } from '../src/index/uses';
import { scanMacroDefinitions } from '../src/index/extract';
import { ParsedFile } from '../src/parse/parsed-file';
import { ROOT } from './helpers/run';

const TREE = 'test/fixtures/index/tree';
const F = `${TREE}/sys/foo.c`;
const H = `${TREE}/sys/vfoo.h`;

async function sources() {
	const found = await discover([TREE], { cwd: ROOT });
	return found.files.map((f) => ({ path: f.displayPath, read: () => fs.readFile(f.absPath) }));
}

let index: CorpusIndex;
const member = (name: string): MemberInfo => {
	const m = index.members.find((x) => x.name === name);
	if (!m) throw new Error(`no member ${name}`);
	return m;
};
beforeAll(async () => {
	index = await scanSources(await sources());
});

describe('containers and members', () => {
	it('finds every member with its type split for VNET_DEFINE', () => {
		const foo = index.members.filter((m) => m.containerTag === 'vnet_foo');
		expect(foo.map((m) => [m.name, m.type.text, m.type.bounds.join('|')])).toEqual([
			['foo_enable', 'int', ''],
			['foo_count', 'u_int', ''],
			['foo_bytes', 'u_long', ''],
			['foo_secret', 'u_char', '32'],
			['foo_name', 'char', 'IFNAMSIZ'],
			['foostat', 'struct foostat', ''],
			['foo_ifp', 'struct ifnet *', ''],
			['foo_zone', 'uma_zone_t', ''],
			['fooq', 'TAILQ_HEAD(fooqhead, fooq)', 'FOO_NHASH'],
			['foocb_list', 'LIST_HEAD(, foocb)', ''],
			['foo_debug', 'int', ''],
			['foo_hook', 'int (*)(struct mbuf *, int)', ''],
			['foo_dead', 'int', ''],
			['foo_wrongtype', 'u_int', ''],
		]);
		expect(member('foostat').type.tag).toEqual({ keyword: 'struct', name: 'foostat' });
		expect(member('foo_ifp').type.pointers).toBe(1);
		expect(member('fooq').type.queueMacro).toEqual({ macro: 'TAILQ_HEAD', tag: 'fooqhead', element: 'fooq' });
		expect(member('foocb_list').type.queueMacro).toEqual({ macro: 'LIST_HEAD', tag: null, element: 'foocb' });
		expect(member('foo_hook').type.functionPointer).toEqual({ returnType: 'int', parameters: '(struct mbuf *, int)' });
		expect(member('foo_debug').conditions.map((c) => c.expr)).toEqual(['defined(FOO_DEBUG)']);
		expect(member('foo_enable').span).toMatchObject({ file: H, line: 8 });
		expect(member('foo_enable').field).toBe('_foo_enable');
	});

	it('derives the module map from the definitions', () => {
		const foo = index.modules.find((m) => m.name === 'foo');
		expect(foo).toMatchObject({
			containerTag: 'vnet_foo',
			containerSymbol: 'vnet_foo',
			initMacro: 'INIT_VNET_FOO',
			moduleId: 'VNET_MOD_FOO',
			accessorMacro: 'VNET_FOO',
			modAlias: 'V_MOD_vnet_foo',
			modinfo: 'vnet_foo_modinfo',
		});
	});

	it('finds accessor macros, with continuations and odd spacing, and direct accesses', () => {
		expect(member('foo_count').accessor).toMatchObject({ name: 'V_foo_count', via: 'VNET_FOO' });
		expect(member('foo_bytes').accessor).toMatchObject({ name: 'V_foo_bytes', span: { line: 35 } });
		expect(member('foocb_list').accessor).toMatchObject({ via: 'VSYM', containerSymbol: 'vnet_foo' });
		const direct = index.parts.flatMap((p) => p.directAccesses).map((d) => `${d.kind} ${d.member} ${d.vnet ?? ''}`.trim());
		expect(direct).toEqual(['accessor-macro foo_enable', 'vsym foo_count', 'container-pointer foo_bytes', 'other-vnet foo_name vnet', 'fallback foo_enable']);
		expect(member('foo_enable').uses).toEqual({ accessor: 3, direct: 2, plain: 1, sysctl: 1, symmap: 1 });
	});
});

describe('VIMAGE_GLOBALS sites', () => {
	it('records definitions with storage, initializer and exact declarator; externs; plain definitions', () => {
		expect(member('foo_count').definitions.map((d) => [d.storage, d.initializer, d.declarator, d.siblings, d.span.line])).toEqual([['static', '3', 'foo_count', 1, 10]]);
		expect(member('fooq').definitions[0]).toMatchObject({ storage: 'static', declarator: 'fooq[FOO_NHASH]', vimageGlobals: true });
		expect(member('foo_enable').externs.map((e) => `${e.span.file}:${e.span.line}`)).toEqual([`${H}:51`]);
		expect(member('foo_enable').definitions[0]).toMatchObject({ storage: 'none', definition: true });
		const plain = index.parts.flatMap((p) => p.globals).find((g) => g.name === 'foo_other_plain');
		expect(plain).toMatchObject({ vimageGlobals: false, definition: true });
	});

	it('reports a definition whose type differs from the member, and dead members', () => {
		expect(member('foo_wrongtype').typeConflicts).toHaveLength(2);
		expect(member('foo_dead').dead).toBe(true);
		expect(member('foo_enable').dead).toBe(false);
	});

	it('finds bare uses of plain names in code, not locals of the same name', () => {
		expect(index.plainUses.filter((u) => u.span.file === F).map((u) => `${u.member}@${u.span.line}`)).toEqual(['foo_enable@118', 'foostat@118']);
		expect(index.plainUses.some((u) => u.span.file.endsWith('bar.c'))).toBe(false);
	});
});

describe('constructors', () => {
	const summary = (name: string) =>
		member(name).assignments.map((a) =>
			[a.constructor, a.kind, a.field ?? '', a.index ?? '', a.value, a.constant ? 'const' : 'computed', a.conditional ?? '', a.precededByUse ? 'after-use' : ''].join(' ').trim());

	it('follows iattach into the functions it calls, and sees MOD_LOAD/UNLOAD, SYSINIT and pr_init', () => {
		expect(summary('foo_enable')).toEqual([
			'foo_init called-from-iattach   1 const inside if',
			'foo_modevent mod-load   1 const',
			'foo_modevent mod-unload   0 const',
		]);
		expect(summary('foo_count')).toEqual(['foo_init called-from-iattach   FOO_DEFAULT * 2 const', 'foo_init called-from-iattach   4 const  after-use']);
		expect(summary('foo_bytes')).toEqual(['foo_init called-from-iattach   0 const', 'foo_once sysinit   1 const']);
		expect(summary('foo_zone')[0]).toMatch(/^foo_init called-from-iattach {3}uma_zcreate\(.*\) computed$/);
		expect(summary('foostat')).toEqual(['foo_init called-from-iattach fs_version  2 const']);
		expect(summary('foo_secret')).toEqual(["foo_init called-from-iattach  0 'a' const"]);
		expect(summary('foo_ifp')).toEqual(['foo_modevent mod-load   foo_lookup() computed']);
		expect(summary('foo_debug')).toEqual(['bar_init pr-init   1 const']);
		expect(member('foo_name').assignments[0].constantNote).toMatch(/not defined in the tree\): NOT_DEFINED_ANYWHERE/);
		expect(member('foo_count').assignments[0].constantNote).toBeUndefined();
	});

	it('takes user-named constructors', async () => {
		const named = await scanSources(await sources(), { constructors: ['foo_peek'] });
		expect(named.members.find((m) => m.name === 'foo_count')?.assignments.map((a) => a.constructor)).toContain('foo_init');
		expect(named.diagnostics.some((d) => d.code === 'index/no-constructor')).toBe(false);
		const missing = await scanSources(await sources(), { constructors: ['no_such_fn'] });
		expect(missing.diagnostics.some((d) => d.code === 'index/no-constructor')).toBe(true);
	});
});

describe('registration, sysctls and clean-up sites', () => {
	it('finds SYSCTL_V_* with PROC handlers, modinfo, symmaps, guards, fallbacks and includes', () => {
		const parts = index.parts.find((p) => p.file === F)!;
		expect(parts.sysctls.map((s) => [s.kind, s.container, s.symbol, s.handler ?? ''])).toEqual([
			['INT', 'vnet_foo', 'foo_enable', ''],
			['STRUCT', 'vnet_foo', 'foostat', ''],
			['PROC', 'vnet_foo', 'foo_count', 'sysctl_foo_count'],
		]);
		expect(Object.keys(parts.modinfos[0].fields)).toEqual(['vmi_id', 'vmi_name', 'vmi_size', 'vmi_symmap', 'vmi_iattach']);
		expect(parts.symmaps.map((t) => [t.name, t.entries.map((e) => e.member).join(',')])).toEqual([['vnet_foo_symmap', 'foo_enable,foostat']]);
		expect(parts.ctasserts.map((c) => c.args)).toEqual([['SIZEOF_vnet_foo', 'sizeof(struct vnet_foo)']]);
		expect(parts.fallbackRefs.map((r) => `${r.name}@${r.span.line}`)).toEqual(['vnet_foo_0@119']);
		expect(parts.includes.map((i) => i.path)).toEqual(['sys/param.h', 'net/vfoo.h']);
	});
});

describe('diagnostics', () => {
	it('turns inconsistencies and malformed input into diagnostics with file:line', () => {
		const codes = index.diagnostics.filter((d) => d.severity !== 'note').map((d) => `${path.basename(d.file)}:${d.line} ${d.code}`);
		expect(codes).toEqual([
			'broken.h:4 index/duplicate-member',
			'broken.h:9 index/unbalanced',
			'broken.h:11 index/malformed-container',
			'foo.c:19 index/type-conflict',
			'foo.c:71 index/unknown-variable',
			'vfoo.h:48 index/accessor-no-member',
			'vfoo.h:53 index/type-conflict',
		]);
	});

	it('reports a container defined twice with different members', () => {
		const a = scanFileSafely(new ParsedFile('a.h', 'struct vnet_x {\n\tint\t_a;\n};\n#define VNET_X(s) VSYM(vnet_x, s)\n'));
		const b = scanFileSafely(new ParsedFile('b.h', 'struct vnet_x {\n\tint\t_a;\n\tint\t_b;\n};\n'));
		const merged = mergeIndex([a, b]);
		expect(merged.diagnostics.map((d) => `${d.file}:${d.line} ${d.code}`)).toContain('b.h:1 index/container-redefined');
		expect(merged.members.map((m) => m.name)).toEqual(['a']);
	});
});

describe('merge', () => {
	it('per-file parts merged in any order equal the whole-tree run, and serialize stably', async () => {
		const files: ParsedFile[] = [];
		for (const s of await sources()) files.push(new ParsedFile(s.path, (await s.read()).toString('latin1')));
		const parts = files.map((f) => scanFileSafely(f));
		const merged = mergeIndex([...parts].reverse());
		const names = new Set(merged.members.map((m) => m.name));
		const uses = files.flatMap((f) => {
			const part = parts.find((p) => p.file === f.path)!;
			return scanPlainUses(f, part, names);
		});
		const fromParts = withPlainUses(merged, uses.reverse());
		expect(JSON.stringify(fromParts)).toBe(JSON.stringify(index));
		// A saved index fed back in gives the same result.
		const again = await scanSources([], { saved: [JSON.parse(JSON.stringify(index))] });
		expect(JSON.stringify(again.members)).toBe(JSON.stringify(index.members));
	});
});

describe('the corpus index', () => {
	it('matches the reviewed summary of every module, member, definition, constructor assignment and sysctl', async () => {
		const { formatIndexSummary } = await import('../src/print/index-summary');
		const found = await discover(['corpus/sys', 'corpus/modules'], { cwd: ROOT });
		const srcs = found.files.map((f) => ({ path: f.displayPath, read: () => fs.readFile(f.absPath) }));
		const corpus = await scanSources(srcs);
		const expected = await fs.readFile(path.join(ROOT, 'corpus/expected/scan.summary'), 'latin1');
		expect(formatIndexSummary(corpus)).toBe(expected);
		expect(corpus.members).toHaveLength(108);
		// Per-file parts merged in reverse order give the same index.
		const files: ParsedFile[] = [];
		for (const s of srcs) files.push(new ParsedFile(s.path, (await s.read()).toString('latin1')));
		// A token-free header (nfs2.h) is read for its #defines only, and is no indexed file.
		expect(corpus.parts.filter((p) => p.macrosOnly).map((p) => p.file)).toEqual(['corpus/modules/nfscl2/nfs2.h']);
		const macrosOnly = new Set(corpus.parts.filter((p) => p.macrosOnly).map((p) => p.file));
		const parts = files.filter((f) => corpus.files.includes(f.path) || macrosOnly.has(f.path))
			.map((f) => (macrosOnly.has(f.path) ? scanMacroDefinitions(f) : scanFileSafely(f)));
		const merged = mergeIndex([...parts].reverse());
		const names = new Set(merged.members.map((m) => m.name));
		const uses = files.filter((f) => corpus.files.includes(f.path)).flatMap((f) => scanPlainUses(f, parts.find((p) => p.file === f.path)!, names));
		expect(JSON.stringify(withPlainUses(merged, uses))).toBe(JSON.stringify(corpus));
	});
});

describe('member types', () => {
	it('an array of pointers, even of several dimensions, is a plain member (type T *, bounds on the name)', async () => {
		const src = 'struct vnet_net {\n\tstruct\tradix_node_head *_rt_tables[RT_MAXFIBS][AF_MAX+1];\n\tint\t(*_hook)[4];\n};\n' +
			'#define\tVNET_NET(sym)\tVSYM(vnet_net, sym)\n#define\tV_rt_tables\tVNET_NET(rt_tables)\n';
		const idx = await scanSources([{ path: 'vnet.h', read: async () => Buffer.from(src) }]);
		const rt = idx.members.find((m) => m.name === 'rt_tables')!;
		expect([rt.type.text, rt.type.bounds]).toEqual(['struct radix_node_head *', ['RT_MAXFIBS', 'AF_MAX+1']]);
		const complex = idx.diagnostics.filter((d) => d.code === 'index/complex-member').map((d) => d.message);
		expect(complex).toHaveLength(1);
		expect(complex[0]).toContain('_hook');
	});
});

describe('interning the index strings', () => {
	it('changes no value and keeps shared objects shared (members point into the parts)', async () => {
		const { internStrings } = await import('../src/index/intern');
		const fresh = await scanSources(await sources());
		const before = JSON.stringify(fresh);
		const m = fresh.members.find((x) => x.definitions.length > 0)!;
		const part = fresh.parts.find((p) => p.file === m.definitions[0].span.file)!;
		const shared = part.globals.indexOf(m.definitions[0]);
		expect(shared).toBeGreaterThanOrEqual(0);
		expect(internStrings(fresh)).toBe(fresh);
		expect(JSON.stringify(fresh)).toBe(before);
		expect(part.globals[shared]).toBe(m.definitions[0]);
	});

	it('walks cycles and shared arrays once, replacing strings in arrays and objects', async () => {
		const { internStrings } = await import('../src/index/intern');
		const long = 'x'.repeat(40);
		const shared = [long.slice(1), 'short'];
		const o: Record<string, unknown> = { a: shared, b: shared, s: `${long}!`.slice(0, 40) };
		o.self = o;
		const table = new Map<string, string>();
		internStrings(o, table);
		expect(o.a).toBe(o.b);
		expect(o.self).toBe(o);
		expect(o.s).toBe(long);
		expect([...table.keys()].sort()).toEqual([long.slice(1), long, 'short'].sort());
	});
});
