/*
 * The full migration of the bundled corpus by the tool itself (all
 * transforms), checked three ways: verify passes; the only sites left are
 * the ones the tool reports (INIT_VNET inside other macros' bodies); and,
 * once a developer makes those reported edits, the result builds with gcc
 * against the new-design shims and prints the same per-vnet state as the
 * old corpus against the old shims, with and without VIMAGE.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, MigrationResult } from '../src';
import { removeTree, ROOT } from './helpers/run';
import { compileAndRun } from './shim/harness';

const TRANSFORMS = ['remove-init-vnet', 'vnet-define', 'sysctl', 'static-init'];
/** Dead members: the old tree prints them, the migration drops them (README). */
const DEAD = ['icmp_rfi_unused', 'ngtag_spare'];

let dir: string;
let result: MigrationResult;
beforeAll(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'full-migration-'));
	cpSync(path.join(ROOT, 'corpus/sys'), path.join(dir, 'sys'), { recursive: true });
	cpSync(path.join(ROOT, 'corpus/modules'), path.join(dir, 'modules'), { recursive: true });
	result = await migrate({ paths: ['sys', 'modules'], cwd: dir, mode: 'write', transforms: TRANSFORMS, verify: true });
});
afterAll(() => removeTree(dir));

describe('full migration of the corpus by the tool', () => {
	it('writes every file and verifies', () => {
		expect(result.totals.failed).toBe(0);
		expect(result.verification?.ok).toBe(true);
		expect(result.verification?.checked.members).toBeGreaterThanOrEqual(100);
	});

	it('changes nothing on a second run', async () => {
		const again = await migrate({ paths: ['sys', 'modules'], cwd: dir, mode: 'check', transforms: TRANSFORMS });
		expect(again.totals.changed).toBe(0);
		expect(again.totals.scanned).toBeGreaterThanOrEqual(30);
	});

	it('leaves only the sites it reports: INIT_VNET inside other macros\' bodies', () => {
		const warnings = result.files.flatMap((f) => f.diagnostics).filter((d) => d.severity === 'warning');
		const unfinished = warnings.filter((d) => d.code !== 'static-init/behaviour-change');
		expect(unfinished.map((d) => `${d.file}:${d.line} ${d.code}`)).toEqual([
			'modules/pfilt/pfilt.c:77 init-vnet/in-directive',
			'sys/netinet/tcp_subr.c:79 init-vnet/in-directive',
			'sys/netinet/tcp_subr.c:83 init-vnet/in-directive',
		]);
		expect(result.verification?.findings.filter((f) => f.code === 'verify/reported-left')).toHaveLength(3);
	});

	it('after the reported hand edits, builds and prints the same per-vnet state as the old corpus', () => {
		// The developer's part: drop the reported INIT_VNET lines from the macro bodies.
		for (const f of ['sys/netinet/tcp_subr.c', 'modules/pfilt/pfilt.c']) {
			const p = path.join(dir, f);
			const lines = readFileSync(p, 'latin1').split('\n');
			writeFileSync(p, Buffer.from(lines.filter((l) => !/^\tINIT_VNET_[A-Z]+\(curvnet\);\s*\\$/.test(l)).join('\n'), 'latin1'));
		}
		const strip = (out: string) => out.split('\n').filter((l) => !DEAD.some((d) => l.startsWith(`var ${d} [`))).join('\n');
		for (const vimage of [true, false]) {
			const before = strip(compileAndRun(path.join(ROOT, 'corpus'), 'old', { vimage }).stdout);
			const after = compileAndRun(dir, 'new', { vimage }).stdout;
			expect(after.split('\n').length).toBeGreaterThan(500);
			expect(after, vimage ? 'VIMAGE' : 'no VIMAGE').toBe(before);
		}
	});
});

describe('the gcc harness catches a wrong move', () => {
	it('moving a conditional assignment into the static initializer changes the printed state', () => {
		// As a careless static-init would: `if (bootverbose) V_ngtag_enable = 1;` made the initializer.
		const p = path.join(dir, 'modules/ngtag/ngtag.c');
		const migrated = readFileSync(p, 'latin1');
		const wrong = migrated
			.replace('#else\nVNET_DEFINE(int, ngtag_enable);', '#else\nVNET_DEFINE(int, ngtag_enable) = 1;')
			.replace('\tif (bootverbose)\n\t\tV_ngtag_enable = 1;\n', '');
		expect(wrong.length).toBeLessThan(migrated.length);
		expect(wrong).not.toBe(migrated);
		writeFileSync(p, Buffer.from(wrong, 'latin1'));
		try {
			const before = compileAndRun(path.join(ROOT, 'corpus'), 'old', { vimage: true }).stdout;
			const after = compileAndRun(dir, 'new', { vimage: true }).stdout;
			const enable = (out: string) => out.split('\n').filter((l) => l.startsWith('var ngtag_enable ['));
			expect(enable(after)).not.toEqual(enable(before));
		} finally {
			writeFileSync(p, Buffer.from(migrated, 'latin1'));
		}
	});
});
