import { execFileSync } from 'child_process';
import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTree, ROOT, runCli, tempTree } from './helpers/run';

const FIXTURES = path.join(__dirname, 'fixtures/remove-init-vnet');

/** UTF-8 inputs: jscodeshift reads and writes UTF-8, so only such files are comparable. */
function fixtureTree(): Record<string, string> {
	const files: Record<string, string> = {};
	for (const f of readdirSync(FIXTURES)) {
		if (!f.includes('.expected.')) files[`sys/${f}`] = readFileSync(path.join(FIXTURES, f), 'latin1');
	}
	files['sys/utf8.c'] = Buffer.from('/* Gr\u00fc\u00dfe, \u00e9t\u00e9 */\nvoid\nf(void)\n{\n\tINIT_VNET_INET(curvnet);\n\n\tV_x = 1;\n}\n', 'utf8').toString('latin1');
	files['sys/notes.txt'] = 'INIT_VNET_INET(curvnet);\n';
	return files;
}

describe('jscodeshift compatibility', () => {
	const ours = tempTree(fixtureTree());
	const theirs = tempTree(fixtureTree());
	afterAll(() => {
		removeTree(ours);
		removeTree(theirs);
	});

	it('the real jscodeshift CLI with --extensions=c,h gives the same files as our --write', () => {
		const jscodeshift = path.join(ROOT, 'node_modules/.bin/jscodeshift');
		const log = execFileSync(jscodeshift, ['-t', path.join(ROOT, 'transforms/remove-init-vnet.ts'), '--extensions=c,h', '--run-in-band', 'sys'], {
			cwd: theirs,
		}).toString();
		expect(log).toMatch(/0 errors/);
		expect(runCli(['--write', '-t', 'remove-init-vnet', 'sys'], ours).status).toBe(0);
		const input = fixtureTree();
		const names = readdirSync(path.join(ours, 'sys')).sort();
		expect(names.length).toBeGreaterThanOrEqual(7);
		let changed = 0;
		for (const n of names) {
			const a = readFileSync(path.join(ours, 'sys', n), 'latin1');
			expect(readFileSync(path.join(theirs, 'sys', n), 'latin1'), n).toBe(a);
			if (a !== input[`sys/${n}`]) changed++;
		}
		// Every .c/.h input holds INIT_VNET sites to remove.
		expect(changed).toBe(names.length - 1);
		// The .txt file is outside --extensions for both tools.
		expect(readFileSync(path.join(theirs, 'sys/notes.txt'), 'latin1')).toBe('INIT_VNET_INET(curvnet);\n');
	});
});
