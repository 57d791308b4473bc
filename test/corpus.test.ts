/*
 * The bundled corpus: running remove-init-vnet over corpus/sys and
 * corpus/modules must give corpus/expected/remove-init-vnet/ byte for byte
 * and exactly the diagnostics listed in corpus/expected/remove-init-vnet.diagnostics
 * (reviewed by hand against corpus/README.md); every INIT_VNET site must be
 * either removed or reported.
 */
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lex } from '../src/lex/lexer';
import { migrate, MigrationResult } from '../src';
import { ROOT } from './helpers/run';

const TREES = ['corpus/sys', 'corpus/modules'];

let result: MigrationResult;
beforeAll(async () => {
	result = await migrate({ paths: TREES, cwd: ROOT, mode: 'dry-run', transforms: ['remove-init-vnet'] });
});

describe('bundled corpus', () => {
	it('is migrated without failures', () => {
		expect(result.files.length).toBeGreaterThanOrEqual(15);
		expect(result.totals.failed).toBe(0);
		expect(result.exitCode).toBe(0);
	});

	it('matches corpus/expected file by file', () => {
		for (const f of result.files) {
			const expectedPath = path.join(ROOT, 'corpus/expected/remove-init-vnet', path.relative('corpus', f.path));
			expect(existsSync(expectedPath), `${expectedPath} exists`).toBe(true);
			const input = readFileSync(path.join(ROOT, f.path), 'latin1');
			const expected = readFileSync(expectedPath, 'latin1');
			expect(f.output ?? input, f.path).toBe(expected);
		}
	});

	it('reports exactly the reviewed diagnostics', () => {
		const expected = readFileSync(path.join(ROOT, 'corpus/expected/remove-init-vnet.diagnostics'), 'utf8').trim().split('\n');
		const actual = result.files.flatMap((f) => f.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}`));
		expect(actual).toEqual(expected);
	});

	it('removes every INIT_VNET site except those it reports as warnings', () => {
		let sites = 0;
		for (const f of result.files) {
			const text = readFileSync(path.join(ROOT, f.path), 'latin1');
			const lexed = lex(text);
			const tokens = [...lexed.tokens, ...lexed.directives.flatMap((d) => d.tokens)];
			for (const t of tokens) {
				if (t.kind !== 'ident' || !t.text.startsWith('INIT_VNET_')) continue;
				sites++;
				const removed = f.edits.some((e) => e.start <= t.start && t.end <= e.end);
				const line = text.slice(0, t.start).split('\n').length;
				const reported = f.diagnostics.some((d) => d.severity === 'warning' && d.line === line);
				expect(removed || reported, `${f.path}:${line} ${t.text}`).toBe(true);
			}
		}
		expect(sites).toBeGreaterThan(50);
	});

	it('a second run over the migrated output changes nothing', async () => {
		const files = result.files.map((f) => ({ path: f.path, content: f.output ?? readFileSync(path.join(ROOT, f.path), 'latin1') }));
		const again = await migrate({ files, transforms: ['remove-init-vnet'] });
		expect(again.totals.changed).toBe(0);
	});
});
