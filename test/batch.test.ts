/*
 * Batch runs: workers, shards, the per-file time limit, the streamed JSON
 * report. Outputs are compared byte for byte; nothing here is timed (the
 * speed is measured by bench/, never asserted).
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { mapOrdered } from '../src/batch/ordered';
import { bytesHaveAnyToken, INDEX_TOKENS } from '../src/index/scan';
import { shardOf } from '../src/pipeline';
import { TaskTimeoutError, WorkerPool } from '../src/batch/pool';
import { spawnSync } from 'child_process';
import { EventEmitter } from 'events';
import type { Worker } from 'worker_threads';
import { removeTree, ROOT, CLI } from './helpers/run';

const TREES = ['corpus/sys', 'corpus/modules'];
const scratch: string[] = [];
afterAll(() => scratch.forEach(removeTree));

function runCli(args: string[], cwd: string, env: Record<string, string> = {}) {
	return spawnSync(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env } });
}

function corpusCopy(): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'vimage-batch-'));
	for (const t of TREES) cpSync(path.join(ROOT, t), path.join(dir, t), { recursive: true });
	scratch.push(dir);
	return dir;
}

function treeBytes(dir: string): Map<string, string> {
	const out = new Map<string, string>();
	const walk = (d: string) => {
		for (const e of readdirSync(d, { withFileTypes: true })) {
			const p = path.join(d, e.name);
			if (e.isDirectory()) walk(p);
			else out.set(path.relative(dir, p), readFileSync(p).toString('latin1'));
		}
	};
	walk(dir);
	return out;
}

describe('workers', () => {
	it('--jobs 2 prints the same diffs and diagnostics, byte for byte, as --jobs 1', () => {
		const one = runCli(['--jobs', '1', ...TREES], ROOT);
		const two = runCli(['--jobs', '2', ...TREES], ROOT);
		expect(one.status).toBe(0);
		expect(one.stdout.length).toBeGreaterThan(10_000);
		expect(two.status).toBe(0);
		expect(two.stdout.equals(one.stdout)).toBe(true);
		expect(two.stderr.toString()).toBe(one.stderr.toString());
	});

	it('--write with 2 workers leaves the same tree as with 1', () => {
		const a = corpusCopy();
		const b = corpusCopy();
		expect(runCli(['--write', '--jobs', '1', ...TREES], a).status).toBe(0);
		expect(runCli(['--write', '--jobs', '2', ...TREES], b).status).toBe(0);
		const ta = treeBytes(a);
		expect(treeBytes(b)).toEqual(ta);
		expect(ta.get('corpus/sys/netinet/ip_input.c') ?? '').not.toContain('INIT_VNET_INET');
	});

	it('--json streams one document with per-file entries, totals and phase times', () => {
		const r = runCli(['--json', '--jobs', '2', ...TREES], ROOT);
		const report = JSON.parse(r.stdout.toString());
		expect(report.files.map((f: { path: string }) => f.path)).toEqual([...report.files.map((f: { path: string }) => f.path)].sort());
		expect(report.files.length).toBe(report.totals.scanned);
		expect(report.jobs).toBe(2);
		expect(Object.keys(report.phasesMs)).toEqual(['discover', 'index', 'migrate', 'total']);
		const changed = report.files.filter((f: { status: string }) => f.status === 'changed');
		expect(changed.length).toBe(report.totals.changed);
		expect(changed.every((f: { diff?: string }) => f.diff?.startsWith('--- a/'))).toBe(true);
	});
});

describe('shards', () => {
	it('scan --shard K/3 merged with scan --merge is the index of one scan; 3 migration shards concatenate to one run', () => {
		const dir = corpusCopy();
		const whole = runCli(['scan', ...TREES, '-o', 'whole.json'], dir);
		expect(whole.status).toBe(0);
		for (const k of [1, 2, 3]) expect(runCli(['scan', '--shard', `${k}/3`, ...TREES, '-o', `part${k}.json`], dir).status).toBe(0);
		const merged = runCli(['scan', '--merge', 'part1.json', 'part3.json', 'part2.json', '-o', 'index.json'], dir);
		expect(merged.status).toBe(0);
		expect(readFileSync(path.join(dir, 'index.json')).equals(readFileSync(path.join(dir, 'whole.json')))).toBe(true);
		// A shard's part is not a whole index.
		expect(runCli(['--index', 'part1.json', ...TREES], dir).status).toBe(2);
		expect(runCli(['scan', '--merge', 'part1.json', 'part2.json', '-o', 'x.json'], dir).status).toBe(2);

		const one = runCli(TREES, dir);
		const shards = [1, 2, 3].map((k) => runCli(['--shard', `${k}/3`, '--index', 'index.json', ...TREES], dir));
		for (const s of shards) expect(s.status).toBe(0);
		expect(Buffer.concat(shards.map((s) => s.stdout)).equals(one.stdout)).toBe(true);
		const diagnostics = (s: string) => s.split('\n').filter((l) => /: (error|warning|note): /.test(l)).sort();
		expect(shards.flatMap((s) => diagnostics(s.stderr.toString())).sort()).toEqual(diagnostics(one.stderr.toString()));

		const written = corpusCopy();
		cpSync(path.join(dir, 'index.json'), path.join(written, 'index.json'));
		for (const k of [1, 2, 3]) expect(runCli(['--write', '--shard', `${k}/3`, '--index', 'index.json', ...TREES], written).status).toBe(0);
		const single = corpusCopy();
		expect(runCli(['--write', ...TREES], single).status).toBe(0);
		const w = treeBytes(written);
		w.delete('index.json');
		expect(w).toEqual(treeBytes(single));
	});

	it('shards are contiguous, disjoint and cover every file', () => {
		const items = Array.from({ length: 17 }, (_, i) => i);
		for (const n of [1, 2, 3, 5, 17, 20]) {
			const parts = Array.from({ length: n }, (_, k) => shardOf(items, { index: k + 1, count: n }));
			expect(parts.flat()).toEqual(items);
		}
	});

	it('bad --shard, --jobs and --timeout values and a shard without --index are usage errors', () => {
		for (const args of [['--shard', '3/2'], ['--shard', '0/2'], ['--shard', '1/2'], ['--jobs', '0'], ['--timeout', 'soon']]) {
			expect(runCli([...args, 'corpus/sys'], ROOT).status).toBe(2);
		}
	});
});

describe('--timeout', () => {
	it('a worker that hangs fails only the task it runs: the one it was holding next runs on its replacement', async () => {
		// One worker holds two tasks at a time; the first never finishes (test hook, read in the worker).
		process.env.VIMAGE_MIGRATE_TEST_STALL = 'hangs-here';
		const pool = new WorkerPool(1, 1000);
		try {
			const file = (name: string) => ({ phase: 'index', file: { path: name, content: Buffer.from('void\nf(void)\n{\n\tINIT_VNET_INET(curvnet);\n}\n', 'latin1') } });
			const results = await Promise.allSettled([pool.run(file('hangs-here.c')), pool.run(file('next.c')), pool.run(file('last.c'))]);
			expect(results[0].status).toBe('rejected');
			expect((results[0] as PromiseRejectedResult).reason).toBeInstanceOf(TaskTimeoutError);
			for (const r of results.slice(1)) {
				expect(r.status).toBe('fulfilled');
				expect((r as PromiseFulfilledResult<{ part?: { file: string } }>).value.part?.file).toMatch(/^(next|last)\.c$/);
			}
		} finally {
			delete process.env.VIMAGE_MIGRATE_TEST_STALL;
			await pool.close();
		}
	});

	it('a replacement worker gets the context the pool was given before (parked on disk meanwhile)', async () => {
		process.env.VIMAGE_MIGRATE_TEST_STALL = 'hangs-here';
		const pool = new WorkerPool(1, 1000);
		try {
			const file = (name: string) => ({ path: name, content: Buffer.from('void\nf(void)\n{\n\tINIT_VNET_INET(curvnet);\n\tdivcbinfo.ipi_count = 0;\n}\n', 'latin1') });
			const { part } = await pool.run<{ part: unknown }>({ phase: 'index', file: file('a.c') });
			pool.setContext({ names: ['divcbinfo'] });
			const hung = await Promise.allSettled([pool.run({ phase: 'index', file: file('hangs-here.c') })]);
			expect((hung[0] as PromiseRejectedResult).reason).toBeInstanceOf(TaskTimeoutError);
			// Only the worker started after the timeout is left; it knows the member names.
			const uses = await pool.run<Array<{ member: string }>>({ phase: 'uses', file: file('a.c'), part });
			expect(uses.map((u) => u.member)).toEqual(['divcbinfo']);
		} finally {
			delete process.env.VIMAGE_MIGRATE_TEST_STALL;
			await pool.close();
		}
	});

	it('workers install a context one at a time: the next gets its copy once the one before says it is done, or is gone', async () => {
		// Stand-in workers record what the pool sends them and answer when told to.
		class FakeWorker extends EventEmitter {
			received: Array<{ type: string; task?: unknown }> = [];
			postMessage(m: { type: string; task?: unknown }): void {
				this.received.push(m);
			}
			ref(): void {}
			unref(): void {}
			terminate(): Promise<number> {
				return Promise.resolve(0);
			}
		}
		const fakes: FakeWorker[] = [];
		const pool = new WorkerPool(2, 0, () => {
			fakes.push(new FakeWorker());
			return fakes[fakes.length - 1] as unknown as Worker;
		});
		const sent = (w: FakeWorker) => w.received.map((m) => (m.type === 'task' ? `task ${m.task}` : m.type));
		try {
			pool.setContext({ names: ['tcbinfo'] });
			const runs = ['a', 'b', 'c', 'd'].map((t) => pool.run<string>(t));
			expect(sent(fakes[0])).toEqual(['context', 'task a', 'task b']);
			expect(sent(fakes[1])).toEqual([]);
			fakes[0].emit('message', { installed: true });
			expect(sent(fakes[1])).toEqual(['context', 'task c', 'task d']);
			fakes[1].emit('message', { installed: true });
			for (const [w, n] of [[fakes[0], 2], [fakes[1], 2]] as const) for (let k = 0; k < n; k++) w.emit('message', { ok: true, value: 'done' });
			expect(await Promise.all(runs)).toEqual(['done', 'done', 'done', 'done']);
			// A new context: a worker that dies while installing it does not hold the others back.
			pool.setContext({ names: ['udbinfo'] });
			const more = ['e', 'f', 'g'].map((t) => pool.run<string>(t).catch((e: Error) => e.message));
			expect(sent(fakes[0]).slice(3)).toEqual(['context', 'task e', 'task f']);
			expect(sent(fakes[1]).slice(3)).toEqual([]);
			fakes[0].emit('exit', 1);
			// Its replacement installs next, with the task the dead one had not started; the other still waits.
			expect(sent(fakes[2])).toEqual(['context', 'task f', 'task g']);
			expect(sent(fakes[1]).slice(3)).toEqual([]);
			fakes[2].emit('message', { installed: true });
			// A worker gets the context with a task: the next one goes to the idle worker, with its copy.
			more.push(pool.run<string>('h'));
			expect(sent(fakes[1]).slice(3)).toEqual(['context', 'task h']);
			for (let k = 0; k < 2; k++) fakes[2].emit('message', { ok: true, value: 'done' });
			fakes[1].emit('message', { ok: true, value: 'done' });
			expect(await Promise.all(more)).toEqual(['worker exited with code 1', 'done', 'done', 'done']);
		} finally {
			await pool.close();
		}
	});

	it('a file exceeding the limit fails as a timeout naming it; its worker is replaced and the others are migrated', () => {
		const dir = corpusCopy();
		const stalledDir = 'corpus/modules/if_tun2';
		// Test-only hook: a worker never finishes a file whose path contains this string.
		const r = runCli(['--write', '--json', '--jobs', '2', '--timeout', '1', ...TREES], dir, { VIMAGE_MIGRATE_TEST_STALL: `${stalledDir}/` });
		expect(r.status).toBe(1);
		const report = JSON.parse(r.stdout.toString());
		const stalled = readdirSync(path.join(dir, stalledDir)).filter((f) => bytesHaveAnyToken(readFileSync(path.join(dir, stalledDir, f)), INDEX_TOKENS));
		expect(stalled.length).toBeGreaterThan(0);
		const failed = report.files.filter((f: { status: string }) => f.status === 'failed');
		expect(failed.map((f: { path: string }) => f.path)).toEqual(stalled.map((f) => `${stalledDir}/${f}`));
		for (const f of failed) {
			expect(f.diagnostics).toEqual([{ severity: 'error', code: 'limit/timeout', file: f.path, rule: 'pipeline',
				message: 'timeout: processing took longer than 1 s (--timeout); file left untouched' }]);
			expect(readFileSync(path.join(dir, f.path)).equals(readFileSync(path.join(ROOT, f.path)))).toBe(true);
		}
		// Every other file was processed by the replacement workers, and written.
		expect(report.totals.changed).toBeGreaterThan(20);
		const written = report.files.filter((f: { written: boolean }) => f.written);
		expect(written.length).toBe(report.totals.changed);
		for (const f of written) {
			if (f.deleted) expect(existsSync(path.join(dir, f.path))).toBe(false);
			else expect(readFileSync(path.join(dir, f.path)).equals(readFileSync(path.join(ROOT, f.path)))).toBe(false);
		}
	});
});

describe('building blocks', () => {
	it('mapOrdered emits in input order whatever the completion order, with at most `window` items pending', async () => {
		const emitted: number[] = [];
		let inFlight = 0;
		let most = 0;
		const items = Array.from({ length: 40 }, (_, i) => i);
		await mapOrdered(items, 5, async (i) => {
			inFlight++;
			most = Math.max(most, inFlight);
			await new Promise((r) => setTimeout(r, (i * 7) % 5));
			inFlight--;
			return i * 2;
		}, (r, k) => {
			expect(r).toBe(k * 2);
			emitted.push(k);
		});
		expect(emitted).toEqual(items);
		expect(most).toBeLessThanOrEqual(5);
	});

	it('the byte prefilter finds a token anywhere, Latin-1 bytes around it included', () => {
		const latin1 = Buffer.from('/* Fran\xe7ois */\nint x;\n', 'latin1');
		expect(bytesHaveAnyToken(latin1, ['INIT_VNET', 'VNET'])).toBe(false);
		expect(bytesHaveAnyToken(Buffer.concat([latin1, Buffer.from('\tINIT_VNET_INET(curvnet);')]), ['VSYM', 'INIT_VNET'])).toBe(true);
		expect(bytesHaveAnyToken(Buffer.from('V'), ['V_'])).toBe(false);
	});
});

describe('a run over thousands of files, some of them bad', () => {
	it('finishes, writes all the others, reports each bad one by name and exits 1', async () => {
		const { chmodSync, mkdirSync, writeFileSync } = await import('fs');
		const dir = mkdtempSync(path.join(tmpdir(), 'thousands-'));
		scratch.push(dir);
		const N = 2000;
		const name = (k: number) => `d${Math.floor(k / 100)}/f${String(k).padStart(4, '0')}.c`;
		const text = (k: number) => `int\nf${k}(void)\n{\n\tINIT_VNET_NET(curvnet);\n\n\treturn (V_if_index + ${k});\n}\n`;
		for (let k = 0; k < N; k++) {
			mkdirSync(path.join(dir, path.dirname(name(k))), { recursive: true });
			writeFileSync(path.join(dir, name(k)), text(k));
		}
		const unreadable = [name(10), name(1500)];
		for (const f of unreadable) chmodSync(path.join(dir, f), 0o000);
		const stalled = name(777); // never finishes in a worker (test hook): a timeout
		const r = runCli(['--write', '--json', '--jobs', '2', '--timeout', '2', '--transform', 'remove-init-vnet', '.'], dir,
			{ VIMAGE_MIGRATE_TEST_STALL: path.basename(stalled) });
		for (const f of unreadable) chmodSync(path.join(dir, f), 0o644);
		expect(r.status).toBe(1);
		const report = JSON.parse(r.stdout.toString());
		const failed = report.files.filter((f: { status: string }) => f.status === 'failed')
			.map((f: { path: string; diagnostics: Array<{ code: string }> }) => `${f.path} ${f.diagnostics.map((d) => d.code).join(',')}`);
		expect(failed.sort()).toEqual([`${unreadable[0]} input/unreadable`, `${stalled} limit/timeout`, `${unreadable[1]} input/unreadable`].sort());
		expect(report.totals).toMatchObject({ scanned: N, changed: N - 3, failed: 3 });
		for (let k = 0; k < N; k++) {
			const now = readFileSync(path.join(dir, name(k)), 'latin1');
			if ([...unreadable, stalled].includes(name(k))) expect(now).toBe(text(k));
			else expect(now, name(k)).toBe(text(k).replace('\tINIT_VNET_NET(curvnet);\n', ''));
		}
	}, 120_000);
});
