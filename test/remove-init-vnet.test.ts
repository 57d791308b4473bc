import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { removeInitVnetText } from './helpers/run';

const FIXTURES = path.join(__dirname, 'fixtures/remove-init-vnet');
const inputs = readdirSync(FIXTURES).filter((f) => /\.[ch]$/.test(f) && !f.includes('.expected.'));

describe('remove-init-vnet golden pairs', () => {
	it('has fixtures', () => expect(inputs.length).toBeGreaterThanOrEqual(5));
	for (const name of inputs) {
		it(name, () => {
			const input = readFileSync(path.join(FIXTURES, name), 'latin1');
			const expected = readFileSync(path.join(FIXTURES, name.replace(/\.([ch])$/, '.expected.$1')), 'latin1');
			const { output } = removeInitVnetText(input, name);
			expect(output).toBe(expected);
			// Idempotence: a second run changes nothing.
			expect(removeInitVnetText(output, name).output).toBe(output);
		});
	}
});

function codes(text: string) {
	return removeInitVnetText(text).diagnostics.map((d) => `${d.line}:${d.code}`);
}

describe('remove-init-vnet reports', () => {
	it('reports every non-curvnet argument but one right after CURVNET_SET of the same vnet', () => {
		const text = readFileSync(path.join(FIXTURES, 'vnets.c'), 'latin1');
		expect(codes(text)).toEqual([
			'24:init-vnet/sysctl-handler',
			'35:init-vnet/not-curvnet',
			'43:init-vnet/not-curvnet',
			'43:init-vnet/not-in-scope',
			'53:init-vnet/not-curvnet',
		]);
	});

	it('reports a CURVNET_SET of another vnet', () => {
		const text = 'void\nf(struct vnet *a, struct vnet *b)\n{\n\tCURVNET_SET(a);\n\tINIT_VNET_INET(b);\n\tV_x = 1;\n}\n';
		expect(codes(text)).toEqual(['5:init-vnet/not-curvnet']);
	});

	it('leaves a site inside an unparseable region and reports it; safe sites still go', () => {
		const text = readFileSync(path.join(FIXTURES, 'hopeless.c'), 'latin1');
		const r = removeInitVnetText(text);
		expect(r.diagnostics.map((d) => `${d.line}:${d.severity}:${d.code}`)).toEqual([
			'17:warning:init-vnet/unparsed',
			'21:warning:init-vnet/unparsed',
		]);
		expect(r.deletions).toHaveLength(1);
	});

	it('removes INIT_VNET statements from other macros\' bodies, noting a non-curvnet argument; reports and keeps one that is no statement', () => {
		const text = readFileSync(path.join(FIXTURES, 'header.h'), 'latin1');
		const r = removeInitVnetText(text, 'header.h');
		expect(r.diagnostics.map((d) => `${d.line}:${d.severity}:${d.code}`)).toEqual([
			'32:note:init-vnet/not-curvnet',
			'37:warning:init-vnet/in-directive',
			'38:warning:init-vnet/in-directive',
		]);
		expect(r.output).toContain('#define\tFOO_PROLOGUE()\tdo { } while (0)');
		expect(r.output).toContain('#define\tFOO_CONTEXT(v)\tINIT_VNET_FOO(v)');
		expect(r.output).toContain('if (c) INIT_VNET_FOO(curvnet);');
	});

	it('knows the parameters SYSCTL_HANDLER_ARGS declares', () => {
		const text = 'static int\nh(SYSCTL_HANDLER_ARGS)\n{\n\tINIT_VNET_INET(TD_TO_VNET(req->td));\n\n\treturn (0);\n}\n';
		expect(codes(text)).toEqual(['4:init-vnet/sysctl-handler']);
	});

	it('removes a site missing its semicolon when it stands alone', () => {
		const text = 'void\nf(void)\n{\n\tINIT_VNET_INET(curvnet)\n\tstruct ip *ip;\n\n\tip = 0;\n}\n';
		expect(removeInitVnetText(text).output).toBe('void\nf(void)\n{\n\tstruct ip *ip;\n\n\tip = 0;\n}\n');
	});

	it('never removes the body of an if or else', () => {
		const text = 'void\nf(int a)\n{\n\tif (a)\n\t\tINIT_VNET_INET(curvnet);\n\tV_x = a;\n}\n';
		const r = removeInitVnetText(text);
		expect(r.output).toBe(text);
		expect(r.diagnostics.map((d) => d.code)).toEqual(['init-vnet/unparsed']);
	});
});

describe('bytes outside the edits survive', () => {
	it('keeps Latin-1 bytes', () => {
		const text = '/* Copyright Jos\xe9 M\xfcller */\nvoid\nf(void)\n{\n\tINIT_VNET_INET(curvnet);\n\n\tV_x = 1; /* \xa7 */\n}\n';
		const { output } = removeInitVnetText(text);
		expect(output).toBe(text.replace('\tINIT_VNET_INET(curvnet);\n', ''));
		expect(Buffer.from(output, 'latin1').includes(0xe9)).toBe(true);
	});

	it('keeps CRLF line ends and removes whole CRLF lines', () => {
		const text = 'void\r\nf(void)\r\n{\r\n\tINIT_VNET_INET(curvnet);\r\n\tint x;\r\n\r\n\tx = V_y;\r\n}\r\n';
		expect(removeInitVnetText(text).output).toBe('void\r\nf(void)\r\n{\r\n\tint x;\r\n\r\n\tx = V_y;\r\n}\r\n');
	});

	it('applies safe edits in a file with a syntax error elsewhere', () => {
		const text = 'int broken = (;\n\nvoid\nf(void)\n{\n\tINIT_VNET_NET(curvnet);\n\n\tV_if_index = 0;\n}\n';
		expect(removeInitVnetText(text).output).toBe('int broken = (;\n\nvoid\nf(void)\n{\n\n\tV_if_index = 0;\n}\n');
	});
});
