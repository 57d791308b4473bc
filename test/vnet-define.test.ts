/*
 * vnet-define on a small golden tree (test/fixtures/vnet-define/input ->
 * expected): definitions, declarations, accessors, typedef-free types, an
 * anonymous queue head that gets a tag, a plain definition, a dead member,
 * direct accesses, the container header deleted and its includes replaced.
 */
import { execFileSync } from 'child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../src';
import { copyFixtureInput, removeTree } from './helpers/run';

const FIXTURE = path.join(__dirname, 'fixtures/vnet-define');
const TRANSFORMS = ['remove-init-vnet', 'vnet-define'];

function listFiles(dir: string, base = dir): string[] {
	return readdirSync(dir).flatMap((n) => {
		const p = path.join(dir, n);
		return statSync(p).isDirectory() ? listFiles(p, base) : [path.relative(base, p)];
	}).sort();
}

const work: string[] = [];
function copyInput(): string {
	const dir = copyFixtureInput(FIXTURE);
	work.push(dir);
	return dir;
}
afterAll(() => work.forEach(removeTree));

describe('vnet-define golden tree', () => {
	it('migrates input/ to expected/ byte for byte, deleting the emptied container header', async () => {
		const dir = copyInput();
		const r = await migrate({ paths: ['sys'], cwd: dir, mode: 'write', transforms: TRANSFORMS });
		expect(r.exitCode).toBe(0);
		const expected = path.join(FIXTURE, 'expected');
		expect(listFiles(dir)).toEqual(listFiles(expected));
		for (const f of listFiles(expected)) {
			expect(readFileSync(path.join(dir, f), 'latin1'), f).toBe(readFileSync(path.join(expected, f), 'latin1'));
		}
		expect(existsSync(path.join(dir, 'sys/netinet/vfoo.h'))).toBe(false);
		expect(r.files.find((f) => f.path === 'sys/netinet/vfoo.h')?.deleted).toBe(true);
	});

	it('reports what it assumed and decided', async () => {
		const r = await migrate({ paths: ['sys'], cwd: copyInput(), transforms: TRANSFORMS });
		const codes = [...r.diagnostics, ...r.files.flatMap((f) => f.diagnostics)]
			.filter((d) => d.rule === 'vnet-define' || d.rule === 'index')
			.map((d) => `${d.file}:${d.line ?? ''} ${d.code}`);
		expect(codes).toEqual([
			'sys/netinet/vfoo.h:19 index/dead-member',
			'sys/netinet/foo.c:9 vnet-define/include-added',
			'sys/netinet/foo.c:17 vnet-define/initializer-kept',
			'sys/netinet/foo.c:20 vnet-define/plan',
			'sys/netinet/foo.c:69 vnet-define/plain-use',
			'sys/netinet/foo.c:73 vnet-define/container-reference',
			'sys/netinet/foo_output.c:5 vnet-define/include-added',
			'sys/netinet/foo_output.c:8 vnet-define/plan',
			'sys/netinet/foo_output.c:9 vnet-define/extern-removed',
		]);
	});

	it('is idempotent: a second run over its output changes nothing', async () => {
		const dir = copyInput();
		await migrate({ paths: ['sys'], cwd: dir, mode: 'write', transforms: TRANSFORMS });
		const again = await migrate({ paths: ['sys'], cwd: dir, mode: 'check', transforms: TRANSFORMS });
		expect(again.totals.changed).toBe(0);
	});

	it('gives a dry-run patch that git apply takes, deletion included', async () => {
		const dir = copyInput();
		const r = await migrate({ paths: ['sys'], cwd: dir, transforms: TRANSFORMS });
		const patch = r.files.map((f) => f.diff ?? '').join('');
		expect(patch).toContain('+++ /dev/null');
		const patchFile = `${dir}.patch`;
		writeFileSync(patchFile, Buffer.from(patch, 'latin1'));
		work.push(patchFile);
		execFileSync('git', ['init', '-q'], { cwd: dir });
		execFileSync('git', ['apply', patchFile], { cwd: dir });
		for (const f of listFiles(path.join(FIXTURE, 'expected'))) {
			expect(readFileSync(path.join(dir, f), 'latin1'), f).toBe(readFileSync(path.join(FIXTURE, 'expected', f), 'latin1'));
		}
		expect(existsSync(path.join(dir, 'sys/netinet/vfoo.h'))).toBe(false);
	});
});

describe('out-of-tree modules', () => {
	const MODULE = {
		'mod/vbaz.h': 'struct vnet_baz {\n\tint\t_baz_on;\n};\n#define\tVNET_BAZ(sym)\tVSYM(vnet_baz, sym)\n#define\tV_baz_on\tVNET_BAZ(baz_on)\n',
		'mod/baz.c':
			'#include <sys/param.h>\n\n#include <netinet/foo_var.h>\n#include "vbaz.h"\n\n#ifdef VIMAGE_GLOBALS\nstatic int\tbaz_on;\n#endif\n\n' +
			'int\nbaz_check(void)\n{\n\n\treturn (V_baz_on && V_foo_enable && V_bogus);\n}\n',
	};

	async function moduleRun(withIndex: boolean) {
		const dir = copyInput();
		for (const [name, text] of Object.entries(MODULE)) {
			const p = path.join(dir, name);
			execFileSync('mkdir', ['-p', path.dirname(p)]);
			writeFileSync(p, text);
		}
		const { scanSources } = await import('../src/index/scan');
		const { discover } = await import('../src/fs/discover');
		const found = await discover(['sys'], { cwd: dir });
		const kernel = await scanSources(found.files.map((f) => ({ path: f.displayPath, read: async () => readFileSync(f.absPath) })));
		const saved = JSON.parse(JSON.stringify(kernel));
		return migrate({ paths: ['mod'], cwd: dir, transforms: TRANSFORMS, ...(withIndex ? { index: saved } : {}) });
	}

	it('migrates only the module\'s own container when given its tree alone', async () => {
		const r = await moduleRun(false);
		const baz = r.files.find((f) => f.path === 'mod/baz.c')!;
		expect(baz.output).toContain('static VNET_DEFINE(int, baz_on);\n\n#define\tV_baz_on\tVNET(baz_on)\n');
		expect(baz.output).toContain('V_foo_enable && V_bogus');
		expect(r.files.find((f) => f.path === 'mod/vbaz.h')?.deleted).toBe(true);
		expect(baz.diagnostics.map((d) => d.code)).not.toContain('vnet-define/unknown-accessor');
	});

	it('with --index, reports a V_ symbol that neither index knows', async () => {
		const r = await moduleRun(true);
		const baz = r.files.find((f) => f.path === 'mod/baz.c')!;
		expect(baz.diagnostics.filter((d) => d.code === 'vnet-define/unknown-accessor').map((d) => d.message)).toEqual([
			'V_bogus is neither defined in this tree nor in the saved index: left as it is',
		]);
		expect(baz.diagnostics.map((d) => d.code)).not.toContain('vnet-define/local-declaration');
	});
});

describe('definitions after the macros their initializers use', () => {
	it('go below the #define, and below its whole #ifndef when it has one', async () => {
		const text = '#include <net/vnet.h>\n\nstruct vnet_gif {\n\tint\t_gif_nest;\n\tint\t_gif_ttl;\n};\n' +
			'#define\tVNET_GIF(sym)\tVSYM(vnet_gif, sym)\n#define\tV_gif_nest\tVNET_GIF(gif_nest)\n#define\tV_gif_ttl\tVNET_GIF(gif_ttl)\n\n' +
			'#ifdef VIMAGE_GLOBALS\nstatic int\tgif_nest = MAX_GIF_NEST;\nstatic int\tgif_ttl = GIF_TTL;\n#endif\n\n' +
			'#define\tMAX_GIF_NEST\t1\n#ifndef GIF_TTL\n#define\tGIF_TTL\t30\n#endif\n\nint\ng(void)\n{\n\n\treturn (V_gif_nest + V_gif_ttl);\n}\n';
		const r = await migrate({ files: [{ path: 'gif.c', content: text }], transforms: TRANSFORMS });
		expect(r.files[0].output).toBe('#include <net/vnet.h>\n\n' +
			'#define\tMAX_GIF_NEST\t1\nstatic VNET_DEFINE(int, gif_nest) = MAX_GIF_NEST;\n#define\tV_gif_nest\tVNET(gif_nest)\n' +
			'#ifndef GIF_TTL\n#define\tGIF_TTL\t30\n#endif\n\nstatic VNET_DEFINE(int, gif_ttl) = GIF_TTL;\n#define\tV_gif_ttl\tVNET(gif_ttl)\n\n' +
			'int\ng(void)\n{\n\n\treturn (V_gif_nest + V_gif_ttl);\n}\n');
	});
});

describe('plain definitions in the arms of one conditional, and file-scope plain uses', () => {
	const input = '#include <net/vnet.h>\n\nstruct vnet_foo {\n\tint\t_foo_size;\n\tint\t_foo_pcpu;\n};\n' +
		'#define\tVNET_FOO(sym)\tVSYM(vnet_foo, sym)\n#define\tV_foo_size\tVNET_FOO(foo_size)\n#define\tV_foo_pcpu\tVNET_FOO(foo_pcpu)\n\n' +
		'static int foo_pcpu = 2048;\nTUNABLE_INT("net.foo.pcpu", &foo_pcpu);\n' +
		'#ifdef FOO_BIG\nstatic int foo_size = 128*1024;\n#else\nstatic int foo_size = 16*1024;\n#endif\n' +
		'TUNABLE_INT("net.foo.size", &foo_size);\n\nint\nfoo_get(void)\n{\n\n\treturn (V_foo_size + V_foo_pcpu);\n}\n';

	it('keep one VNET_DEFINE per arm with its own initializer, one accessor after the #endif; static data names the reference copy', async () => {
		const r = await migrate({ files: [{ path: 'foo.c', content: input }], transforms: TRANSFORMS, verify: true });
		expect(r.files[0].output).toBe('#include <net/vnet.h>\n\n' +
			'static VNET_DEFINE(int, foo_pcpu) = 2048;\n#define\tV_foo_pcpu\tVNET(foo_pcpu)\nTUNABLE_INT("net.foo.pcpu", &VNET_NAME(foo_pcpu));\n' +
			'#ifdef FOO_BIG\nstatic VNET_DEFINE(int, foo_size) = 128*1024;\n#else\nstatic VNET_DEFINE(int, foo_size) = 16*1024;\n#endif\n' +
			'#define\tV_foo_size\tVNET(foo_size)\nTUNABLE_INT("net.foo.size", &VNET_NAME(foo_size));\n\nint\nfoo_get(void)\n{\n\n\treturn (V_foo_size + V_foo_pcpu);\n}\n');
		// The kept non-VIMAGE initializers are deliberate changes for VIMAGE kernels, listed, not failed.
		expect(r.verification?.ok).toBe(true);
		expect(r.verification?.behaviourChanges.filter((c) => c.startsWith('foo_size:'))).toHaveLength(2);
	});
});

describe('a tree holding only part of a module', () => {
	const header = '#include <net/vnet.h>\n\nstruct vnet_foo {\n\tint\t_foo_a;\n\tint\t_foo_b;\n\tint\t_foo_c;\n};\n' +
		'#define\tINIT_VNET_FOO(vnet)\tINIT_FROM_VNET(vnet, VNET_MOD_FOO, struct vnet_foo, vnet_foo)\n' +
		'#define\tVNET_FOO(sym)\tVSYM(vnet_foo, sym)\n#define\tV_foo_a\tVNET_FOO(foo_a)\n#define\tV_foo_b\tVNET_FOO(foo_b)\n#define\tV_foo_c\tVNET_FOO(foo_c)\n';
	const user = '#include <sys/vimage.h>\n#include "vfoo.h"\n\n#ifdef VIMAGE_GLOBALS\nint\tfoo_a;\n#endif\n\n' +
		'int\nfoo_get(void)\n{\n\tINIT_VNET_FOO(curvnet);\n\n\treturn (V_foo_a);\n}\n';
	const modinfo = '#include "vfoo.h"\n\nstatic const vnet_modinfo_t vnet_foo_modinfo = {\n\t.vmi_id\t\t= VNET_MOD_FOO,\n\t.vmi_name\t= "foo",\n};\n';

	it('is left as it is, INIT_VNET included, and reported (its other members may live in the files left out)', async () => {
		const r = await migrate({ files: [{ path: 'vfoo.h', content: header }, { path: 'a.c', content: user }] });
		expect(r.files.every((f) => f.status === 'unchanged'), JSON.stringify(r.files.map((f) => [f.path, f.status]))).toBe(true);
		const codes = r.files.flatMap((f) => f.diagnostics.filter((d) => d.severity === 'warning').map((d) => `${f.path} ${d.code}`));
		expect(codes.sort()).toEqual(['a.c init-vnet/module-skipped', 'a.c vnet-define/vimage-globals-skipped', 'vfoo.h vnet-define/module-skipped']);
		expect(r.files.find((f) => f.path === 'vfoo.h')!.diagnostics.find((d) => d.code === 'vnet-define/module-skipped')!.message)
			.toContain('2 of its 3 members are defined nowhere in them and its vnet_modinfo_t is not there');
	});

	it('is migrated when the module\'s registration is there too (the others are then dead)', async () => {
		const r = await migrate({ files: [{ path: 'vfoo.h', content: header }, { path: 'a.c', content: user }, { path: 'b.c', content: modinfo }] });
		const a = r.files.find((f) => f.path === 'a.c')!;
		expect(a.output).toContain('VNET_DEFINE(int, foo_a);');
		expect(a.output).not.toContain('INIT_VNET_FOO');
		expect(r.files.find((f) => f.path === 'vfoo.h')!.deleted).toBe(true);
		expect(r.files.some((f) => /foo_[bc]/.test(f.output ?? ''))).toBe(false);
	});
});

describe('an accessor used in a header macro\'s body', () => {
	it('makes the header a user: the variable is not static and the header declares it', async () => {
		const header = '#include <net/vnet.h>\n\nstruct vnet_foo {\n\tu_short\t_foo_id;\n};\n' +
			'#define\tVNET_FOO(sym)\tVSYM(vnet_foo, sym)\n#define\tV_foo_id\tVNET_FOO(foo_id)\n\n#define\tfoo_newid()\thtons(V_foo_id++)\n';
		const user = '#include "vfoo.h"\n\n#ifdef VIMAGE_GLOBALS\nstatic u_short\tfoo_id;\n#endif\n\n' +
			'static const vnet_modinfo_t vnet_foo_modinfo = {\n\t.vmi_id\t\t= VNET_MOD_FOO,\n\t.vmi_name\t= "foo",\n};\n\n' +
			'void\nfoo_reset(void)\n{\n\n\tV_foo_id = 1;\n}\n';
		const r = await migrate({ files: [{ path: 'vfoo.h', content: header }, { path: 'foo.c', content: user }], verify: true });
		const h = r.files.find((f) => f.path === 'vfoo.h')!;
		expect(h.deleted).toBeFalsy();
		expect(h.output).toContain('VNET_DECLARE(u_short, foo_id);');
		expect(h.output).toContain('#define\tfoo_newid()\thtons(V_foo_id++)');
		expect(r.files.find((f) => f.path === 'foo.c')!.output).toMatch(/^VNET_DEFINE\(u_short, foo_id\);$/m);
		expect(r.verification?.ok).toBe(true);
	});
});

describe('layout of the definitions block', () => {
	it('puts placed definitions with the block\'s, one accessor group after them, and an empty line before code that followed the block', async () => {
		const text = '#include <net/vnet.h>\n\nstruct vnet_foo {\n\tuma_zone_t\t_foo_zone;\n\tint\t_foo_placed;\n};\n' +
			'#define\tINIT_VNET_FOO(vnet)\tINIT_FROM_VNET(vnet, VNET_MOD_FOO, struct vnet_foo, vnet_foo)\n' +
			'#define\tVNET_FOO(sym)\tVSYM(vnet_foo, sym)\n#define\tV_foo_zone\tVNET_FOO(foo_zone)\n#define\tV_foo_placed\tVNET_FOO(foo_placed)\n\n' +
			'#ifdef VIMAGE_GLOBALS\nstatic uma_zone_t\tfoo_zone;\n#endif\nstatic struct mtx foo_lock;\n\n' +
			'static int\nvnet_foo_iattach(const void *unused __unused)\n{\n\n\tV_foo_zone = uma_zcreate("foo");\n\tV_foo_placed = f();\n\treturn (0);\n}\n\n' +
			'static const vnet_modinfo_t vnet_foo_modinfo = {\n\t.vmi_id\t\t= VNET_MOD_FOO,\n\t.vmi_name\t= "foo",\n\t.vmi_iattach\t= vnet_foo_iattach,\n};\n';
		const r = await migrate({ files: [{ path: 'foo.c', content: text }], transforms: TRANSFORMS });
		expect(r.files[0].output).toMatch(/^#include <net\/vnet.h>\n\nstatic VNET_DEFINE\(uma_zone_t, foo_zone\);\nstatic VNET_DEFINE\(int, foo_placed\);\n\n#define\tV_foo_zone\tVNET\(foo_zone\)\n#define\tV_foo_placed\tVNET\(foo_placed\)\n\nstatic struct mtx foo_lock;\n/);
	});
});
