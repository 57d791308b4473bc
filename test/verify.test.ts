/*
 * verify: passes on a correct migration and fails, naming the variable, on
 * each kind of loss: a dropped initializer, a changed type, a missing or
 * duplicated VNET_DEFINE, an unresolved V_x, an old construct left behind.
 */
import { readFileSync } from 'fs';
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
	});
});
