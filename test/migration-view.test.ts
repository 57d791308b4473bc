/*
 * The workers' view of the index: parts of files nothing points into are
 * slim, and each such file's own fields travel with its task. The view must
 * not change any migration: a generated tree full of "user" files (the
 * files it makes slim) migrates byte for byte the same with workers as in
 * one thread, which uses the whole index.
 */
import { mkdtempSync, openSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationView, ownFileFields, partOf, withOwnFields } from '../src/index/corpus-index';
import { PartStore, SPILLED_FIELDS } from '../src/index/part-store';
import { FileResult, migrate, MigrateOptions, scanTree } from '../src/pipeline';
import { CLI, removeTree, ROOT } from './helpers/run';

const scratch: string[] = [];
afterAll(() => scratch.forEach(removeTree));

async function generated(): Promise<string> {
	const dir = mkdtempSync(path.join(tmpdir(), 'vimage-view-'));
	scratch.push(dir);
	const { generate } = await import('../bench/generate.mjs');
	await generate({ out: dir, sizeMb: 0.6, plainShare: 0.1 });
	return dir;
}

/** Everything a run reports, for byte-for-byte comparison. */
async function outcome(options: MigrateOptions): Promise<string> {
	const files: FileResult[] = [];
	const r = await migrate({ mode: 'dry-run', ...options, onResult: (f) => void files.push(f) });
	return JSON.stringify([files.map((f) => [f.path, f.status, f.diff, f.diagnostics, f.editsByRule]), r.diagnostics, r.totals]);
}

describe('the part store', () => {
	it('moves a part\'s own fields to an unlinked file and gives them back, whole', async () => {
		const { index } = await scanTree({ paths: ['test/fixtures/split-module'], cwd: ROOT });
		const part = structuredClone(partOf(index, 'test/fixtures/split-module/zap_defaults.c')!);
		const before = structuredClone(part);
		expect(before.functions.length).toBe(1);
		expect(before.constructorBodies.length).toBe(1);
		const store = new PartStore();
		try {
			store.spill(part);
			for (const f of SPILLED_FIELDS) expect(part[f]).toEqual(f === 'accessorFirstUse' ? {} : []);
			expect(store.summary(part.file)).toEqual({ includes: ['"vzap.h'], functions: ['zap_defaults'], bodies: ['zap_defaults'], moduleEvents: false });
			expect(store.read(part.file)!.functions).toEqual(before.functions);
			// Globals stay in memory (the merge's members point into them) and are in the store too, for the file's task.
			const globals = part.globals;
			expect(store.read(part.file)!.globals).toEqual(before.globals);
			store.restore(part);
			expect(part).toEqual(before);
			expect(part.globals).toBe(globals);
			expect(store.isSpilled(part.file)).toBe(false);
			// Once dropped (before the migration), a summary is never read as "no summary".
			store.spill(part);
			store.dropSummaries();
			expect(() => store.summary(part.file)).toThrow(/read after they were dropped/);
			expect(store.read(part.file)!.functions).toEqual(before.functions);
		} finally {
			store.close();
		}
	});

	it('a module split over files (iattach, the constructor it calls, the sysctl handler each alone) migrates as with the whole index', async () => {
		const paths = ['test/fixtures/split-module'];
		const whole = await outcome({ paths, cwd: ROOT, keepIndexWhole: true });
		// Not vacuous: the constructor's values became initializers, the handler was rebased.
		expect(whole).toContain('VNET_DEFINE(int, zap_ttl) = 64;');
		expect(whole).toContain('VNET_SYSCTL_ARG(req, arg1);');
		expect(await outcome({ paths, cwd: ROOT })).toBe(whole);
		expect(await outcome({ paths, cwd: ROOT, jobs: 2 })).toBe(whole);
	}, 60_000);
});

describe('the workers\' view of the index', () => {
	it('keeps headers and definition files whole, makes user files slim, and gives a slim file its own fields back', async () => {
		const dir = await generated();
		const { index } = await scanTree({ paths: [dir] });
		const { view, slim } = migrationView(index);
		const users = index.parts.filter((p) => p.file.endsWith('.c') && p.globals.every((g) => !index.members.some((m) => m.name === g.name)));
		expect(slim.size).toBeGreaterThan(10);
		for (const f of slim) expect(f.endsWith('.h')).toBe(false);
		for (const m of index.members) for (const d of m.definitions) expect(slim.has(d.span.file)).toBe(false);
		expect([...slim].every((f) => users.some((u) => u.file === f))).toBe(true);
		const file = [...slim].find((f) => (partOf(index, f)!.includes.length > 0 && partOf(index, f)!.functions.length > 0))!;
		const full = partOf(index, file)!;
		const thin = partOf(view, file)!;
		expect(thin.macroDefinitions).toEqual([]);
		expect(thin.functions.length).toBeLessThan(full.functions.length);
		expect(thin.accessorUses).toEqual(full.accessorUses);
		const own = structuredClone(ownFileFields(full));
		const seen = await withOwnFields(view, file, own, async () => partOf(view, file)!);
		const fields = Object.keys(own) as Array<keyof typeof own>;
		expect(fields).toContain('globals');
		expect(fields).not.toContain('constructorBodies');
		for (const f of fields) expect(seen[f]).toEqual(full[f]);
		// The slim copy keeps only what other files' questions read.
		expect(thin.globals).toEqual([]);
		expect(thin.sysinits).toEqual([]);
		expect(partOf(view, file)).toBe(thin);
	}, 60_000);

	it('a generated tree of user files migrates with the part store and slim view, in one thread and in two workers, as with the whole index', async () => {
		const dir = await generated();
		const whole = await outcome({ paths: [dir], keepIndexWhole: true });
		expect(whole.length).toBeGreaterThan(10_000);
		expect(await outcome({ paths: [dir] })).toBe(whole);
		expect(await outcome({ paths: [dir], jobs: 2 })).toBe(whole);
	}, 120_000);

	it('--jobs 2 (slim view, own fields per task) migrates a tree of user files byte for byte as --jobs 1', async () => {
		const dir = await generated();
		const run = (jobs: string) => spawnSync(process.execPath, [CLI, '--jobs', jobs, dir], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 1 << 28 });
		const one = run('1');
		const two = run('2');
		expect(one.status).toBe(0);
		expect(one.stdout.length).toBeGreaterThan(10_000);
		expect(two.stdout.toString('latin1')).toBe(one.stdout.toString('latin1'));
		expect(two.stderr.toString('latin1')).toBe(one.stderr.toString('latin1'));
	}, 120_000);
});

describe('members used across a large tree', () => {
	const header = `struct vnet_pop {\n\tint\t_pop_n;\n};\n#define\tVNET_POP(sym)\tVSYM(vnet_pop, sym)\n#define\tV_pop_n\tVNET_POP(pop_n)\n`;
	const definer = `#include "vpop.h"\n\n#ifdef VIMAGE_GLOBALS\nstatic int\tpop_n;\n#endif\n\nint\npop_get(void)\n{\n\treturn (V_pop_n);\n}\n`;
	const user = (k: number) => `#include "vpop.h"\n\nint\nuser${k}(void)\n{\n\treturn (V_pop_n + ${k});\n}\n`;

	it('a static used in many files: the note names the first ten and counts the rest; each user sees the declaration', async () => {
		const files = [{ path: 'vpop.h', content: header }, { path: 'pop.c', content: definer }, ...Array.from({ length: 13 }, (_, k) => ({ path: `u${String(k).padStart(2, '0')}.c`, content: user(k) }))];
		const r = await migrate({ files });
		const note = r.files.flatMap((f) => f.diagnostics).find((d) => d.message.startsWith('pop_n: static in its definition'))!;
		expect(note.message).toBe(`pop_n: static in its definition, but used in ${Array.from({ length: 10 }, (_, k) => `u${String(k).padStart(2, '0')}.c`).join(', ')} and 3 more files: defined without static`);
		// The container header keeps the declaration every user needs, so no user gets a local one.
		expect(r.files.find((f) => f.path === 'vpop.h')!.output).toContain('VNET_DECLARE(int, pop_n);');
		for (const f of r.files.filter((x) => x.path.startsWith('u'))) expect(f.output).not.toContain('VNET_DECLARE');
	});
});

describe('the part store when the disk will not take it', () => {
	it('a full disk keeps every part whole in memory, and a temporary directory that cannot be used runs without a store: same result', async () => {
		const { index } = await scanTree({ paths: ['test/fixtures/split-module'], cwd: ROOT });
		const part = structuredClone(partOf(index, 'test/fixtures/split-module/zap_defaults.c')!);
		const before = structuredClone(part);
		const full = new PartStore(openSync('/dev/full', 'w'));
		try {
			full.spill(part);
			expect(full.isSpilled(part.file)).toBe(false);
			expect(part).toEqual(before);
		} finally {
			full.close();
		}
		const paths = ['test/fixtures/split-module'];
		const whole = await outcome({ paths, cwd: ROOT, keepIndexWhole: true });
		const saved = process.env.TMPDIR;
		process.env.TMPDIR = path.join(ROOT, 'no-such-directory', 'tmp');
		try {
			expect(PartStore.open()).toBeUndefined();
			expect(await outcome({ paths, cwd: ROOT })).toBe(whole);
		} finally {
			if (saved === undefined) delete process.env.TMPDIR;
			else process.env.TMPDIR = saved;
		}
	});
});
