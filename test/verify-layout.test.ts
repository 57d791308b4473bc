/*
 * verify's layout of the tree's own types: struct definitions (bit-fields,
 * __packed, __aligned), typedefs, constant macros as array bounds, queue
 * heads; what it cannot lay out is unknown with the reason, never a size.
 */
import { describe, expect, it } from 'vitest';
import { scanSources } from '../src/index/scan';
import { evaluateConstant, sizeIn, TreeTypes, definitionMemberType } from '../src/verify/layout';
import { isUnknown } from '../src/model/layout';

const SOURCE = `#include <net/vnet.h>
#define	NSLOTS		(2 * HALF)
#define	HALF		3
#define	WIDTH		5
struct flags {
	u_int	f_a:WIDTH, f_b:3;
	u_char	f_c;
};
struct wire {
	u_char	w_type;
	u_int	w_len;
} __packed;
struct page {
	char	p_data[64];
} __aligned(128);
struct maybe {
	int	m_a;
#ifdef MAYBE_B
	int	m_b;
#endif
};
struct inl {
	struct { int x; } i_in;
};
typedef struct flags flags_t;
typedef int hook_t(struct mbuf *, int);
VNET_DEFINE(flags_t, v_flags[NSLOTS]);
VNET_DEFINE(struct wire, v_wire);
VNET_DEFINE(struct page, v_page);
VNET_DEFINE(struct maybe, v_maybe);
VNET_DEFINE(struct inl, v_inl);
VNET_DEFINE(hook_t *, v_hook);
VNET_DEFINE(TAILQ_HEAD(slotq, flags), v_q);
VNET_DEFINE(struct slotq, v_q2);
VNET_DEFINE(struct nowhere, v_none);
`;

async function sizes(arch: 'amd64' | 'i386') {
	const index = await scanSources([{ path: 'x.c', read: async () => Buffer.from(SOURCE, 'latin1') }]);
	const types = new TreeTypes(index);
	const out: Record<string, number | string> = {};
	for (const d of index.parts[0].vnetDefinitions) {
		const l = sizeIn(types, definitionMemberType(d), 'x.c', arch);
		out[d.name] = isUnknown(l) ? l.unknown : `${l.size}/${l.align}`;
	}
	return out;
}

describe('verify layout of the tree\'s types', () => {
	it('lays out structs, typedefs, bounds and queue heads from the definitions (amd64 and i386)', async () => {
		const amd64 = await sizes('amd64');
		expect(amd64).toMatchObject({
			v_flags: '24/4', // f_a and f_b fill the first byte of a u_int, f_c is the second: 4 bytes; NSLOTS = 2 * 3
			v_wire: '5/1',
			v_page: '128/128',
			v_hook: '8/8',
			v_q: '16/8',
			v_q2: '16/8', // struct slotq is defined by the TAILQ_HEAD above
		});
		const i386 = await sizes('i386');
		expect(i386).toMatchObject({ v_flags: '24/4', v_wire: '5/1', v_page: '128/128', v_hook: '4/4', v_q: '8/4', v_q2: '8/4' });
	});

	it('reports what it cannot lay out, with the reason', async () => {
		const r = await sizes('amd64');
		expect(r.v_maybe).toBe('struct maybe: member m_b is under `#ifdef MAYBE_B`: the size depends on the configuration');
		expect(r.v_inl).toMatch(/^struct inl: member i_in: .*inline/);
		expect(r.v_none).toBe('struct nowhere is not defined in the tree');
	});

	it('takes bounds from a header without old-design tokens, read for its #defines only (no parse)', async () => {
		const files: Record<string, string> = {
			'slots.h': '#ifndef _SLOTS_H_\n#define _SLOTS_H_\n#define\tNQUEUES\t(2 * QHALF)\n#define\tQHALF\t4\nstruct slotinfo { int s_n; };\n#endif\n',
			'plain.c': '#define\tNLOCAL\t9\nint plain;\n',
			'x.c': '#include "slots.h"\n#include <net/vnet.h>\nVNET_DEFINE(int, v_queues[NQUEUES]);\n',
		};
		const index = await scanSources(Object.entries(files).map(([p, text]) => ({ path: p, read: async () => Buffer.from(text, 'latin1') })));
		// The header lends its macros; its struct is not read (not parsed), nor is it one of the indexed files.
		const header = index.parts.find((p) => p.file === 'slots.h');
		expect(header).toMatchObject({ macrosOnly: true, definedMacros: ['NQUEUES', 'QHALF', '_SLOTS_H_'] });
		expect(header?.records).toBeUndefined();
		expect(index.parts.find((p) => p.file === 'slots.h')?.constantMacros?.map((c) => c.name)).toEqual(['NQUEUES', 'QHALF']);
		expect(index.files).toEqual(['x.c']);
		// A token-free .c file's macros are its own: not read.
		expect(index.parts.map((p) => p.file)).not.toContain('plain.c');
		const d = index.parts.find((p) => p.file === 'x.c')!.vnetDefinitions[0];
		const l = sizeIn(new TreeTypes(index), definitionMemberType(d), 'x.c', 'amd64');
		expect(isUnknown(l) ? l.unknown : `${l.size}/${l.align}`).toBe('32/4');
	});

	it('evaluates constant expressions through macros, and nothing else', () => {
		const macros: Record<string, string> = { A: '(1 << 4)', B: 'A * 3 + 010', C: 'C + 1', D: 'sizeof(int)' };
		const look = (n: string) => macros[n];
		expect(evaluateConstant('B', look)).toBe(56);
		expect(evaluateConstant('0x10 | 3', look)).toBe(19);
		expect(evaluateConstant('(A - 1) / 5 % 2', look)).toBe(1);
		expect(evaluateConstant('C', look)).toBeUndefined();
		expect(evaluateConstant('D', look)).toBeUndefined();
		expect(evaluateConstant('E', look)).toBeUndefined();
		expect(evaluateConstant('1 +', look)).toBeUndefined();
	});
});
