/*
 * An interrupted `--write` run (issue 10, part 2): killed partway by SIGINT
 * or SIGTERM, it leaves every file byte-identical to either its original or
 * its fully migrated version, and no temporary file behind.
 */
import { spawn } from 'child_process';
import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../src';
import { CLI, removeTree, tempTree } from './helpers/run';

const FILES = 120;

/** One old-style file; functions enough that each takes a few milliseconds. */
function oldFile(k: number): string {
	let text = `/* generated file ${k}, \xe9t\xe9 */\n#include <sys/param.h>\n\n`;
	for (let f = 0; f < 20; f++) {
		text += `static int\nf${k}_${f}(struct ifnet *ifp)\n{\n\tINIT_VNET_NET(curvnet);\n\tint n = 0;\n\n` +
			`\tif (ifp != NULL)\n\t\tn = V_if_index + ${f};\n\treturn (n);\n}\n\n`;
	}
	return text;
}

let dirs: string[] = [];
afterEach(() => {
	for (const d of dirs) removeTree(d);
	dirs = [];
});

function snapshot(dir: string, names: string[]): Map<string, Buffer> {
	return new Map(names.map((n) => [n, readFileSync(path.join(dir, n))]));
}

async function interruptedRun(signal: NodeJS.Signals) {
	const names = Array.from({ length: FILES }, (_, k) => `f${String(k).padStart(3, '0')}.c`);
	const dir = tempTree(Object.fromEntries(names.map((n, k) => [n, oldFile(k)])));
	dirs.push(dir);
	const before = snapshot(dir, names);
	const expected = new Map((await migrate({ paths: ['.'], cwd: dir, diffs: false })).files.map((f) => [f.path, f.output]));
	expect(names.every((n) => typeof expected.get(n) === 'string' && expected.get(n) !== before.get(n)!.toString('latin1'))).toBe(true);

	// One thread, and 100 ms per file (a test hook; up to 4 files wait at once): the run is surely still going when the first
	// file is seen written, however loaded the machine (without it, the rest can be done within a poll).
	const child = spawn(process.execPath, [CLI, '--write', '--jobs', '1', '.'], {
		cwd: dir, stdio: 'ignore', env: { ...process.env, VIMAGE_MIGRATE_TEST_DELAY_MS: '100' },
	});
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
		child.on('exit', (code, sig) => resolve({ code, signal: sig }));
	});
	// Wait until the first file (files are written in path order) is written, then interrupt.
	const first = path.join(dir, names[0]);
	let sent = false;
	const deadline = Date.now() + 50_000;
	while (!sent && Date.now() < deadline) {
		await new Promise((r) => setTimeout(r, 5));
		if (child.exitCode !== null) break;
		if (!readFileSync(first).equals(before.get(names[0])!)) {
			child.kill(signal);
			sent = true;
		}
	}
	const outcome = await exited;
	const after = snapshot(dir, names);
	let migrated = 0;
	for (const n of names) {
		const now = after.get(n)!.toString('latin1');
		const old = before.get(n)!.toString('latin1');
		if (now === expected.get(n)) migrated++;
		else expect(now, `${n} is neither its original nor its migrated version`).toBe(old);
	}
	return { sent, outcome, migrated, entries: readdirSync(dir).sort(), names };
}

describe('an interrupted --write run', () => {
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		it(`killed by ${signal} partway: every file old or new, no temporary file left`, async () => {
			const r = await interruptedRun(signal);
			expect(r.sent, 'the run ended before any file was written').toBe(true);
			expect(r.outcome.signal ?? r.outcome.code, `outcome ${JSON.stringify(r.outcome)}, ${r.migrated} of ${FILES} migrated`).not.toBe(0);
			// Partway: some files written, some not.
			expect(r.migrated).toBeGreaterThan(0);
			expect(r.migrated).toBeLessThan(FILES);
			expect(r.entries).toEqual(r.names);
		}, 120_000);
	}
});
