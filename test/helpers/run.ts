/** Test helpers: temporary trees and running the built CLI. */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import { chmodSync, cpSync, lstatSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { ParsedFile } from '../../src/parse/parsed-file';
import { applyResults } from '../../src/edit/compose';
import { emptyIndex } from '../../src/index/corpus-index';
import { removeInitVnet } from '../../transforms/remove-init-vnet';

export const ROOT = path.resolve(__dirname, '../..');
export const CLI = path.join(ROOT, 'bin/vimage-migrate.js');

export function tempTree(files: Record<string, string | Buffer>): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'vimage-test-'));
	for (const [name, content] of Object.entries(files)) {
		const p = path.join(dir, name);
		mkdirSync(path.dirname(p), { recursive: true });
		writeFileSync(p, typeof content === 'string' ? Buffer.from(content, 'latin1') : content);
	}
	return dir;
}

export function removeTree(dir: string): void {
	rmSync(dir, { recursive: true, force: true });
}

/** A function with one INIT_VNET_INET statement, and what remove-init-vnet makes of it. */
export const OLD_FUNCTION = 'static int\nf(void)\n{\n\tINIT_VNET_INET(curvnet);\n\tint x;\n\n\tx = V_ipforwarding;\n\treturn (x);\n}\n';
export const NEW_FUNCTION = 'static int\nf(void)\n{\n\tint x;\n\n\tx = V_ipforwarding;\n\treturn (x);\n}\n';

/**
 * Temporary trees (and other paths) a test file makes, removed by `cleanup`
 * (call it in `afterEach`) even when a test left them read-only or removed them.
 */
export function scratchTrees(): { tree(files: Record<string, string | Buffer>): string; track(p: string): void; cleanup(): void } {
	let paths: string[] = [];
	return {
		tree(files) {
			const d = tempTree(files);
			paths.push(d);
			return d;
		},
		track(p) {
			paths.push(p);
		},
		cleanup() {
			for (const p of paths) {
				try {
					chmodRecursive(p);
				} catch {
					/* already gone */
				}
				removeTree(p);
			}
			paths = [];
		},
	};
}

function chmodRecursive(p: string): void {
	const st = lstatSync(p);
	if (st.isSymbolicLink()) return;
	chmodSync(p, st.mode | 0o700);
	if (st.isDirectory()) for (const e of readdirSync(p)) chmodRecursive(path.join(p, e));
}

export function runCli(args: string[], cwd: string): SpawnSyncReturns<Buffer> {
	return spawnSync(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
}

export function readLatin1(p: string): string {
	return readFileSync(p).toString('latin1');
}

/** Runs remove-init-vnet on text; returns the new text and the diagnostics. */
export function removeInitVnetText(text: string, name = 'test.c') {
	const file = new ParsedFile(name, text);
	const result = removeInitVnet(file, emptyIndex());
	return { output: applyResults(file, [result]), ...result };
}

/** A scratch copy of a golden fixture's `input/` tree; `removeTree` it when done. */
export function copyFixtureInput(fixture: string): string {
	const dir = mkdtempSync(path.join(tmpdir(), `${path.basename(fixture)}-`));
	cpSync(path.join(fixture, 'input'), dir, { recursive: true });
	return dir;
}
