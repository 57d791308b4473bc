/*
 * verify: passes on a correct migration and fails, naming the variable, on
 * each kind of loss: a dropped initializer, a changed type or size, a
 * missing or duplicated VNET_DEFINE, an unresolved V_x, an old construct
 * left behind, a module whose set does not fit the reserve.
 */
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { scanSources } from '../src/index/scan';
import { verifyIndexes } from '../src/verify/verify';

const FIXTURE = path.join(__dirname, 'fixtures/static-init');
const read = (dir: string, f: string) => readFileSync(path.join(FIXTURE, dir, f), 'latin1');

async function indexOf(files: Record<string, string>) {
	return scanSources(Object.entries(files).map(([p, text]) => ({ path: p, read: async () => Buffer.from(text, 'latin1') })));
}

async function verifyWith(mutate: (qux: string) => string) {
	const old = await indexOf({ 'qux.c': read('input', 'qux.c'), 'vqux.h': read('input', 'vqux.h') });
	const migrated = await indexOf({ 'qux.c': mutate(read('expected', 'qux.c')) });
	return verifyIndexes(old, migrated);
}

const errors = (r: Awaited<ReturnType<typeof verifyWith>>) => r.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.variable ?? ''}`.trim());

describe('verify', () => {
	it('passes on the migrated golden file and lists the deliberate behaviour changes', async () => {
		const r = await verifyWith((t) => t);
		expect(errors(r)).toEqual([]);
		expect(r.ok).toBe(true);
		expect(r.checked).toMatchObject({ members: 20, definitions: 20, variables: 20 });
		expect(r.behaviourChanges.map((b) => b.split(':')[0])).toEqual(['qux_loaded', 'qux_booted']);
	});

	it('fails on a dropped initializer', async () => {
		const r = await verifyWith((t) => t.replace('static VNET_DEFINE(int, qux_ttl) = QUX_TTL;', 'static VNET_DEFINE(int, qux_ttl);'));
		expect(errors(r)).toEqual(['verify/initial-value qux_ttl']);
		expect(r.ok).toBe(false);
	});

	it('fails on a changed type', async () => {
		const r = await verifyWith((t) => t.replace('static VNET_DEFINE(int, qux_count);', 'static VNET_DEFINE(long, qux_count);'));
		expect(errors(r)).toEqual(['verify/type-changed qux_count']);
	});

	it('fails on a missing VNET_DEFINE (and the V_ use it leaves unresolved)', async () => {
		const r = await verifyWith((t) => t.replace('static VNET_DEFINE(int, qux_sum);\n', ''));
		expect(errors(r)).toEqual(['verify/missing-definition qux_sum', 'verify/unresolved-accessor qux_sum']);
	});

	it('fails on a duplicated VNET_DEFINE', async () => {
		const r = await verifyWith((t) => t.replace('static VNET_DEFINE(int, qux_sum);\n', 'static VNET_DEFINE(int, qux_sum);\nVNET_DEFINE(int, qux_sum);\n'));
		expect(errors(r)).toEqual(['verify/duplicate-definition qux_sum']);
	});

	it('fails on an unresolved V_x', async () => {
		const r = await verifyWith((t) => t.replace('#define\tV_qux_mtu\tVNET(qux_mtu)\n', ''));
		expect(errors(r)).toEqual(['verify/unresolved-accessor qux_mtu']);
	});

	it('fails on a moved assignment that was conditional', async () => {
		const r = await verifyWith((t) => t.replace('static VNET_DEFINE(int, qux_verbose);', 'static VNET_DEFINE(int, qux_verbose) = 1;').replace('\tif (bootverbose)\n\t\tV_qux_verbose = 1;\n', ''));
		expect(errors(r)).toEqual(['verify/initial-value qux_verbose']);
	});

	it('fails on an old construct left behind', async () => {
		const r = await verifyWith((t) => `${t}\nSYSCTL_V_INT(V_NET, vnet_qux, _net, OID_AUTO, ttl, CTLFLAG_RW, qux_ttl, 0, "ttl");\n`);
		expect(errors(r)).toEqual(['verify/old-construct']);
	});
});

describe('verify: sizes and module space', () => {
	// struct quxstat is not defined in the fixture: give both trees one, so that every size is known.
	const QUXSTAT = 'struct quxstat {\n\tint\tqs_version;\n\tint\tqs_len;\n\tlong\tqs_bytes;\n};\n';
	const withStat = (t: string, stat = QUXSTAT) => t.replace('#include <net/vnet.h>\n', `#include <net/vnet.h>\n${stat}`);
	const MODULE = [{ dir: 'mod', name: 'qux' }];

	async function verifyModule(options: { arch?: 'amd64' | 'i386'; oldH?: (t: string) => string; oldC?: (t: string) => string; newC?: (t: string) => string }) {
		const id = (t: string) => t;
		const old = await indexOf({ 'mod/qux.c': (options.oldC ?? id)(withStat(read('input', 'qux.c'))), 'mod/vqux.h': (options.oldH ?? id)(read('input', 'vqux.h')) });
		const migrated = await indexOf({ 'mod/qux.c': (options.newC ?? id)(withStat(read('expected', 'qux.c'))) });
		return verifyIndexes(old, migrated, undefined, { arch: options.arch, modules: MODULE });
	}

	it('lays out the module set and loads it into the reserve (amd64 and i386)', async () => {
		const amd64 = await verifyModule({});
		expect(errors(amd64)).toEqual([]);
		// ints at 0..40, two 8-byte pointers, int[4], two 16-byte quxstats, ints, a pointer at 112, ints to 132.
		expect(amd64.layout.modules).toEqual([
			{ name: 'qux', dir: 'mod', variables: 20, unknownVariables: 0, knownBytes: 128, setBytes: 132, allocatedBytes: 136, reserveOffset: 0, status: 'loaded' },
		]);
		// The kernel is not in these trees: module space is the VNET_MODMIN every kernel reserves.
		expect(amd64.layout.kernel).toEqual({ variables: 0, unknownVariables: 0, knownBytes: 0 });
		expect(amd64.layout.reserve).toEqual({ bytes: 8192, exact: false, usedBytes: 136, freeBytes: 8056 });
		const at = (r: typeof amd64, n: string) => r.layout.variables.find((v) => v.name === n)!;
		expect([at(amd64, 'qux_ifp').reserveOffset, at(amd64, 'qux_ifp').size, at(amd64, 'quxlate').reserveOffset]).toEqual([112, 8, 72]);
		expect(at(amd64, 'qux_ttl')).toMatchObject({ set: 'qux', reserveOffset: 0, size: 4, initial: 'QUX_TTL' });
		expect(at(amd64, 'qux_ttl').offset).toBeUndefined();

		const i386 = await verifyModule({ arch: 'i386' });
		expect(errors(i386)).toEqual([]);
		expect(i386.layout.modules[0]).toMatchObject({ setBytes: 108, allocatedBytes: 108, status: 'loaded' });
		expect(i386.layout.reserve).toMatchObject({ usedBytes: 108, freeBytes: 8084 });
		expect(at(i386, 'qux_ifp').reserveOffset).toBe(92);
	});

	it('without a module directory the variables are the kernel set', async () => {
		const old = await indexOf({ 'qux.c': withStat(read('input', 'qux.c')), 'vqux.h': read('input', 'vqux.h') });
		const r = verifyIndexes(old, await indexOf({ 'qux.c': withStat(read('expected', 'qux.c')) }));
		expect(r.layout.modules).toEqual([]);
		// modspace (byte-aligned in r195699) follows the 132 bytes; VNET_SIZE is a page multiple, the rest is module space.
		expect(r.layout.kernel).toMatchObject({ variables: 20, setBytes: 132 + 8192, vnetSize: 12288, modspaceOffset: 132 });
		expect(r.layout.reserve).toEqual({ bytes: 12288 - 132, exact: true, usedBytes: 0, freeBytes: 12288 - 132 });
	});

	it('fails on a changed size, naming the variable, when the spelling is the same', async () => {
		const r = await verifyModule({ newC: (t) => t.replace('\tlong\tqs_bytes;', '\tlong\tqs_bytes;\n\tlong\tqs_drops;') });
		expect(errors(r)).toEqual(['verify/size-changed quxstat', 'verify/size-changed quxlate']);
		expect(r.findings.find((f) => f.variable === 'quxstat')?.message).toMatch(/quxstat is 24 bytes on amd64, but the member was 16/);
	});

	it('reports a type it cannot lay out as unknown, never a size', async () => {
		const r = await verifyModule({ oldC: (t) => t.replace(QUXSTAT, ''), newC: (t) => t.replace(QUXSTAT, '') });
		expect(errors(r)).toEqual([]);
		const unknown = r.findings.filter((f) => f.code === 'verify/size-unknown');
		expect(unknown.map((f) => f.message)).toEqual(['size unknown on amd64 (struct quxstat is not defined in the tree): quxstat, quxlate']);
		expect(r.layout.modules[0]).toMatchObject({ status: 'size-unknown', unknownVariables: 2, knownBytes: 96 });
		expect(r.layout.modules[0].setBytes).toBeUndefined();
	});

	it('fails on a module whose set exceeds the reserve, naming the module, the shortfall and the variable', async () => {
		const big = (t: string) => t.replace('\tint\t\t_qux_assumed;\n', '\tint\t\t_qux_assumed;\n\tu_char\t\t_qux_big[QUX_BIG];\n') + '#define\tV_qux_big\tVNET_QUX(qux_big)\n';
		const r = await verifyModule({
			oldH: (t) => `#define\tQUX_BIG\t8100\n${big(t)}`,
			newC: (t) => t.replace('#define\tQUX_TTL', '#define\tQUX_BIG\t8100\n#define\tQUX_TTL')
				.replace('static VNET_DEFINE(int, qux_assumed) = QUX_NOT_DEFINED;\n', 'static VNET_DEFINE(int, qux_assumed) = QUX_NOT_DEFINED;\nstatic VNET_DEFINE(u_char, qux_big[QUX_BIG]);\n'),
		});
		expect(errors(r)).toEqual(['verify/module-space qux_big']);
		// 132 + 8100 = 8232 bytes: 40 more than the 8192-byte reserve.
		expect(r.findings.find((f) => f.code === 'verify/module-space')?.message).toMatch(/module qux does not fit .* needs 8232 bytes, the largest free extent has 8192, 40 bytes short.*qux_big \(8100 bytes/);
		expect(r.layout.modules[0]).toMatchObject({ status: 'out-of-space', shortfall: 40, setBytes: 8232 });
		expect(r.ok).toBe(false);
	});

	it('--write --verify writes nothing when the verdict fails (a module too big for the reserve), and everything when it passes', async () => {
		const { runCli, tempTree, removeTree, readLatin1 } = await import('./helpers/run');
		const peek = '\nint\nqux_peek_big(void)\n{\n\n\treturn (V_qux_big[0]);\n}\n';
		const tree = (bound: number) => ({
			'mod/Makefile': 'KMOD=\tqux\nSRCS=\tqux.c\n',
			// The bound in the .c file: a header left without any VIMAGE token is not indexed (see README).
			'mod/qux.c': `#define\tQUX_BIG\t${bound}\n` + withStat(read('input', 'qux.c')) + peek,
			'mod/vqux.h': read('input', 'vqux.h')
				.replace('\tint\t\t_qux_assumed;\n', '\tint\t\t_qux_assumed;\n\tu_char\t\t_qux_big[QUX_BIG];\n') + '#define\tV_qux_big\tVNET_QUX(qux_big)\n',
		});
		for (const [bound, fits] of [[8100, false], [16, true]] as const) {
			const files = tree(bound);
			const dir = tempTree(files);
			try {
				const r = runCli(['--write', '--verify', '--no-progress', 'mod'], dir);
				const err = r.stderr.toString();
				const state = Object.fromEntries(Object.entries(files).map(([f, text]) => {
					const p = path.join(dir, f);
					return [f, !existsSync(p) ? 'deleted' : readLatin1(p) === text ? 'as before' : 'migrated'];
				}));
				if (fits) {
					expect([r.status, err.match(/verify: (PASS|FAIL)/)?.[1]]).toEqual([0, 'PASS']);
					expect(state).toEqual({ 'mod/Makefile': 'as before', 'mod/qux.c': 'migrated', 'mod/vqux.h': 'deleted' });
				} else {
					expect([r.status, err.match(/verify: (PASS|FAIL)/)?.[1]]).toEqual([1, 'FAIL']);
					expect(err).toMatch(/module qux does not fit .*qux_big/);
					expect(err).toMatch(/mod\/qux\.c: note: not written: verify failed \[output\/not-written\]/);
					expect(state).toEqual({ 'mod/Makefile': 'as before', 'mod/qux.c': 'as before', 'mod/vqux.h': 'as before' });
				}
			} finally {
				removeTree(dir);
			}
		}
	});
});

describe('verify with conditional definitions', () => {
	async function verifyPair(mutate: (t: string) => string) {
		const old = await indexOf({ 'quxp.c': read('input', 'quxp.c') });
		const migrated = await indexOf({ 'quxp.c': mutate(read('expected', 'quxp.c')) });
		return verifyIndexes(old, migrated);
	}

	it('compares each arm of an #if/#else pair of definitions', async () => {
		expect(errors(await verifyPair((t) => t))).toEqual([]);
		const swapped = await verifyPair((t) => t.replace('static VNET_DEFINE(int, quxp_mode) = 2;', 'static VNET_DEFINE(int, quxp_mode) = 3;'));
		expect(errors(swapped)).toEqual(['verify/initial-value quxp_mode']);
		expect(swapped.findings.find((f) => f.severity === 'error')?.message).toMatch(/where defined\(QUXP_FAST\)/);
	});
});

describe('verify on the command line', () => {
	it('finds modules by their Makefile (KMOD=), also when the tree given is the module itself', async () => {
		const { runCli, ROOT } = await import('./helpers/run');
		const corpus = path.join(ROOT, 'corpus');
		const run = runCli(['verify', '--json', path.join(corpus, 'modules/pfilt'), path.join(corpus, 'expected/full/modules/pfilt')], ROOT);
		const layout = JSON.parse(run.stdout.toString()).layout;
		expect(run.status).toBe(0);
		expect(layout.kernel.variables).toBe(0);
		// int, u_int, then struct pfiltstat (6 u_longs) at 8, the list head at 56, and the int moved below its macro at 64.
		expect(layout.modules).toEqual([{ name: 'pfilt', dir: '.', variables: 5, unknownVariables: 0, knownBytes: 68, setBytes: 68, allocatedBytes: 72, reserveOffset: 0, status: 'loaded' }]);
		expect(layout.reserve).toEqual({ bytes: 8192, exact: false, usedBytes: 72, freeBytes: 8120 });
	});

	it('exits 0 on a good migration and 1, naming the variable, on a bad one', async () => {
		const { runCli, tempTree, removeTree } = await import('./helpers/run');
		const good = runCli(['verify', path.join(FIXTURE, 'input'), path.join(FIXTURE, 'expected')], FIXTURE);
		expect(good.status).toBe(0);
		expect(good.stderr.toString()).toMatch(/verify: PASS: 25 live members/);
		const broken = tempTree({ 'qux.c': read('expected', 'qux.c').replace('static VNET_DEFINE(int, qux_mtu) = QUX_MTU;', 'static VNET_DEFINE(int, qux_mtu);') });
		const bad = runCli(['verify', path.join(FIXTURE, 'input'), broken], FIXTURE);
		removeTree(broken);
		expect(bad.status).toBe(1);
		expect(bad.stderr.toString()).toMatch(/error: qux_mtu starts as 0 in a new vnet, but the old code gave QUX_MTU .*\[verify\/initial-value\]/);
		expect(runCli(['verify', path.join(FIXTURE, 'input'), '/no/such/dir'], FIXTURE).status).toBe(2);
		expect(runCli(['verify', '--arch', 'sparc64', path.join(FIXTURE, 'input'), path.join(FIXTURE, 'expected')], FIXTURE).status).toBe(2);
		const i386 = runCli(['verify', '--json', '--arch', 'i386', path.join(FIXTURE, 'input'), path.join(FIXTURE, 'expected')], FIXTURE);
		const json = JSON.parse(i386.stdout.toString());
		expect([i386.status, json.layout.arch, json.layout.kernel.variables]).toEqual([0, 'i386', 25]);
		expect(good.stderr.toString()).toMatch(/^layout \(amd64\): kernel set of unknown size: 25 variables, 2 of unknown size/m);
	});
});
