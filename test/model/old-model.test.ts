import { describe, expect, it } from 'vitest';
import { VnetAllocator, VnetVariable, vnetVariable } from '../../src/model/allocator';
import { cArray, cName, cQueue, cStruct, CType, RecordDef } from '../../src/model/ctype';
import { Arch, isUnknown, layoutEnv } from '../../src/model/layout';
import { compareInitialState, ContainerModel, ContainerModule, explainDifference } from '../../src/model/old-model';
import { ConstantValue, Effect, intBytes } from '../../src/model/value';

const n = cName;

/** The INET container of the corpus, trimmed; members carry the leading underscore. */
const MEMBERS: [string, CType][] = [
	['ipforwarding', n('int')],
	['ipsendredirects', n('int')],
	['ip_defttl', n('int')],
	['ip_id', n('u_short')],
	['isn_secret', cArray(n('u_char'), 32)],
	['ipq', cArray(cQueue('TAILQ_HEAD', 'ipq', 'ipqhead'), 'IPREASS_NHASH')],
	['ipstat', cStruct('ipstat')],
	['rt_gcperiod', n('u_int')],
];

const RECORDS: RecordDef[] = [
	{ kind: 'struct', tag: 'vnet_inet', members: MEMBERS.map(([name, type]) => ({ name: `_${name}`, type })) },
	{
		kind: 'struct',
		tag: 'ipstat',
		members: [
			{ name: 'ips_total', type: n('u_long') },
			{ name: 'ips_badsum', type: n('u_long') },
		],
	},
	{
		kind: 'struct',
		tag: 'vnet_inet6',
		members: [
			{ name: '_ip6_forwarding', type: n('int') },
			{ name: '_ip6_defhlim', type: n('int') },
		],
	},
	{
		kind: 'struct',
		tag: 'vnet_nd6',
		members: [{ name: '_nd6_timer_ch', type: cStruct('callout') }],
	},
];
const env = layoutEnv({ records: RECORDS, constants: { IPREASS_NHASH: 4 } });

const IPQ_INIT = 'for (i = 0; i < IPREASS_NHASH; i++)\n\t\tTAILQ_INIT(&V_ipq[i]);';
const IP_ID = 'V_ip_id = time_second & 0xffff;';
const int = (value: number): ConstantValue => ({ kind: 'int', value });

/** Old constructor (ip_init): constants, then statements the index cannot evaluate. */
const OLD_INET: ContainerModule = {
	name: 'inet',
	container: 'vnet_inet',
	iattach: [
		{ variable: 'ipsendredirects', value: int(1) },
		{ variable: 'ip_defttl', value: int(64) },
		{ variable: 'ip_id', value: { kind: 'computed', statement: IP_ID } },
		{ variable: 'ipq', value: { kind: 'computed', statement: IPQ_INIT } },
		{ variable: 'rt_gcperiod', value: int(30) },
	],
};

function oldModel(arch: Arch): ContainerModel {
	const m = new ContainerModel(arch, env);
	expect(m.register(OLD_INET)).toBe(true);
	return m;
}

/** The migrated kernel: static initializers for the constants, the rest still in the constructor. */
function newModel(
	arch: Arch,
	opts: { inits?: Record<string, ConstantValue | undefined>; iattach?: Effect[]; types?: Record<string, CType>; drop?: string[] } = {},
): VnetAllocator {
	const inits: Record<string, ConstantValue | undefined> = { ipsendredirects: int(1), ip_defttl: int(64), rt_gcperiod: int(30), ...opts.inits };
	const variables: VnetVariable[] = [];
	for (const [name, type] of MEMBERS) {
		if (opts.drop?.includes(name)) continue;
		const v = vnetVariable(name, opts.types?.[name] ?? type, arch, env, inits[name]);
		if (isUnknown(v)) throw new Error(v.unknown);
		variables.push(v);
	}
	const iattach = opts.iattach ?? [
		{ variable: 'ip_id', value: { kind: 'computed', statement: IP_ID } },
		{ variable: 'ipq', value: { kind: 'computed', statement: IPQ_INIT } },
	];
	return new VnetAllocator(arch, { variables, subsystems: [{ name: 'inet', iattach }] }, { reserve: 'later' });
}

const differences = (old: ContainerModel, neu: VnetAllocator) =>
	compareInitialState(old, neu)
		.filter((r) => !r.equal)
		.map((r) => [r.variable, r.kind, r.reason]);

describe('the old model: zeroed containers and constructors', () => {
	it('allocates vmi_size bytes per module, laid out from the container struct', () => {
		expect(oldModel('amd64').containerSize('inet')).toBe(136);
		expect(oldModel('i386').containerSize('inet')).toBe(92);
	});
	it('a new vnet starts at zero, then the constructor assignments in order', () => {
		const m = oldModel('amd64');
		const v = m.createVnet();
		expect(m.valueOf(v, 'ipforwarding')).toEqual({ bytes: intBytes(0, 4), symbolic: [] });
		expect(m.valueOf(v, 'ip_defttl')).toEqual({ bytes: intBytes(64, 4), symbolic: [] });
		expect(m.valueOf(v, 'isn_secret')).toEqual({ bytes: new Uint8Array(32), symbolic: [] });
		expect(m.valueOf(v, 'ip_id')).toEqual({ bytes: new Uint8Array(2), symbolic: [{ offset: 0, size: 2, tag: 'computed by `V_ip_id = time_second & 0xffff;`' }] });
		expect(m.valueOf(v, 'ipq')?.symbolic).toEqual([{ offset: 0, size: 64, tag: 'computed by `for (i = 0; i < IPREASS_NHASH; i++) TAILQ_INIT(&V_ipq[i]);`' }]);
		expect(m.valueOf(v, 'nothing')).toBeUndefined();
	});
	it('a later constant overrides an earlier computed value; a field assignment changes only that field', () => {
		const m = new ContainerModel('i386', env);
		m.register({
			name: 'inet',
			container: 'vnet_inet',
			iattach: [
				{ variable: 'ip_defttl', value: { kind: 'computed', statement: 'V_ip_defttl = sysctl_default();' } },
				{ variable: 'ip_defttl', value: int(63) },
				{ variable: 'ipstat', value: { kind: 'computed', statement: 'bzero(&V_ipstat, sizeof(V_ipstat));' } },
				{ variable: 'ipstat', offset: 4, size: 4, value: int(5) },
			],
		});
		expect(m.freshValue('ip_defttl')).toEqual({ bytes: intBytes(63, 4), symbolic: [] });
		expect(m.freshValue('ipstat')).toEqual({
			bytes: Uint8Array.from([0, 0, 0, 0, 5, 0, 0, 0]),
			symbolic: [{ offset: 0, size: 4, tag: 'computed by `bzero(&V_ipstat, sizeof(V_ipstat));`' }],
		});
	});
	it('registration waits for vmi_dependson; a module registered later reaches existing vnets', () => {
		const m = new ContainerModel('amd64', env);
		m.register({
			name: 'inet6',
			container: 'vnet_inet6',
			dependsOn: 'inet',
			iattach: [
				{ variable: 'ip6_defhlim', value: int(64) },
				{ variable: 'ipsendredirects', value: int(2) },
			],
		});
		expect([m.registrationOrder(), m.pendingModules()]).toEqual([[], ['inet6']]);
		const v = m.createVnet();
		expect(v.modData.size).toBe(0);
		m.register({ ...OLD_INET, iattach: [...OLD_INET.iattach!, { variable: 'ip6_forwarding', value: int(1) }] });
		expect([m.registrationOrder(), m.pendingModules()]).toEqual([['inet', 'inet6'], []]);
		// inet's constructor ran before inet6's container existed in the vnet; inet6's saw inet's.
		expect(m.diagnostics.map((d) => [d.code, d.module, d.variable])).toEqual([['old-model/unknown-member', 'inet', 'ip6_forwarding']]);
		expect(m.valueOf(v, 'ip6_forwarding')?.bytes).toEqual(intBytes(0, 4));
		expect(m.valueOf(v, 'ip6_defhlim')?.bytes).toEqual(intBytes(64, 4));
		expect(m.valueOf(v, 'ipsendredirects')?.bytes).toEqual(intBytes(2, 4));
	});
	it('a container that cannot be laid out is reported, not guessed', () => {
		const m = new ContainerModel('amd64', env);
		expect(m.register({ name: 'nd6', container: 'vnet_nd6' })).toBe(false);
		expect(m.diagnostics.map((d) => d.message)).toEqual(['module nd6: container struct vnet_nd6: member _nd6_timer_ch: struct callout is not defined in the tree']);
		expect(m.register({ name: 'nd6b', container: 'vnet_missing' })).toBe(false);
		expect(m.diagnostics[1].message).toBe('module nd6b: container struct vnet_missing is not defined in the tree');
	});
});

describe('initial state: old against new', () => {
	for (const arch of ['amd64', 'i386'] as const) {
		it(`equal when the constants became static initializers and the rest stayed (${arch})`, () => {
			const results = compareInitialState(oldModel(arch), newModel(arch));
			expect(results.map((r) => [r.variable, r.module, r.equal])).toEqual(MEMBERS.map(([name]) => [name, 'inet', true]));
		});
	}
	it('detects a dropped initializer', () => {
		expect(differences(oldModel('amd64'), newModel('amd64', { inits: { ip_defttl: undefined } }))).toEqual([
			['ip_defttl', 'dropped-initializer', 'old starts as 64 (40 00 00 00), new as 0: the constant assignment was neither kept nor made a static initializer'],
		]);
	});
	it('detects a wrong constant', () => {
		expect(differences(oldModel('i386'), newModel('i386', { inits: { rt_gcperiod: int(60) } }))).toEqual([
			['rt_gcperiod', 'value', 'old starts as 30 (1e 00 00 00), new as 60 (3c 00 00 00)'],
		]);
	});
	it('compares computed values by their statement, whitespace aside', () => {
		const spaced = newModel('amd64', {
			iattach: [
				{ variable: 'ip_id', value: { kind: 'computed', statement: '  V_ip_id =  time_second & 0xffff;' } },
				{ variable: 'ipq', value: { kind: 'computed', statement: 'for (i = 0; i < IPREASS_NHASH; i++) TAILQ_INIT(&V_ipq[i]);' } },
			],
		});
		expect(differences(oldModel('amd64'), spaced)).toEqual([]);
		const changed = newModel('amd64', { iattach: [{ variable: 'ip_id', value: { kind: 'computed', statement: 'V_ip_id = arc4random();' } }] });
		expect(differences(oldModel('amd64'), changed)).toEqual([
			['ip_id', 'symbolic', 'old starts as computed by `V_ip_id = time_second & 0xffff;`, new as computed by `V_ip_id = arc4random();`'],
			['ipq', 'dropped-initializer', 'old starts as computed by `for (i = 0; i < IPREASS_NHASH; i++) TAILQ_INIT(&V_ipq[i]);`, new as 0: the statement no longer runs'],
		]);
	});
	it('a non-constant statement made a static initializer is a symbolic difference', () => {
		const wrong = newModel('amd64', { inits: { ip_id: int(1) }, iattach: [{ variable: 'ipq', value: { kind: 'computed', statement: IPQ_INIT } }] });
		expect(differences(oldModel('amd64'), wrong)).toEqual([['ip_id', 'symbolic', 'old starts as computed by `V_ip_id = time_second & 0xffff;`, new as 1 (01 00)']]);
	});
	it('a type changed on the way is a size difference on LP64 only', () => {
		const types = { rt_gcperiod: n('unsigned long') };
		expect(differences(oldModel('amd64'), newModel('amd64', { types }))).toEqual([['rt_gcperiod', 'size', 'old member is 4 bytes, new variable 8']]);
		expect(differences(oldModel('i386'), newModel('i386', { types }))).toEqual([]);
	});
	it('a member with no definition in the new model is missing', () => {
		const results = compareInitialState(oldModel('amd64'), newModel('amd64', { drop: ['isn_secret'] }));
		expect(results.filter((r) => !r.equal).map((r) => [r.variable, r.kind, r.reason])).toEqual([
			['isn_secret', 'missing-in-new', 'no VNET_DEFINE of isn_secret in the new model'],
		]);
		expect(compareInitialState(oldModel('amd64'), newModel('amd64', { drop: ['isn_secret'] }), ['ipforwarding']).map((r) => r.variable)).toEqual(['ipforwarding']);
	});
	it('a module loaded after vnets exist is compared the same way', () => {
		const old = new ContainerModel('amd64', env);
		old.register({ name: 'inet6', container: 'vnet_inet6', iattach: [{ variable: 'ip6_defhlim', value: int(64) }] });
		const neu = new VnetAllocator('amd64', { variables: [] }, { reserve: 'later' });
		neu.createVnet();
		neu.loadModule({
			name: 'inet6',
			variables: [
				{ name: 'ip6_forwarding', size: 4, align: 4 },
				{ name: 'ip6_defhlim', size: 4, align: 4, init: int(64) },
			],
		});
		expect(compareInitialState(old, neu).map((r) => [r.variable, r.equal])).toEqual([
			['ip6_forwarding', true],
			['ip6_defhlim', true],
		]);
		expect(neu.valueOf(neu.vnets[0], 'ip6_defhlim').bytes).toEqual(intBytes(64, 4));
	});
	it('explainDifference is undefined for equal snapshots', () => {
		const s = { bytes: intBytes(7, 4), symbolic: [] };
		expect(explainDifference(s, { bytes: intBytes(7, 4), symbolic: [] })).toBeUndefined();
	});
});
