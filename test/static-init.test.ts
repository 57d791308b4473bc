/*
 * static-init on a golden file whose constructors hold every shape the
 * rules distinguish: moves (constants, zero, NULL, a designated initializer,
 * a called init function, MOD_LOAD and SYSINIT constants as deliberate
 * changes) and every reason to keep a statement.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../src';
import { copyFixtureInput, removeTree } from './helpers/run';

const FIXTURE = path.join(__dirname, 'fixtures/static-init');
const TRANSFORMS = ['remove-init-vnet', 'vnet-define', 'sysctl', 'static-init'];
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeTree));

function copyInput(): string {
	const dir = copyFixtureInput(FIXTURE);
	dirs.push(dir);
	return dir;
}

describe('static-init golden file', () => {
	it('moves what provably keeps each vnet\'s initial state and matches expected/', async () => {
		const dir = copyInput();
		const r = await migrate({ paths: ['.'], cwd: dir, mode: 'write', transforms: TRANSFORMS });
		expect(r.exitCode).toBe(0);
		for (const f of ['qux.c', 'quxp.c']) {
			expect(readFileSync(path.join(dir, f), 'latin1'), f).toBe(readFileSync(path.join(FIXTURE, 'expected', f), 'latin1'));
		}
	});

	it('explains every decision with its rule', async () => {
		const r = await migrate({ paths: ['.'], cwd: copyInput(), transforms: TRANSFORMS, explain: true });
		const decisions = r.files.filter((f) => f.path === 'qux.c').flatMap((f) => f.diagnostics)
			.filter((d) => d.code === 'static-init/moved' || d.code === 'static-init/kept')
			.map((d) => `${d.line} ${d.code.slice('static-init/'.length)}: ${d.message.replace(/^.*?: (moved into its definition|kept: )/, '$1')}`);
		expect(decisions).toEqual([
			'35 moved: moved into its definition (constant, unconditional, first use in qux_init (called-from-iattach))',
			'43 moved: moved into its definition (constant, unconditional, first use in vnet_qux_iattach (iattach))',
			'44 moved: moved into its definition (constant, unconditional, first use in vnet_qux_iattach (iattach); zero, so no initializer is written (storage starts zeroed))',
			'45 moved: moved into its definition (constant, unconditional, first use in vnet_qux_iattach (iattach); zero, so no initializer is written (storage starts zeroed))',
			'46 moved: moved into its definition (constant, unconditional, first use in vnet_qux_iattach (iattach), into a designated initializer)',
			'47 moved: moved into its definition (constant, unconditional, first use in vnet_qux_iattach (iattach), into a designated initializer)',
			'48 kept: kept: not a constant: calls a function (uma_zcreate)',
			'49 kept: kept: not a constant: reads a variable (hz)',
			'51 kept: kept: conditional (inside if)',
			'53 kept: kept: after another use of the variable in its constructor',
			'55 kept: kept: not a constant: reads a variable (i)',
			'56 kept: kept: an array element',
			'58 kept: kept: a struct field outside the leading group of constant field assignments',
			'59 moved: moved into its definition (constant, unconditional, first use in vnet_qux_iattach (iattach))',
			'60 kept: kept: after another use of the variable in its constructor',
			'61 kept: kept: a compound assignment (+=)',
			'62 kept: kept: not a constant: reads another virtualized variable (V_qux_ttl)',
			'63 kept: kept: assigned in several constructors (vnet_qux_iattach, qux_boot): their order is not provable',
			'64 moved: moved into its definition (constant, unconditional, first use in vnet_qux_iattach (iattach))',
			'82 moved: moved into its definition (constant, unconditional, first use in qux_modevent (mod-load))',
			'97 moved: moved into its definition (constant, unconditional, first use in qux_boot (sysinit))',
		]);
		const warnings = r.files.flatMap((f) => f.diagnostics).filter((d) => d.rule === 'static-init' && d.severity === 'warning').map((d) => `${d.file}:${d.line} ${d.code}`);
		expect(warnings).toEqual(['qux.c:82 static-init/behaviour-change', 'qux.c:83 static-init/first-vnet-only', 'qux.c:97 static-init/behaviour-change', 'qux.c:98 static-init/first-vnet-only']);
		const quxp = r.files.find((f) => f.path === 'quxp.c')!.diagnostics.filter((d) => d.code.startsWith('static-init/'))
			.map((d) => `${d.line} ${d.code.slice('static-init/'.length)}: ${d.message.replace(/^.*?: (moved into its definition|kept: )/, '$1')}`);
		expect(quxp).toEqual([
			'41 moved: moved into its definition (constant, opening one arm of an #if/#else pair in vnet_quxp_iattach (iattach): into the same conditional around the definitions)',
			'43 moved: moved into its definition (constant, opening one arm of an #if/#else pair in vnet_quxp_iattach (iattach): into the same conditional around the definitions)',
			'45 moved: moved into its definition (constant, unconditional, first use in vnet_quxp_iattach (iattach))',
			'47 kept: kept: under an #if its definition lacks (defined(QUXP_DEBUG))',
			'49 moved: moved into its definition (constant, unconditional, first use in vnet_quxp_iattach (iattach))',
			'50 kept: kept: its value uses QUXP_STUCK, defined only after a sysctl at line 28 refers to the variable, and that #define cannot move up',
		]);
	});

	it('does nothing without vnet-define, which writes the initializers', async () => {
		const r = await migrate({ paths: ['.'], cwd: copyInput(), transforms: ['static-init'] });
		expect(r.totals.changed).toBe(0);
	});

	it('changes nothing on a second run', async () => {
		const dir = copyInput();
		await migrate({ paths: ['.'], cwd: dir, mode: 'write', transforms: TRANSFORMS });
		const again = await migrate({ paths: ['.'], cwd: dir, mode: 'check', transforms: TRANSFORMS });
		expect(again.totals.changed).toBe(0);
	});
});

describe('a moved assignment\'s comment', () => {
	it('follows its value into the definition, unless the definition has a comment of its own', async () => {
		const text = '#include <net/vnet.h>\n\nstruct vnet_foo {\n\tint\t_foo_a;\n\tint\t_foo_b;\n};\n' +
			'#define\tVNET_FOO(sym)\tVSYM(vnet_foo, sym)\n#define\tV_foo_a\tVNET_FOO(foo_a)\n#define\tV_foo_b\tVNET_FOO(foo_b)\n\n' +
			'#ifdef VIMAGE_GLOBALS\nstatic int\tfoo_a;\nstatic int\tfoo_b;\t/* the limit */\n#endif\n\n' +
			'static int\nvnet_foo_iattach(const void *unused __unused)\n{\n\n\tV_foo_a = 1;\t/* XXX */\n\tV_foo_b = 2;\t/* 1023 */\n\treturn (0);\n}\n\n' +
			'static const vnet_modinfo_t vnet_foo_modinfo = {\n\t.vmi_id\t\t= VNET_MOD_FOO,\n\t.vmi_name\t= "foo",\n\t.vmi_iattach\t= vnet_foo_iattach,\n};\n';
		const r = await migrate({ files: [{ path: 'foo.c', content: text }], transforms: TRANSFORMS });
		const out = r.files[0].output!;
		expect(out).toContain('static VNET_DEFINE(int, foo_a) = 1;\t/* XXX */\n');
		expect(out).toContain('static VNET_DEFINE(int, foo_b) = 2;\t/* the limit */\n');
		expect(out).not.toContain('1023');
		expect(out).toContain('{\n\n\treturn (0);\n}');
	});
});

describe('a constant from a header without old-design tokens', () => {
	const module = (assignment: string) => '#include "foo_limits.h"\n#include <net/vnet.h>\n\nstruct vnet_foo {\n\tint\t_foo_a;\n};\n' +
		'#define\tVNET_FOO(sym)\tVSYM(vnet_foo, sym)\n#define\tV_foo_a\tVNET_FOO(foo_a)\n\n#ifdef VIMAGE_GLOBALS\nstatic int\tfoo_a;\n#endif\n\n' +
		`static int\nvnet_foo_iattach(const void *unused __unused)\n{\n\n\t${assignment}\n\treturn (0);\n}\n\n` +
		'static const vnet_modinfo_t vnet_foo_modinfo = {\n\t.vmi_id\t\t= VNET_MOD_FOO,\n\t.vmi_name\t= "foo",\n\t.vmi_iattach\t= vnet_foo_iattach,\n};\n';
	const limits = { path: 'foo_limits.h', content: '#ifndef _FOO_LIMITS_H_\n#define _FOO_LIMITS_H_\n#define\tFOO_LIMIT\t(4 * 4)\n#endif\n' };

	it('is defined in the tree (the prefilter reads the header\'s #defines), with 1 and with 2 workers', async () => {
		for (const jobs of [1, 2]) {
			const r = await migrate({ files: [limits, { path: 'foo.c', content: module('V_foo_a = FOO_LIMIT;') }], transforms: TRANSFORMS, jobs });
			const foo = r.files.find((f) => f.path === 'foo.c')!;
			expect(foo.output, `jobs ${jobs}`).toContain('static VNET_DEFINE(int, foo_a) = FOO_LIMIT;\n');
			expect(foo.diagnostics.map((d) => d.code), `jobs ${jobs}`).not.toContain('static-init/assumed-constant');
			expect(r.files.find((f) => f.path === 'foo_limits.h')?.status).toBe('unchanged');
		}
	});

	it('one defined nowhere is still moved on an assumption, and said so', async () => {
		const r = await migrate({ files: [limits, { path: 'foo.c', content: module('V_foo_a = FOO_ELSEWHERE;') }], transforms: TRANSFORMS });
		const notes = r.files.find((f) => f.path === 'foo.c')!.diagnostics.filter((d) => d.code === 'static-init/assumed-constant');
		expect(notes.map((d) => d.message)).toEqual(['V_foo_a = FOO_ELSEWHERE: assumes constants (not defined in the tree): FOO_ELSEWHERE; moved on that assumption']);
	});
});
