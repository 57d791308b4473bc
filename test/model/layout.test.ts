import { describe, expect, it } from 'vitest';
import {
	cArray,
	cEnum,
	cFunction,
	cName,
	cPointer,
	cQueue,
	cStruct,
	cUnion,
	CType,
	queueRecord,
	RecordDef,
	typeToString,
} from '../../src/model/ctype';
import { alignOf, baseType, layoutEnv, layoutOf, recordLayoutOf, resolveTypedefs, sizeOf } from '../../src/model/layout';

const n = cName;

describe('typeToString', () => {
	it('spells declarations the C way, inside out', () => {
		expect(typeToString(cPointer(cStruct('ifnet')))).toBe('struct ifnet *');
		expect(typeToString(cPointer(cStruct('ifnet')), 'loif')).toBe('struct ifnet *loif');
		expect(typeToString(cArray(cQueue('TAILQ_HEAD', 'ipq', 'ipqhead'), 'IPREASS_NHASH'), 'ipq')).toBe('TAILQ_HEAD(ipqhead, ipq) ipq[IPREASS_NHASH]');
		expect(typeToString(cQueue('LIST_HEAD', 'rawcb'), 'rawcb_list')).toBe('LIST_HEAD(, rawcb) rawcb_list');
		expect(typeToString(cQueue('TAILQ_ENTRY', 'ifnet'))).toBe('TAILQ_ENTRY(ifnet)');
		expect(typeToString(cArray(n('u_char'), 32), 'isn_secret')).toBe('u_char isn_secret[32]');
		expect(typeToString(cArray(cArray(n('int'), 3), 2), 'a')).toBe('int a[2][3]');
		expect(typeToString(cArray(cPointer(n('char')), 4), 'v')).toBe('char *v[4]');
		expect(typeToString(cPointer(cArray(n('char'), 16)), 'p')).toBe('char (*p)[16]');
	});
	it('spells function pointers, function types and qualifiers', () => {
		const hook = cPointer(cFunction(n('int'), [n('int')]));
		expect(typeToString(hook, 'hook')).toBe('int (*hook)(int)');
		expect(typeToString(hook)).toBe('int (*)(int)');
		expect(typeToString(cFunction(n('int'), [cPointer(n('void', ['const']))]), 'vnet_attach_fn')).toBe('int vnet_attach_fn(const void *)');
		expect(typeToString(cFunction(n('void'), []), 'f')).toBe('void f(void)');
		expect(typeToString(cFunction(n('int'), 'unspecified'), 'g')).toBe('int g()');
		expect(typeToString(cFunction(n('int'), [cPointer(n('char', ['const']))], true), 'printf')).toBe('int printf(const char *, ...)');
		expect(typeToString(cPointer(n('char'), ['const']), 'p')).toBe('char *const p');
		expect(typeToString(cPointer(n('char', ['const'])))).toBe('const char *');
		const anon: CType = {
			kind: 'struct',
			members: [
				{ name: 'a', type: n('int') },
				{ name: 'b', type: n('u_int'), bits: 3 },
				{ type: n('int'), bits: 0 },
			],
		};
		expect(typeToString(anon, 's')).toBe('struct { int a; u_int b:3; int :0; } s');
	});
});

describe('base types', () => {
	it('reads every spelling of the standard types', () => {
		expect(baseType('unsigned')).toEqual({ kind: 'int', unsigned: true, integer: true });
		expect(baseType('long unsigned int')).toEqual({ kind: 'long', unsigned: true, integer: true });
		expect(baseType('long long')?.kind).toBe('long long');
		expect(baseType('signed char')?.kind).toBe('char');
		expect(baseType('long double')?.kind).toBe('long double');
		expect(baseType('short int')?.kind).toBe('short');
		expect(baseType('u_int')).toBeUndefined();
		expect(baseType('long char')).toBeUndefined();
		expect(baseType('unsigned signed')).toBeUndefined();
	});
	it('amd64 is LP64', () => {
		const l = (s: string) => layoutOf(n(s), 'amd64');
		expect([l('char'), l('short'), l('int'), l('long'), l('unsigned long int'), l('long long'), l('double'), l('long double')]).toEqual([
			{ size: 1, align: 1 },
			{ size: 2, align: 2 },
			{ size: 4, align: 4 },
			{ size: 8, align: 8 },
			{ size: 8, align: 8 },
			{ size: 8, align: 8 },
			{ size: 8, align: 8 },
			{ size: 16, align: 16 },
		]);
		expect(layoutOf(cPointer(n('void')), 'amd64')).toEqual({ size: 8, align: 8 });
	});
	it('i386 is ILP32 with 8-byte scalars aligned to 4', () => {
		const l = (s: string) => layoutOf(n(s), 'i386');
		expect([l('long'), l('long long'), l('double'), l('long double')]).toEqual([
			{ size: 4, align: 4 },
			{ size: 8, align: 4 },
			{ size: 8, align: 4 },
			{ size: 12, align: 4 },
		]);
		expect(layoutOf(cPointer(cStruct('undefined_anywhere')), 'i386')).toEqual({ size: 4, align: 4 });
	});
	it('void has no size', () => {
		expect(layoutOf(n('void'), 'amd64')).toEqual({ unknown: 'void has no size' });
	});
});

describe('kernel typedefs', () => {
	const both = (name: string) => [layoutOf(n(name), 'amd64'), layoutOf(n(name), 'i386')];
	it('have their FreeBSD 8 sizes on each architecture', () => {
		expect(both('u_char')).toEqual([{ size: 1, align: 1 }, { size: 1, align: 1 }]);
		expect(both('u_short')).toEqual([{ size: 2, align: 2 }, { size: 2, align: 2 }]);
		expect(both('u_int')).toEqual([{ size: 4, align: 4 }, { size: 4, align: 4 }]);
		expect(both('u_long')).toEqual([{ size: 8, align: 8 }, { size: 4, align: 4 }]);
		expect(both('uint32_t')).toEqual([{ size: 4, align: 4 }, { size: 4, align: 4 }]);
		expect(both('u_int16_t')).toEqual([{ size: 2, align: 2 }, { size: 2, align: 2 }]);
		expect(both('uint64_t')).toEqual([{ size: 8, align: 8 }, { size: 8, align: 4 }]);
		expect(both('int8_t')).toEqual([{ size: 1, align: 1 }, { size: 1, align: 1 }]);
		expect(both('size_t')).toEqual([{ size: 8, align: 8 }, { size: 4, align: 4 }]);
		expect(both('ssize_t')).toEqual([{ size: 8, align: 8 }, { size: 4, align: 4 }]);
		expect(both('uintptr_t')).toEqual([{ size: 8, align: 8 }, { size: 4, align: 4 }]);
		expect(both('vm_offset_t')).toEqual([{ size: 8, align: 8 }, { size: 4, align: 4 }]);
		expect(both('time_t')).toEqual([{ size: 8, align: 8 }, { size: 4, align: 4 }]);
		expect(both('off_t')).toEqual([{ size: 8, align: 8 }, { size: 8, align: 4 }]);
		expect(both('caddr_t')).toEqual([{ size: 8, align: 8 }, { size: 4, align: 4 }]);
		expect(both('uma_zone_t')).toEqual([{ size: 8, align: 8 }, { size: 4, align: 4 }]);
		expect(both('tcp_seq')).toEqual([{ size: 4, align: 4 }, { size: 4, align: 4 }]);
	});
	it('uma_zone_t is struct uma_zone *', () => {
		expect(resolveTypedefs(n('uma_zone_t'), 'amd64', {})).toEqual(cPointer(cStruct('uma_zone')));
		expect(resolveTypedefs(n('size_t'), 'i386', {})).toEqual(n('unsigned int'));
	});
	it('are not guessed when not known: vm_paddr_t depends on PAE', () => {
		expect(layoutOf(n('vm_paddr_t'), 'i386')).toEqual({ unknown: 'type vm_paddr_t is not defined in the tree' });
	});
	it('the tree adds its own typedefs, and a cycle is reported', () => {
		const env = layoutEnv({ typedefs: { ipfw_counter: n('u_int64_t'), hook_t: cFunction(n('int'), [n('int')]), a_t: n('b_t'), b_t: n('a_t') } });
		expect(layoutOf(n('ipfw_counter'), 'i386', env)).toEqual({ size: 8, align: 4 });
		expect(layoutOf(n('hook_t'), 'amd64', env)).toEqual({ unknown: 'a function type has no size (only a pointer to it has)' });
		expect(layoutOf(cPointer(n('hook_t')), 'amd64', env)).toEqual({ size: 8, align: 8 });
		expect(layoutOf(n('a_t'), 'amd64', env)).toEqual({ unknown: 'typedef a_t refers to itself' });
		expect(resolveTypedefs(n('a_t'), 'amd64', env)).toEqual({ unknown: 'typedef a_t refers to itself' });
	});
});

describe('queue(3) macros', () => {
	it('have sys/queue.h layouts', () => {
		const sizes = (['SLIST_HEAD', 'STAILQ_HEAD', 'LIST_HEAD', 'TAILQ_HEAD', 'SLIST_ENTRY', 'STAILQ_ENTRY', 'LIST_ENTRY', 'TAILQ_ENTRY'] as const).map(
			(m) => [sizeOf(cQueue(m, 'x'), 'amd64'), sizeOf(cQueue(m, 'x'), 'i386')],
		);
		expect(sizes).toEqual([
			[8, 4],
			[16, 8],
			[8, 4],
			[16, 8],
			[8, 4],
			[8, 4],
			[16, 8],
			[16, 8],
		]);
		expect(queueRecord(cQueue('TAILQ_HEAD', 'ipq', 'ipqhead'))).toEqual({
			kind: 'struct',
			tag: 'ipqhead',
			members: [
				{ name: 'tqh_first', type: cPointer(cStruct('ipq')) },
				{ name: 'tqh_last', type: cPointer(cPointer(cStruct('ipq'))) },
			],
		});
	});
	it('an array of heads with a macro bound: TAILQ_HEAD(ipqhead, ipq) ipq[IPREASS_NHASH]', () => {
		const t = cArray(cQueue('TAILQ_HEAD', 'ipq', 'ipqhead'), 'IPREASS_NHASH');
		const env = layoutEnv({ constants: { IPREASS_NHASH: 64 } });
		expect(layoutOf(t, 'amd64', env)).toEqual({ size: 1024, align: 8 });
		expect(layoutOf(t, 'i386', env)).toEqual({ size: 512, align: 4 });
		expect(layoutOf(t, 'amd64')).toEqual({ unknown: 'array bound `IPREASS_NHASH` cannot be evaluated' });
	});
	it('a named head can be registered as its struct tag', () => {
		const env = layoutEnv({ records: [queueRecord(cQueue('LIST_HEAD', 'rawcb', 'rawcb_list_head'))] });
		expect(layoutOf(cStruct('rawcb_list_head'), 'amd64', env)).toEqual({ size: 8, align: 8 });
	});
});

describe('arrays', () => {
	it('evaluates integer literal bounds itself', () => {
		for (const b of ['32', '0x20', '040', '32U', '32UL']) expect(sizeOf(cArray(n('u_char'), b), 'amd64')).toBe(32);
	});
	it('reports what it cannot size', () => {
		expect(layoutOf(cArray(n('int')), 'amd64')).toEqual({ unknown: 'array of unspecified length (`[]`) has no size' });
		const env = layoutEnv({ constants: { NEG: -1 } });
		expect(layoutOf(cArray(n('int'), 'NEG'), 'amd64', env)).toEqual({ unknown: 'array bound `NEG` is -1, not a size' });
		expect(layoutOf(cArray(n('int'), '2 * N'), 'amd64', env)).toEqual({ unknown: 'array bound `2 * N` cannot be evaluated' });
	});
	it('passes the architecture to the bound resolver', () => {
		const env = { constant: (e: string, arch: string) => (e === 'sizeof(long)' ? (arch === 'amd64' ? 8 : 4) : undefined) };
		expect(sizeOf(cArray(n('char'), 'sizeof(long)'), 'amd64', env)).toBe(8);
		expect(sizeOf(cArray(n('char'), 'sizeof(long)'), 'i386', env)).toBe(4);
	});
});

describe('structs and unions from their definitions', () => {
	const rec = (tag: string, members: RecordDef['members'], extra: Partial<RecordDef> = {}): RecordDef => ({ kind: 'struct', tag, members, ...extra });
	const env = layoutEnv({
		records: [
			rec('pad', [
				{ name: 'c', type: n('char') },
				{ name: 'i', type: n('int') },
				{ name: 'd', type: n('char') },
			]),
			rec('t', [
				{ name: 'a', type: n('int') },
				{ name: 'b', type: n('long long') },
			]),
			rec('in_addr', [{ name: 's_addr', type: n('in_addr_t') }]),
			// netinet/ip.h: bit-fields, __packed __aligned(4)
			rec(
				'ip',
				[
					{ name: 'ip_hl', type: n('u_int'), bits: 4 },
					{ name: 'ip_v', type: n('u_int'), bits: 4 },
					{ name: 'ip_tos', type: n('u_char') },
					{ name: 'ip_len', type: n('u_short') },
					{ name: 'ip_id', type: n('u_short') },
					{ name: 'ip_off', type: n('u_short') },
					{ name: 'ip_ttl', type: n('u_char') },
					{ name: 'ip_p', type: n('u_char') },
					{ name: 'ip_sum', type: n('u_short') },
					{ name: 'ip_src', type: cStruct('in_addr') },
					{ name: 'ip_dst', type: cStruct('in_addr') },
				],
				{ packed: true, aligned: 4 },
			),
			rec('bf', [
				{ name: 'a', type: n('unsigned'), bits: 3 },
				{ name: 'b', type: n('unsigned'), bits: 30 },
				{ name: 'c', type: n('char') },
			]),
			rec('bf3', [
				{ name: 'a', type: n('char') },
				{ type: n('int'), bits: 0 },
				{ name: 'b', type: n('char') },
			]),
			rec('bf5', [
				{ name: 'a', type: n('short'), bits: 9 },
				{ name: 'b', type: n('short'), bits: 9 },
			]),
			rec('al', [
				{ name: 'c', type: n('char') },
				{ name: 'x', type: n('int'), aligned: 16 },
			]),
			rec('fam', [
				{ name: 'c', type: n('char') },
				{ name: 'd', type: cArray(n('long')) },
			]),
			rec('vl', [
				{ name: 'a', type: n('char') },
				{
					name: 'in',
					type: {
						kind: 'struct',
						members: [
							{ name: 'x', type: n('char') },
							{ name: 'y', type: n('short') },
						],
					},
				},
				{ name: 'b', type: n('char') },
			]),
			{ kind: 'union', tag: 'u', members: [{ name: 'c', type: cArray(n('char'), 5) }, { name: 'i', type: n('int') }] },
			// sys/vimage.h of the corpus
			rec('vnet', [
				{ name: 'vnet_le', type: cQueue('LIST_ENTRY', 'vnet') },
				{ name: 'vnet_magic_n', type: n('u_int') },
				{ name: 'vnet_ifcnt', type: n('u_int') },
				{ name: 'vnet_sockcnt', type: n('u_int') },
				{ name: 'mod_data', type: cArray(cPointer(n('void')), 'VNET_MOD_MAX') },
			]),
			rec('nd6', [
				{ name: 'n', type: n('int') },
				{ name: 'timer', type: cStruct('callout') },
			]),
			rec('selfish', [{ name: 'me', type: cStruct('selfish') }]),
			rec('list', [{ name: 'next', type: cPointer(cStruct('list')) }]),
			rec('wide', [{ name: 'w', type: n('long long'), bits: 40 }]),
			rec('bad', [{ name: 'p', type: cPointer(n('int')), bits: 3 }]),
		],
		constants: { VNET_MOD_MAX: 16 },
	});
	const both = (t: CType) => [layoutOf(t, 'amd64', env), layoutOf(t, 'i386', env)];
	const offsets = (tag: string, arch: 'amd64' | 'i386' = 'amd64') => {
		const r = recordLayoutOf(cStruct(tag), arch, env);
		if ('unknown' in r) throw new Error(r.unknown);
		return r.members.map((m) => m.offset);
	};

	// Expected values were checked against gcc 12 -m64 and -m32 on this machine.
	it('pads members to their alignment and the size to the struct alignment', () => {
		expect(both(cStruct('pad'))).toEqual([{ size: 12, align: 4 }, { size: 12, align: 4 }]);
		expect(offsets('pad')).toEqual([0, 4, 8]);
		expect(both(cStruct('t'))).toEqual([{ size: 16, align: 8 }, { size: 12, align: 4 }]);
		expect(offsets('t', 'i386')).toEqual([0, 4]);
		expect(both(cUnion('u'))).toEqual([{ size: 8, align: 4 }, { size: 8, align: 4 }]);
		expect(both(cStruct('vl'))).toEqual([{ size: 8, align: 2 }, { size: 8, align: 2 }]);
		expect(offsets('vl')).toEqual([0, 2, 6]);
	});
	it('lays out struct vnet of the corpus on both architectures', () => {
		expect(both(cStruct('vnet'))).toEqual([{ size: 160, align: 8 }, { size: 84, align: 4 }]);
		expect(offsets('vnet')).toEqual([0, 16, 20, 24, 32]);
		expect(offsets('vnet', 'i386')).toEqual([0, 8, 12, 16, 20]);
	});
	it('packed, aligned and bit-fields: struct ip is 20 bytes', () => {
		expect(both(cStruct('ip'))).toEqual([{ size: 20, align: 4 }, { size: 20, align: 4 }]);
		expect(offsets('ip')).toEqual([0, 0, 1, 2, 4, 6, 8, 9, 10, 12, 16]);
		const r = recordLayoutOf(cStruct('ip'), 'amd64', env);
		expect('members' in r && r.members.slice(0, 2).map((m) => [m.bitOffset, m.bits])).toEqual([
			[0, 4],
			[4, 4],
		]);
	});
	it('bit-fields do not straddle their storage unit; unnamed zero-width ones pad without aligning', () => {
		expect(both(cStruct('bf'))).toEqual([{ size: 12, align: 4 }, { size: 12, align: 4 }]);
		expect(offsets('bf')).toEqual([0, 4, 8]);
		expect(layoutOf(cStruct('bf3'), 'amd64', env)).toEqual({ size: 5, align: 1 });
		expect(offsets('bf3')).toEqual([0, 4, 4]);
		expect(layoutOf(cStruct('bf5'), 'i386', env)).toEqual({ size: 4, align: 2 });
	});
	it('member __aligned and flexible array members', () => {
		expect(layoutOf(cStruct('al'), 'amd64', env)).toEqual({ size: 32, align: 16 });
		expect(offsets('al')).toEqual([0, 16]);
		expect(both(cStruct('fam'))).toEqual([{ size: 8, align: 8 }, { size: 4, align: 4 }]);
	});
	it('an undefined struct is unknown, and the reason names the path to it', () => {
		expect(layoutOf(cStruct('callout'), 'amd64', env)).toEqual({ unknown: 'struct callout is not defined in the tree' });
		expect(layoutOf(cStruct('nd6'), 'i386', env)).toEqual({ unknown: 'struct nd6: member timer: struct callout is not defined in the tree' });
		expect(alignOf(cArray(cStruct('nd6'), 4), 'amd64', env)).toEqual({ unknown: 'struct nd6: member timer: struct callout is not defined in the tree' });
		expect(layoutOf(cUnion('pad'), 'amd64', env)).toEqual({ unknown: 'union pad is defined as a struct' });
	});
	it('a struct containing itself is reported; one pointing at itself is fine', () => {
		expect(layoutOf(cStruct('selfish'), 'amd64', env)).toEqual({ unknown: 'struct selfish: member me: struct selfish contains itself' });
		expect(layoutOf(cStruct('list'), 'amd64', env)).toEqual({ size: 8, align: 8 });
	});
	it('does not guess what it does not model', () => {
		expect(layoutOf(cStruct('wide'), 'amd64', env)).toEqual({ size: 8, align: 8 });
		expect(layoutOf(cStruct('wide'), 'i386', env)).toEqual({
			unknown: 'struct wide: member w: bit-field of a 8-byte type aligned to 4 is not modelled',
		});
		expect(layoutOf(cStruct('bad'), 'amd64', env)).toEqual({ unknown: 'struct bad: member p: a bit-field must have an integer type' });
	});
});

describe('enums', () => {
	it('are int-sized unless a value needs 64 bits', () => {
		expect(layoutOf(cEnum('e', [0, 1, 2]), 'amd64')).toEqual({ size: 4, align: 4 });
		expect(layoutOf(cEnum('e', [-1, 0x7fffffff]), 'i386')).toEqual({ size: 4, align: 4 });
		expect(layoutOf(cEnum('e', [0xffffffff]), 'amd64')).toEqual({ size: 4, align: 4 });
		expect(layoutOf(cEnum('e', [-1, 0xffffffff]), 'amd64')).toEqual({ size: 8, align: 8 });
		expect(layoutOf(cEnum('e', [-1, 0xffffffff]), 'i386')).toEqual({ size: 8, align: 4 });
	});
	it('by tag, from the tree; unknown otherwise', () => {
		const env = layoutEnv({ enums: { sysinit_sub_id: [0, 0x1000000] } });
		expect(layoutOf(cEnum('sysinit_sub_id'), 'amd64', env)).toEqual({ size: 4, align: 4 });
		expect(layoutOf(cEnum('nowhere'), 'amd64', env)).toEqual({ unknown: 'enum nowhere is not defined in the tree' });
	});
});
