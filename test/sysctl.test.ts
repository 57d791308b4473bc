/*
 * The sysctl transform on a golden file holding every SYSCTL_V_ kind:
 * converted kinds, multi-line and #ifdef-wrapped calls, PROC handlers that
 * use arg1, ignore it, or live elsewhere; kinds r195699 lacks, a symbol that
 * is no member, and a container outside the tree.
 */
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../src';
import { copyFixtureInput, removeTree } from './helpers/run';

const FIXTURE = path.join(__dirname, 'fixtures/sysctl');
const TRANSFORMS = ['vnet-define', 'sysctl'];
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeTree));

function copyInput(): string {
	const dir = copyFixtureInput(FIXTURE);
	dirs.push(dir);
	return dir;
}

describe('sysctl golden file', () => {
	it('converts every kind r195699 has and matches expected/', async () => {
		const dir = copyInput();
		const r = await migrate({ paths: ['.'], cwd: dir, mode: 'write', transforms: TRANSFORMS });
		expect(r.exitCode).toBe(0);
		expect(readFileSync(path.join(dir, 'bar.c'), 'latin1')).toBe(readFileSync(path.join(FIXTURE, 'expected/bar.c'), 'latin1'));
		expect(existsSync(path.join(dir, 'vbar.h'))).toBe(false);
		expect(r.files.find((f) => f.path === 'bar.c')?.editsByRule.sysctl).toBe(10);
	});

	it('reports what it left alone and what it assumed, by kind of case', async () => {
		const r = await migrate({ paths: ['.'], cwd: copyInput(), transforms: TRANSFORMS });
		const codes = r.files.flatMap((f) => f.diagnostics).filter((d) => d.rule === 'sysctl').map((d) => `${d.line} ${d.severity} ${d.code}`);
		expect(codes).toEqual([
			'25 note sysctl/plain-name',
			'30 warning sysctl/no-target',
			'36 warning sysctl/handler-unseen',
			'38 warning sysctl/not-a-member',
			'40 note sysctl/external-container',
			'42 warning sysctl/no-target',
			'45 note sysctl/handler-rebased',
			'57 note sysctl/handler-ignores-arg1',
		]);
	});

	it('changes nothing on a second run', async () => {
		const dir = copyInput();
		await migrate({ paths: ['.'], cwd: dir, mode: 'write', transforms: TRANSFORMS });
		const again = await migrate({ paths: ['.'], cwd: dir, mode: 'check', transforms: TRANSFORMS });
		expect(again.totals.changed).toBe(0);
	});
});
