/*
 * Bugs the property-based fuzzing (test/property.fuzz.ts) found, each
 * reduced to a small input and kept as a regression test.
 */
import { describe, expect, it } from 'vitest';
import { migrate } from '../src';

/** A one-member container header, as the cases below need it. */
const FOO_HEADER = 'struct vnet_foo {\n\tint\t_foo_a;\n};\n\n#define\tVNET_FOO(sym)\tVSYM(vnet_foo, sym)\n#define\tV_foo_a\tVNET_FOO(foo_a)\n';

describe('found by fuzzing', () => {
	it('a dead member whose extern is the last of its VIMAGE_GLOBALS block: the accessors still go in (was: overlapping edits)', async () => {
		const h = 'struct vnet_foo {\n\tint\t_foo_a;\n\tint\t_foo_b;\n};\n\n#define\tVNET_FOO(sym)\tVSYM(vnet_foo, sym)\n' +
			'#define\tV_foo_a\tVNET_FOO(foo_a)\n#define\tV_foo_b\tVNET_FOO(foo_b)\n\n#ifdef VIMAGE_GLOBALS\nextern int foo_a;\nextern int foo_b;\n#endif\n\nint\tfoo_input(int);\n';
		const c = '#include "foo_var.h"\n\nint\nf(void)\n{\n\tINIT_VNET_FOO(curvnet);\n\n\treturn (V_foo_a);\n}\n';
		// Its registration is there: the tree holds the whole module, so foo_b is dead, not defined elsewhere.
		const reg = 'static const vnet_modinfo_t vnet_foo_modinfo = {\n\t.vmi_name\t= "foo",\n};\n';
		const r = await migrate({ files: [{ path: 'foo_var.h', content: h }, { path: 'foo.c', content: c }, { path: 'foo_reg.c', content: reg }] });
		expect(r.files.map((f) => `${f.path} ${f.status}`)).toEqual(['foo_var.h changed', 'foo.c changed', 'foo_reg.c changed']);
		expect(r.files.find((f) => f.path === 'foo_var.h')?.output).toBe('\nVNET_DECLARE(int, foo_a);\n\n#define\tV_foo_a\t\tVNET(foo_a)\n\nint\tfoo_input(int);\n');
		expect(r.exitCode).toBe(0);
	});

	it('two deletions on one line meeting in the blank between them are one deletion (was: overlapping edits)', async () => {
		const h = 'struct vnet_foo {\n\tint\t_foo_a;\n\tu_long\t_foo_b;\n};\n\n#define\tVNET_FOO(sym)\tVSYM(vnet_foo, sym)\n' +
			'#define\tV_foo_a\tVNET_FOO(foo_a)\n#define\tV_foo_b\tVNET_FOO(foo_b)\n';
		// A damaged line: `u_long foo` and a second definition of foo_a, both removed.
		const c = '#include "foo_var.h"\n\n#ifdef VIMAGE_GLOBALS\nstatic int\tfoo_a;\nu_long foo int\tfoo_a;\nu_long\tfoo_b;\n#endif\n\n' +
			'int\nf(void)\n{\n\tINIT_VNET_FOO(curvnet);\n\n\treturn (V_foo_a + V_foo_b);\n}\n';
		const r = await migrate({ files: [{ path: 'foo_var.h', content: h }, { path: 'foo.c', content: c }] });
		const foo = r.files.find((f) => f.path === 'foo.c')!;
		expect(foo.status).toBe('changed');
		expect(foo.output).toContain('static VNET_DEFINE(int, foo_a);\n\nVNET_DEFINE(u_long, foo_b);\n');
		expect(foo.output).not.toContain('u_long foo');
	});

	it('a vnet_modinfo_t field that error recovery stretched over later functions is not deleted (was: two functions lost)', async () => {
		const h = 'struct vnet_foo {\n\tu_long\t_foo_ifp;\n};\n\n#define\tVNET_FOO(sym)\tVSYM(vnet_foo, sym)\n#define\tV_foo_ifp\tVNET_FOO(foo_ifp)\n';
		// `.vmi_size` lost its end (and the #endif its line): tree-sitter's pair runs on through f() and g().
		const c = '#include "foo_var.h"\n\nstatic int\tfoo_iattach(const void *);\n#ifndef VIMAGE_GLOBALS\nstatic const vnet_modinfo_t vnet_foo_modinfo = {\n' +
			'\t.vmi_id = VNET_MOD_FOO,\n\t.vmi_name\t= "foo",\n\t.vmi_size = sizeof(struct vnet_f#endif\n\nstatic int\nfoo_iattach(const void *unused __unused)\n{\n' +
			'\tINIT_VNET_FOO(curvnet);\n\n\tV_foo_ifp = 1;\n\treturn (0);\n}\n\nint\ng(int a)\n{\n\tINIT_VNET_FOO(curvnet);\n\tint n;\n\n\tn = (int)V_foo_ifp + a;\n\treturn (a);\n}\n';
		const r = await migrate({ files: [{ path: 'foo_var.h', content: h }, { path: 'foo.c', content: c }] });
		const out = r.files.find((f) => f.path === 'foo.c')!.output ?? c;
		expect(out).toContain('foo_iattach(const void *unused __unused)\n{\n');
		expect(out).toContain('\treturn (0);\n}\n\nint\ng(int a)\n{\n');
		expect(out).toContain('\tn = (int)V_foo_ifp + a;\n\treturn (a);\n}\n');
	});

	it('a vnet_modinfo_t field given twice is left, both times, and reported (was: one removed per run, never idempotent)', async () => {
		const h = FOO_HEADER;
		const c = '#include "foo_var.h"\n\nstatic const vnet_modinfo_t vnet_foo_modinfo = {\n\t.vmi_name\t= "foo",\n\t.vmi_size\t= x = "foo",\n' +
			'\t.vmi_size\t= sizeof(struct vnet_foo),\n};\n\nint\nf(void)\n{\n\tINIT_VNET_FOO(curvnet);\n\n\treturn (V_foo_a);\n}\n';
		const first = await migrate({ files: [{ path: 'foo_var.h', content: h }, { path: 'foo.c', content: c }] });
		const foo = first.files.find((f) => f.path === 'foo.c')!;
		expect(foo.output).toContain('\t.vmi_size\t= x = "foo",\n\t.vmi_size\t= sizeof(struct vnet_foo),\n');
		expect(foo.diagnostics.map((d) => `${d.line} ${d.code}`)).toContain('6 vnet-define/container-reference');
		const second = await migrate({ files: first.files.filter((f) => !f.deleted).map((f) => ({ path: f.path, content: f.output! })) });
		expect(second.files.map((f) => f.status)).toEqual(['unchanged']);
	});

	it('an unterminated comment swallowing a vnet_modinfo_t: nothing in it is edited, the file fails, untouched (was: a field deleted from the comment)', async () => {
		const h = FOO_HEADER;
		const c = '/*-\n * Generaparam.h>\n#include "foo_var.h"\n\nstatic const vnet_modinfo_t vnet_foo_modinfo = {\n\t.vmi_id\t= VNET_MOD_FOO,\n' +
			'\t.vmi_size\t= sizeof(struct vnet_foo),\n\t.vmi_iattach\t= foo_iattach\n};\n';
		const r = await migrate({ files: [{ path: 'foo_var.h', content: h }, { path: 'foo.c', content: c }] });
		const foo = r.files.find((f) => f.path === 'foo.c')!;
		expect(foo.status).toBe('failed');
		expect(foo.output).toBeUndefined();
		expect(foo.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line} ${d.code}`)).toEqual(['7 internal/in-comment']);
		expect(r.exitCode).toBe(1);
	});

	it('a damaged statement two parse variants read two ways is one definition (was: overlapping edits)', async () => {
		const crlf = (t: string) => t.replace(/\n/g, '\r\n');
		const h = crlf('struct vnet_foo {\n\tstruct callout\t_foo_stats;\n\tchar\t_foo_count[16];\n};\n\n#define\tVNET_FOO(sym)\tVSYM(vnet_foo, sym)\n' +
			'#define\tV_foo_stats\tVNET_FOO(foo_stats)\n#define\tV_foo_count\tVNET_FOO(foo_count)\n');
		// A damaged `#ifdef VIMAGE_GLOBALS` line: one variant reads `static struct callout foo_stats;`, another `callout foo_stats;`.
		const c = crlf('/*-\n * Generated module foo.\n */\n\n#include <sys/param.h>\n#include <sys/kernel.h>\n#include <sys/sysctl.h>\n#include <sys/vimage.h>\n\n' +
			'#include "foo_var.h"\n\n#ifdef VIMAGE)\\\xa2BALS\nstatic\tstruct callout\t\tfoo_stats;\nstatic\tchar\t\tfoo_count[16];\n#endif\n\n' +
			'static int\tfoo_iattach(const void *);\n\n#ifndef VIMAGE_GLOBALS\nstatic const vnet_modinfo_t vnet_foo_modinfo = {\n\t.vmi_id\t\t= VNET_MOD_FOO,\n' +
			'\t.vmi_name\t= "foo",\n\t.vmi_size\t\t= sizeof(struct vnet_foo),\n\t.vmi_iattach  = foo_iattach\n};\n#endif\n\n' +
			'int\nf(void)\n{\n\tINIT_VNET_FOO(curvnet);\n\n\treturn ((int)sizeof(V_foo_stats) + V_foo_count[0]);\n}\n');
		const r = await migrate({ files: [{ path: 'foo_var.h', content: h }, { path: 'foo.c', content: c }] });
		const foo = r.files.find((f) => f.path === 'foo.c')!;
		expect(foo.diagnostics.map((d) => d.code)).not.toContain('internal/overlap');
		expect(foo.status).toBe('changed');
		expect(foo.output).toContain('static VNET_DEFINE(struct callout, foo_stats);\r\n');
		expect(foo.output).not.toContain('callout\t\tfoo_stats;');
	});
});
