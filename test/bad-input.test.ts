/*
 * Bad input on disk and failures inside the run (issue 10, parts 1-3): each
 * case has a defined outcome, an error or warning naming the file (and line
 * where there is one), a count in the totals and the exit code; a failing
 * file never stops or corrupts the others.
 */
import { execFileSync } from 'child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'fs';
import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, MigrationResult } from '../src';
import { TRANSFORMS } from '../src/transforms';
import type { Transform } from '../src/transform';
import { NEW_FUNCTION, OLD_FUNCTION, readLatin1, runCli, scratchTrees } from './helpers/run';

const OLD = OLD_FUNCTION;
const NEW = NEW_FUNCTION;

const scratch = scratchTrees();
const tree = scratch.tree;
const restore: Array<() => void> = [];
afterEach(() => {
	while (restore.length) restore.pop()!();
	scratch.cleanup();
});

/** Wraps the run of remove-init-vnet for this test only (the way a buggy transform or a concurrent process would act). */
function wrapRemoveInitVnet(wrap: (run: Transform['run']) => Transform['run']): void {
	const t = TRANSFORMS.find((x) => x.name === 'remove-init-vnet')! as Transform;
	const original = t.run;
	t.run = wrap(original);
	restore.push(() => {
		t.run = original;
	});
}

function errors(r: MigrationResult, file: string): string[] {
	return [...r.diagnostics, ...r.files.flatMap((f) => f.diagnostics)]
		.filter((d) => d.severity === 'error' && d.file === file)
		.map((d) => `${d.file}${d.line ? `:${d.line}` : ''}: ${d.code}: ${d.message}`);
}

function status(r: MigrationResult, file: string): string | undefined {
	return r.files.find((f) => f.path === file)?.status;
}

describe('files on disk', () => {
	it('an unreadable file (mode 000, even for root) is an error naming it; the others are written; exit 1', async () => {
		const dir = tree({ 'a.c': OLD, 'locked.c': OLD, 'z.c': OLD });
		chmodSync(path.join(dir, 'locked.c'), 0o000);
		const r = await migrate({ paths: ['.'], cwd: dir, mode: 'write' });
		expect(errors(r, 'locked.c')).toEqual(['locked.c: input/unreadable: cannot read: permission denied']);
		expect(r.totals).toMatchObject({ scanned: 3, changed: 2, failed: 1 });
		expect(r.exitCode).toBe(1);
		chmodSync(path.join(dir, 'locked.c'), 0o644);
		expect(readLatin1(path.join(dir, 'locked.c'))).toBe(OLD);
		expect(readLatin1(path.join(dir, 'a.c'))).toBe(NEW);
		expect(readLatin1(path.join(dir, 'z.c'))).toBe(NEW);
	});

	it('a directory named x.c is walked as a directory, not read as a file', async () => {
		const dir = tree({ 'x.c/inner.c': OLD });
		const walked = await migrate({ paths: ['.'], cwd: dir, mode: 'write' });
		expect(walked.files.map((f) => [f.path, f.status])).toEqual([['x.c/inner.c', 'changed']]);
		expect(walked.exitCode).toBe(0);
		const named = await migrate({ paths: ['x.c'], cwd: dir, mode: 'check' });
		expect(named.totals).toMatchObject({ scanned: 1, changed: 0, failed: 0 });
	});

	it('a FIFO named on the command line is not read (it would block): error, exit 1', async () => {
		const dir = tree({ 'a.c': OLD });
		execFileSync('mkfifo', [path.join(dir, 'pipe.c')]);
		const r = await migrate({ paths: ['a.c', 'pipe.c'], cwd: dir, mode: 'write' });
		expect(errors(r, 'pipe.c')).toEqual(['pipe.c: input/unreadable: cannot read: not a regular file']);
		expect(r.totals).toMatchObject({ scanned: 2, changed: 1, failed: 1 });
		expect(r.exitCode).toBe(1);
		expect(readLatin1(path.join(dir, 'a.c'))).toBe(NEW);
	});

	it('two overlapping roots and a symlink inside the tree: each real file processed once', async () => {
		const dir = tree({ 'sys/net/a.c': OLD, 'sys/net/b.c': OLD });
		symlinkSync(path.join(dir, 'sys/net/a.c'), path.join(dir, 'sys/alias.c'));
		const r = await migrate({ paths: ['sys', 'sys/net', 'sys/net/a.c', 'sys/alias.c'], cwd: dir, mode: 'write' });
		expect(r.files.map((f) => f.path)).toEqual(['sys/net/a.c', 'sys/net/b.c']);
		expect(r.totals).toMatchObject({ scanned: 2, changed: 2, failed: 0 });
		expect(r.exitCode).toBe(0);
		expect(readLatin1(path.join(dir, 'sys/net/a.c'))).toBe(NEW);
	});

	it('a file that vanishes between the scan and its turn is an error naming it; the rest is written', async () => {
		const dir = tree({ 'a.c': OLD, 'b.c': OLD, 'c.c': OLD });
		const r = await migrate({
			paths: ['.'], cwd: dir, mode: 'write',
			// Once the index is built, before any file's migration.
			onProgress: (p) => {
				if (p.phase === 'index' && p.done === p.total) unlinkSync(path.join(dir, 'b.c'));
			},
		});
		expect(errors(r, 'b.c')).toEqual(['b.c: input/unreadable: cannot read: no such file or directory']);
		expect(r.totals).toMatchObject({ scanned: 3, changed: 2, failed: 1 });
		expect(r.exitCode).toBe(1);
		expect(existsSync(path.join(dir, 'b.c'))).toBe(false);
		expect(readLatin1(path.join(dir, 'c.c'))).toBe(NEW);
	});

	it('a file that vanishes or changes between reading and writing is not written (nor recreated)', async () => {
		const dir = tree({ 'gone.c': OLD, 'edited.c': OLD, 'ok.c': OLD });
		const edited = `${OLD}/* saved by the developer meanwhile */\n`;
		wrapRemoveInitVnet((run) => (file, index, context) => {
			if (file.path === 'gone.c') unlinkSync(path.join(dir, 'gone.c'));
			if (file.path === 'edited.c') writeFileSync(path.join(dir, 'edited.c'), edited);
			return run(file, index, context);
		});
		const r = await migrate({ paths: ['.'], cwd: dir, mode: 'write' });
		expect(errors(r, 'gone.c')).toEqual(['gone.c: output/not-written: not written: no such file or directory']);
		expect(errors(r, 'edited.c')).toEqual(['edited.c: output/not-written: file changed since it was read: not written']);
		expect(r.totals).toMatchObject({ scanned: 3, changed: 1, failed: 2 });
		expect(r.exitCode).toBe(1);
		expect(existsSync(path.join(dir, 'gone.c'))).toBe(false);
		expect(readLatin1(path.join(dir, 'edited.c'))).toBe(edited);
		expect(readLatin1(path.join(dir, 'ok.c'))).toBe(NEW);
		expect(readdirSync(dir).sort()).toEqual(['edited.c', 'ok.c']);
	});
});

describe('a failure in one file never stops or corrupts the others', () => {
	it('a transform throwing on one file: that file fails, named, untouched; the others are written', async () => {
		const dir = tree({ 'a.c': OLD, 'bad.c': OLD, 'c.c': OLD });
		wrapRemoveInitVnet((run) => (file, index, context) => {
			if (file.path === 'bad.c') throw new Error('boom');
			return run(file, index, context);
		});
		const r = await migrate({ paths: ['.'], cwd: dir, mode: 'write' });
		expect(errors(r, 'bad.c')).toEqual(['bad.c: internal/transform: internal error in remove-init-vnet: boom; file left untouched']);
		expect(r.totals).toMatchObject({ scanned: 3, changed: 2, failed: 1, errors: 1 });
		expect(r.exitCode).toBe(1);
		expect(readLatin1(path.join(dir, 'bad.c'))).toBe(OLD);
		expect(readLatin1(path.join(dir, 'a.c'))).toBe(NEW);
		expect(readLatin1(path.join(dir, 'c.c'))).toBe(NEW);
	});

	it('any other exception while processing a file (here: malformed transform output) fails that file only', async () => {
		const dir = tree({ 'a.c': OLD, 'bad.c': OLD, 'c.c': OLD });
		wrapRemoveInitVnet((run) => (file, index, context) => {
			const result = run(file, index, context);
			return file.path === 'bad.c' ? { ...result, edits: null as unknown as [] } : result;
		});
		const r = await migrate({ paths: ['.'], cwd: dir, mode: 'write' });
		expect(errors(r, 'bad.c')).toHaveLength(1);
		expect(errors(r, 'bad.c')[0]).toMatch(/^bad\.c: internal\/file: internal error: .*; file left untouched$/);
		expect(r.totals).toMatchObject({ scanned: 3, changed: 2, failed: 1 });
		expect(r.exitCode).toBe(1);
		expect(readLatin1(path.join(dir, 'bad.c'))).toBe(OLD);
		expect(readLatin1(path.join(dir, 'c.c'))).toBe(NEW);
	});
});

describe('output sanity', () => {
	it('output that parses worse than its input is not written and is a failure with its line', async () => {
		const dir = tree({ 'a.c': OLD, 'broken.c': OLD });
		// A transform gone wrong: on broken.c it also damages the return statement (line 8).
		wrapRemoveInitVnet((run) => (file, index, context) => {
			const result = run(file, index, context);
			if (file.path !== 'broken.c') return result;
			const at = file.text.indexOf('return (x);');
			return { ...result, edits: [...result.edits, { start: at, end: at + 'return (x);'.length, text: 'return (x)) +;', rule: 'remove-init-vnet' }] };
		});
		const r = await migrate({ paths: ['.'], cwd: dir, mode: 'write' });
		expect(errors(r, 'broken.c')).toHaveLength(1);
		expect(errors(r, 'broken.c')[0]).toMatch(/^broken\.c:7: output\/parse-worse: the migrated text parses worse than the input .*: not written$/);
		expect(status(r, 'broken.c')).toBe('failed');
		expect(r.files.find((f) => f.path === 'broken.c')?.written).toBeUndefined();
		expect(r.totals).toMatchObject({ scanned: 2, changed: 1, failed: 1 });
		// Only the edits made count: a.c's.
		expect(r.totals.editsByRule).toEqual({ 'remove-init-vnet': 1 });
		expect(r.exitCode).toBe(1);
		expect(readLatin1(path.join(dir, 'broken.c'))).toBe(OLD);
		expect(readLatin1(path.join(dir, 'a.c'))).toBe(NEW);
	});

	it('the same check in a dry run: a failure, no diff offered', async () => {
		wrapRemoveInitVnet((run) => (file, index, context) => {
			const result = run(file, index, context);
			return { ...result, edits: [...result.edits, { start: file.text.length, end: file.text.length, text: 'int (;\n', rule: 'remove-init-vnet' }] };
		});
		const r = await migrate({ files: [{ path: 'x.c', content: OLD }] });
		expect(r.files[0]).toMatchObject({ status: 'failed' });
		expect(r.files[0].diff).toBeUndefined();
		expect(r.files[0].output).toBeUndefined();
		expect(r.exitCode).toBe(1);
	});
});

describe('large input', () => {
	it('a 10 MB file is migrated, every other byte kept', async () => {
		const site = 'void\nf(void)\n{\n\tINIT_VNET_INET(curvnet);\n\n\tV_x = 1;\n}\n';
		const row = ' * 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, \xe9\n';
		const blob = `/*\n${row.repeat(Math.ceil((10 << 20) / row.length))} */\n`;
		const text = `${site}${blob}static int g;\n${site.replace('f(', 'h(')}`;
		expect(text.length).toBeGreaterThan(10 << 20);
		const dir = tree({ 'big.c': text });
		const r = await migrate({ paths: ['.'], cwd: dir, mode: 'write' });
		expect(r.exitCode).toBe(0);
		expect(r.files[0].editsByRule).toEqual({ 'remove-init-vnet': 2 });
		expect(readFileSync(path.join(dir, 'big.c')).toString('latin1')).toBe(text.split('\tINIT_VNET_INET(curvnet);\n').join(''));
	});
});

describe('symlinked directories inside the tree', () => {
	it('are not followed by the walk, so nothing is reached twice', async () => {
		const dir = tree({ 'real/a.c': OLD });
		mkdirSync(path.join(dir, 'other'));
		symlinkSync(path.join(dir, 'real'), path.join(dir, 'other/linked'));
		const r = await migrate({ paths: ['.'], cwd: dir, mode: 'check' });
		expect(r.files.map((f) => f.path)).toEqual(['real/a.c']);
	});
});

describe('content', () => {
	it('an INIT_VNET inside a region no parse reads is a warning with its line, left unchanged, counted', async () => {
		const text = 'int\nf(void)\n{\n\tint a = 1 +* / ;\n\tINIT_VNET_INET(curvnet);\n\tV_x = 1;\n}\n';
		const r = await migrate({ files: [{ path: 'x.c', content: text }] });
		expect(r.files[0].status).toBe('unchanged');
		expect(r.files[0].diagnostics.map((d) => `${d.file}:${d.line}: ${d.severity}: ${d.code}`)).toEqual(['x.c:5: warning: init-vnet/unparsed']);
		expect(r.totals).toMatchObject({ warnings: 1, failed: 0 });
		expect(r.exitCode).toBe(0);
	});

	it('Latin-1 bytes anywhere, even inside the edited function, survive byte for byte', async () => {
		const text = '/* Fran\xe7ois, \xa9 2009 */\nvoid\nf(void)\n{\n\tINIT_VNET_INET(curvnet); /* \xe9t\xe9 */\n\tchar *s = "\xff";\n\n\tV_x = 1;\n}\n';
		const r = await migrate({ files: [{ path: 'x.c', content: Buffer.from(text, 'latin1') }] });
		expect(r.files[0].output).toBe(text.replace('\tINIT_VNET_INET(curvnet); /* \xe9t\xe9 */\n', ''));
	});
});

describe('through the command line', () => {
	it('each failure is one stderr line naming the file (and line), counted in the summary; exit 1; the rest written', () => {
		const h = 'struct vnet_foo {\n\tint\t_foo_a;\n};\n\n#define\tVNET_FOO(sym)\tVSYM(vnet_foo, sym)\n#define\tV_foo_a\tVNET_FOO(foo_a)\n';
		const swallowed = '/*-\n * Generaparam.h>\n#include "foo_var.h"\n\nstatic const vnet_modinfo_t vnet_foo_modinfo = {\n' +
			'\t.vmi_id\t= VNET_MOD_FOO,\n\t.vmi_size\t= sizeof(struct vnet_foo),\n};\n';
		const dir = tree({ 'm/foo_var.h': h, 'm/foo.c': swallowed, 'locked.c': OLD, 'ok.c': OLD, 'bin.c': Buffer.from([0x56, 0x5f, 0, 0x0a]) });
		chmodSync(path.join(dir, 'locked.c'), 0o000);
		const r = runCli(['--write', '.'], dir);
		expect(r.status).toBe(1);
		const stderr = r.stderr.toString();
		expect(stderr).toMatch(/^m\/foo\.c:7:\d+: error: internal error: a vnet-define edit lands inside a comment .*\[internal\/in-comment\]$/m);
		expect(stderr).toMatch(/^m\/foo\.c:1:1: warning: unterminated comment \[lex\/problem\]$/m);
		expect(stderr).toMatch(/^locked\.c: error: cannot read: permission denied \[input\/unreadable\]$/m);
		expect(stderr).toMatch(/^bin\.c: error: binary file .*\[input\/binary\]$/m);
		expect(stderr).toMatch(/files: 5 scanned, 2 changed, 0 unchanged, 0 skipped, 3 failed/);
		expect(readLatin1(path.join(dir, 'm/foo.c'))).toBe(swallowed);
		expect(readLatin1(path.join(dir, 'ok.c'))).toBe(NEW);
	});
});
