import { execFileSync, spawnSync } from 'child_process';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'fs';
import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import { NEW_FUNCTION, OLD_FUNCTION, readLatin1, runCli, scratchTrees } from './helpers/run';

const OLD = OLD_FUNCTION;
const NEW = NEW_FUNCTION;
const LATIN1 = '/* Fran\xe7ois */\r\nvoid\r\ng(void)\r\n{\r\n\tINIT_VNET_NET(curvnet);\r\n\r\n\tV_if_index = 0;\r\n}\r\n';

const scratch = scratchTrees();
const tree = scratch.tree;
afterEach(() => scratch.cleanup());

function git(cwd: string, ...args: string[]): string {
	return execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd }).toString();
}

describe('dry run', () => {
	it('prints a diff that git apply and patch -p1 accept, and writes nothing', () => {
		const dir = tree({ 'sys/netinet/a.c': OLD, 'sys/net/b.c': LATIN1, 'sys/net/plain.c': 'int x;\n' });
		const r = runCli(['sys'], dir);
		expect(r.status).toBe(0);
		expect(readLatin1(path.join(dir, 'sys/netinet/a.c'))).toBe(OLD);
		const patchFile = path.join(dir, '..', `${path.basename(dir)}.patch`);
		writeFileSync(patchFile, r.stdout);
		scratch.track(patchFile);
		git(dir, 'init', '-q');
		git(dir, 'apply', '--check', patchFile);
		execFileSync('patch', ['-p1', '--dry-run', '-i', patchFile], { cwd: dir });
		git(dir, 'apply', patchFile);
		expect(readLatin1(path.join(dir, 'sys/netinet/a.c'))).toBe(NEW);
		expect(readLatin1(path.join(dir, 'sys/net/b.c'))).toBe(LATIN1.replace('\tINIT_VNET_NET(curvnet);\r\n', ''));
		const stderr = r.stderr.toString();
		expect(stderr).toMatch(/files: 3 scanned, 2 to change, 1 unchanged, 0 skipped, 0 failed/);
		expect(stderr).toMatch(/edits: remove-init-vnet 2/);
	});

	it('paths in the diff are relative to the working directory', () => {
		const dir = tree({ 'm/x.c': OLD });
		const r = runCli([path.join(dir, 'm')], dir);
		expect(r.stdout.toString()).toContain('--- a/m/x.c\n+++ b/m/x.c\n');
	});
});

describe('--write', () => {
	it('replaces changed files, keeps their mode, and a second run changes nothing', () => {
		const dir = tree({ 'a.c': OLD, 'b.c': LATIN1, 'c.h': '#define X 1\n' });
		chmodSync(path.join(dir, 'a.c'), 0o640);
		const before = statSync(path.join(dir, 'c.h')).mtimeMs;
		const r = runCli(['--write', '.'], dir);
		expect(r.status).toBe(0);
		expect(readLatin1(path.join(dir, 'a.c'))).toBe(NEW);
		expect(statSync(path.join(dir, 'a.c')).mode & 0o777).toBe(0o640);
		expect(readFileSync(path.join(dir, 'b.c')).includes(0xe7)).toBe(true);
		expect(statSync(path.join(dir, 'c.h')).mtimeMs).toBe(before);
		const again = runCli(['--check', '.'], dir);
		expect(again.status).toBe(0);
		expect(again.stderr.toString()).toMatch(/0 to change/);
	});

	it('reports a read-only file and a binary .c file, leaves them, writes the rest, exits 1', () => {
		const binary = Buffer.concat([Buffer.from('INIT_VNET_INET(curvnet);\n'), Buffer.from([0, 1, 2, 0xff])]);
		const dir = tree({ 'ro.c': OLD, 'bin.c': binary, 'ok.c': OLD });
		chmodSync(path.join(dir, 'ro.c'), 0o444);
		const r = runCli(['--write', '.'], dir);
		expect(r.status).toBe(1);
		const stderr = r.stderr.toString();
		expect(stderr).toMatch(/ro\.c: error: read-only file: not written/);
		expect(stderr).toMatch(/bin\.c: error: binary file/);
		expect(stderr).toMatch(/3 scanned, 1 changed, 0 unchanged, 0 skipped, 2 failed/);
		expect(readLatin1(path.join(dir, 'ro.c'))).toBe(OLD);
		expect(readFileSync(path.join(dir, 'bin.c')).equals(binary)).toBe(true);
		expect(readLatin1(path.join(dir, 'ok.c'))).toBe(NEW);
	});
});

describe('--check, --json and exit codes', () => {
	it('--check exits 1 when a file would change and lists it', () => {
		const dir = tree({ 'a.c': OLD });
		const r = runCli(['--check', '.'], dir);
		expect(r.status).toBe(1);
		expect(r.stdout.toString()).toBe('would change: a.c\n');
		expect(readLatin1(path.join(dir, 'a.c'))).toBe(OLD);
	});

	it('--json prints one document with per-file status, edits, diagnostics, assumptions and diff', () => {
		const dir = tree({ 'a.c': OLD.replace('curvnet', 'so->so_vnet'), 'b.c': 'int y;\n' });
		const r = runCli(['--json', '.'], dir);
		expect(r.status).toBe(0);
		const report = JSON.parse(r.stdout.toString());
		expect(report.totals).toMatchObject({ scanned: 2, changed: 1, unchanged: 1, failed: 0, editsByRule: { 'remove-init-vnet': 1 } });
		const a = report.files.find((f: { path: string }) => f.path === 'a.c');
		expect(a.status).toBe('changed');
		expect(a.edits).toEqual({ 'remove-init-vnet': 1 });
		expect(a.assumptions.map((d: { code: string }) => d.code)).toEqual(['init-vnet/not-curvnet', 'init-vnet/not-in-scope']);
		expect(a.diff).toContain('-\tINIT_VNET_INET(so->so_vnet);');
		expect(r.stderr.toString()).toBe('');
	});

	it('--transform takes one name per use and leaves the paths alone', () => {
		const dir = tree({ 'a.c': OLD, 'b.c': OLD });
		const r = runCli(['-t', 'remove-init-vnet', 'a.c', '--transform=remove-init-vnet,remove-init-vnet', 'b.c'], dir);
		expect(r.status).toBe(0);
		expect(r.stderr.toString()).toMatch(/2 scanned, 2 to change/);
	});

	it('usage errors exit 2', () => {
		const dir = tree({ 'a.c': OLD });
		expect(runCli(['--write', '--check', '.'], dir).status).toBe(2);
		expect(runCli(['--transform', 'no-such', '.'], dir).status).toBe(2);
		expect(runCli(['--bogus'], dir).status).toBe(2);
		expect(runCli([], dir).status).toBe(2);
	});

	it('a missing path is an error naming it, exit 1', () => {
		const dir = tree({ 'a.c': OLD });
		const r = runCli(['a.c', 'nope.c'], dir);
		expect(r.status).toBe(1);
		expect(r.stderr.toString()).toMatch(/nope\.c: error: no such file or directory/);
	});

	it('--help names the modes and exits 0 (its speed is measured in bench/startup.mjs)', () => {
		const r = spawnSync(process.execPath, [path.resolve(__dirname, '../bin/vimage-migrate.js'), '--help']);
		expect(r.status).toBe(0);
		expect(r.stdout.toString()).toMatch(/--dry-run[\s\S]*--write[\s\S]*--check/);
	});
});

describe('symlinks', () => {
	it('processes a file reached twice once, and never writes through a link leaving the trees', async () => {
		const { symlinkSync } = await import('fs');
		const outside = tree({ 'ext.c': OLD });
		const dir = tree({ 'src/a.c': OLD });
		symlinkSync(path.join(dir, 'src/a.c'), path.join(dir, 'src/alias.c'));
		symlinkSync(path.join(outside, 'ext.c'), path.join(dir, 'src/ext.c'));
		// Directory walks skip symlinks; a link named on the command line is followed for reading only.
		const r = runCli(['--write', 'src', 'src/a.c', 'src/alias.c', 'src/ext.c'], dir);
		expect(r.status).toBe(1);
		const stderr = r.stderr.toString();
		expect(stderr).toMatch(/src\/ext\.c: error: a symlink to .*ext\.c, outside the trees given: not written through/);
		expect(stderr).toMatch(/2 scanned/);
		expect(readLatin1(path.join(dir, 'src/a.c'))).toBe(NEW);
		expect(readLatin1(path.join(outside, 'ext.c'))).toBe(OLD);
	});
});

describe('--constructor', () => {
	it('treats the named function as a per-vnet constructor (its constant moves into the definition)', () => {
		const src = [
			'struct vnet_foo {\n\tint\t_foo_limit;\n};\n#define\tVNET_FOO(sym)\tVSYM(vnet_foo, sym)\n#define\tV_foo_limit\tVNET_FOO(foo_limit)\n\n',
			'#ifdef VIMAGE_GLOBALS\nstatic int\tfoo_limit;\n#endif\n\n',
			'void\nfoo_setup(void)\n{\n\n\tV_foo_limit = 16;\n}\n',
		].join('');
		const dir = tree({ 'foo.c': src });
		const without = runCli(['--quiet', '--json', 'foo.c'], dir);
		expect(without.stdout.toString()).not.toContain('foo_limit) = 16');
		const r = runCli(['--json', '--constructor', 'foo_setup', 'foo.c'], dir);
		expect(r.status, r.stderr.toString()).toBe(0);
		const out = JSON.parse(r.stdout.toString());
		expect(out.files[0].diff).toContain('+static VNET_DEFINE(int, foo_limit) = 16;');
		expect(out.files[0].diff).toContain('-\tV_foo_limit = 16;');
	});
});

describe('--html on a migration run', () => {
	it('writes the verdict as an HTML report with --verify, and is a usage error without it', () => {
		const dir = tree({ 'sys/netinet/a.c': OLD });
		const r = runCli(['--verify', '--quiet', '--html', 'report.html', 'sys'], dir);
		expect(r.status, r.stderr.toString()).toBe(0);
		const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
		expect(html).toContain('<svg');
		expect(html).toContain('PASS');
		const bad = runCli(['--quiet', '--html', 'other.html', 'sys'], dir);
		expect(bad.status).toBe(2);
		expect(bad.stderr.toString()).toContain('--html needs --verify');
	});
});
