/*
 * Inputs that must not hurt (issue 10, first part): each is processed
 * without an exception, gets a defined outcome, and keeps every byte the
 * migration does not edit.
 */
import { describe, expect, it } from 'vitest';
import { migrate } from '../src';

const SITE = 'void\nf(void)\n{\n\tINIT_VNET_INET(curvnet);\n\n\tV_x = 1;\n}\n';
const MIGRATED = 'void\nf(void)\n{\n\n\tV_x = 1;\n}\n';

async function one(content: string | Buffer) {
	const r = await migrate({ files: [{ path: 'x.c', content }] });
	return r.files[0];
}

describe('bad input', () => {
	it('an empty file is unchanged', async () => {
		expect((await one('')).status).toBe('unchanged');
	});

	it('a UTF-8 BOM survives and the rest is migrated', async () => {
		const f = await one(`\xef\xbb\xbf${SITE}`);
		expect(f.output).toBe(`\xef\xbb\xbf${MIGRATED}`);
	});

	it('mixed CRLF and LF line ends survive', async () => {
		const f = await one('/* a */\r\nvoid\nf(void)\r\n{\n\tINIT_VNET_INET(curvnet);\r\n\n\tV_x = 1;\r\n}\n');
		expect(f.output).toBe('/* a */\r\nvoid\nf(void)\r\n{\n\n\tV_x = 1;\r\n}\n');
	});

	it('an unterminated comment or string is reported and nothing inside it is touched', async () => {
		const comment = await one(`${SITE}/* never closed\nINIT_VNET_INET(curvnet);\n`);
		expect(comment.output).toBe(`${MIGRATED}/* never closed\nINIT_VNET_INET(curvnet);\n`);
		expect(comment.diagnostics.map((d) => d.code)).toContain('lex/problem');
		const string = await one(`char *s = "open;\n${SITE}`);
		expect(string.status).not.toBe('failed');
		expect(string.diagnostics.map((d) => d.code)).toContain('lex/problem');
	});

	it('very deep nesting neither crashes nor loses the site', async () => {
		const depth = 2000;
		const text = `void\nf(void)\n{\n\tINIT_VNET_INET(curvnet);\n\n${'{'.repeat(depth)}V_x = 1;${'}'.repeat(depth)}\n}\n`;
		const f = await one(text);
		expect(f.output).toBe(text.replace('\tINIT_VNET_INET(curvnet);\n', ''));
	});

	it('a file of NUL bytes is a failure, reported, untouched', async () => {
		const f = await one(Buffer.from([0x49, 0x4e, 0, 0, 0x0a]));
		expect(f.status).toBe('failed');
		expect(f.output).toBeUndefined();
	});

	it('macros that confuse the grammar around the site do not stop the migration', async () => {
		const text = 'static int\nf(struct mbuf *m)\n{\n\tINIT_VNET_INET(curvnet);\n\tstruct ip *ip = mtod(m, struct ip *);\n\n' +
			'\tTAILQ_FOREACH(ifp, &V_ifnet, if_link) {\n\t\tV_x++;\n\t}\n\treturn (ip->ip_v);\n}\n';
		const f = await one(text);
		expect(f.output).toBe(text.replace('\tINIT_VNET_INET(curvnet);\n', ''));
	});
});
