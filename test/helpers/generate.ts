/**
 * Generated old-style VIMAGE code for the property tests: a module's
 * container header and its .c file, built from the patterns of the corpus
 * (container struct, accessor macros, INIT_VNET_*, VIMAGE_GLOBALS
 * definitions and externs, vnet_modinfo_t with a constructor, SYSCTL_V_*,
 * V_ uses), with random formatting, comments and #ifdef placement, then
 * optionally random byte-level mutations.
 */
import fc from 'fast-check';

export interface Member {
	name: string;
	type: 'int' | 'u_int' | 'u_long' | 'char[]' | 'struct callout' | 'ptr';
}

export interface ModuleSpec {
	mod: string;
	members: Member[];
	functions: number;
	/** Seed for the formatting choices (whitespace, comments, #ifdef placement, line ends). */
	seed: number;
	crlf: 'none' | 'all' | 'some';
	/** Assignments in the constructor: member index -> constant. */
	inits: Array<[number, string]>;
	sysctls: boolean;
	globals: boolean;
}

export interface Mutation {
	file: number;
	/** Position in millionths of the file length. */
	at: number;
	kind: 'insert' | 'delete' | 'replace' | 'duplicate';
	bytes: number[];
	length: number;
}

/** A small deterministic PRNG (mulberry32) for formatting choices. */
function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const COMMENTS = ['/* XXX */', '/* Per-stack state. */', '/* \xe9t\xe9 Fran\xe7ois */', '/*\n * A block comment\n * over lines.\n */', '// C99 comment'];

function declType(m: Member): { prefix: string; suffix: string } {
	switch (m.type) {
		case 'char[]': return { prefix: 'char', suffix: '[16]' };
		case 'struct callout': return { prefix: 'struct callout', suffix: '' };
		case 'ptr': return { prefix: 'struct ifnet *', suffix: '' };
		default: return { prefix: m.type, suffix: '' };
	}
}

export function buildModule(spec: ModuleSpec): Array<{ path: string; content: string }> {
	const r = rng(spec.seed);
	const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
	const chance = (p: number) => r() < p;
	const sep = () => pick(['\t', ' ', '\t\t', '  ']);
	const comment = () => (chance(0.2) ? `${pick(COMMENTS)}\n` : '');
	const blank = () => (chance(0.15) ? '\n' : '');
	const ifdef = (body: string) => (chance(0.15) ? `#ifdef ${pick(['INET6', 'DIAGNOSTIC', 'FOO_DEBUG'])}\n${body}#endif\n` : body);
	const { mod, members } = spec;
	const MOD = mod.toUpperCase();
	const full = (m: Member) => `${mod}_${m.name}`;
	const decl = (m: Member, name: string) => {
		const t = declType(m);
		return t.prefix.endsWith('*') ? `${t.prefix}${name}${t.suffix}` : `${t.prefix}${sep()}${name}${t.suffix}`;
	};

	let h = `/*-\n * Generated module ${mod}.\n */\n\n#ifndef _${MOD}_VAR_H_\n#define\t_${MOD}_VAR_H_\n\n`;
	h += `#define\tVNET_MOD_${MOD}${sep()}(VNET_MOD_DYNAMIC_START + 3)\n\n`;
	h += `struct vnet_${mod} {\n`;
	for (const m of members) h += `${comment()}\t${decl(m, `_${full(m)}`)};\n`;
	h += '};\n\n';
	h += `#if defined(VIMAGE)\n#define\tINIT_VNET_${MOD}(vnet)${sep()}\\\n\tINIT_FROM_VNET(vnet, VNET_MOD_${MOD}, struct vnet_${mod}, vnet_${mod})\n#else\n#define\tINIT_VNET_${MOD}(vnet)\n#endif\n\n`;
	h += `#define\tVNET_${MOD}(sym)\tVSYM(vnet_${mod}, sym)\n\n`;
	for (const m of members) h += `#define\tV_${full(m)}${sep()}VNET_${MOD}(${full(m)})\n`;
	if (spec.globals) {
		h += '\n#ifdef VIMAGE_GLOBALS\n';
		for (const m of members) h += `extern ${decl(m, full(m))};\n`;
		h += '#endif\n';
	}
	h += `\nint\t${mod}_input(int);\n\n#endif /* !_${MOD}_VAR_H_ */\n`;

	let c = `/*-\n * Generated module ${mod}.\n */\n\n#include <sys/param.h>\n#include <sys/kernel.h>\n#include <sys/sysctl.h>\n#include <sys/vimage.h>\n\n#include "${mod}_var.h"\n\n`;
	if (spec.globals) {
		c += '#ifdef VIMAGE_GLOBALS\n';
		for (const m of members) c += `${comment()}${chance(0.3) ? `static${sep()}` : ''}${decl(m, full(m))};\n`;
		c += '#endif\n\n';
	}
	c += `static int\t${mod}_iattach(const void *);\n\n`;
	c += `#ifndef VIMAGE_GLOBALS\nstatic const vnet_modinfo_t vnet_${mod}_modinfo = {\n\t.vmi_id${sep()}= VNET_MOD_${MOD},\n\t.vmi_name${sep()}= "${mod}",\n` +
		`\t.vmi_size${sep()}= sizeof(struct vnet_${mod}),\n\t.vmi_iattach${sep()}= ${mod}_iattach\n};\n#endif\n\n`;
	if (spec.sysctls) {
		c += `SYSCTL_NODE(_net, OID_AUTO, ${mod}, CTLFLAG_RW, 0, "${mod}");\n`;
		for (const m of members) {
			if (m.type !== 'int' && m.type !== 'u_int') continue;
			c += ifdef(`SYSCTL_V_${m.type === 'int' ? 'INT' : 'UINT'}(V_NET, vnet_${mod}, _net_${mod}, OID_AUTO, ${m.name},${pick([' ', '\n    '])}CTLFLAG_RW, ${full(m)}, 0, "${m.name}");\n`);
		}
		c += '\n';
	}
	c += `static int\n${mod}_iattach(const void *unused __unused)\n{\n\tINIT_VNET_${MOD}(curvnet);\n\n`;
	for (const [k, value] of spec.inits) {
		const m = members[k % members.length];
		if (m.type === 'char[]' || m.type === 'struct callout') continue;
		c += `${comment()}\tV_${full(m)} = ${m.type === 'ptr' ? 'NULL' : value};\n`;
	}
	c += '\treturn (0);\n}\n\n';
	for (let f = 0; f < spec.functions; f++) {
		const m = members[f % members.length];
		// The accessor forms of the old design: V_x, VNET_MOD(x), VSYM(vnet_mod, x).
		const v = pick([`V_${full(m)}`, `V_${full(m)}`, `VNET_${MOD}(${full(m)})`, `VSYM(vnet_${mod}, ${full(m)})`]);
		const use = m.type === 'char[]' ? `${v}[0]` : m.type === 'struct callout' ? `(int)sizeof(${v})` : m.type === 'ptr' ? `(${v} != NULL)` : `(int)${v}`;
		let body = `${comment()}int\n${mod}_f${f}(int a)\n{\n`;
		body += ifdef(`\tINIT_VNET_${MOD}(${pick(['curvnet', 'curvnet', 'TD_TO_VNET(curthread)'])});\n`);
		body += `\tint n;\n${blank()}\n`;
		body += ifdef(`\tn = ${use} + a;\n`);
		body += chance(0.3) ? '\tif (a > 1)\n\t\tn++;\n' : '';
		// Iterator macros and type-taking macros, which the grammar misreads.
		body += chance(0.2) ? `\tTAILQ_FOREACH(ifp, &V_ifnet, if_link) {\n\t\tn += ${use};\n\t}\n` : '';
		body += chance(0.15) ? '\tip = mtod(m, struct ip *);\n' : '';
		body += `${blank()}\treturn (${chance(0.5) ? 'n' : 'a'});\n}\n\n`;
		c += ifdef(body);
	}
	c += `int\n${mod}_input(int x)\n{\n\n\treturn (x);\n}\n`;

	const lineEnds = (text: string) => {
		if (spec.crlf === 'all') return text.replace(/\n/g, '\r\n');
		if (spec.crlf === 'some') return text.replace(/\n/g, () => (chance(0.3) ? '\r\n' : '\n'));
		return text;
	};
	return [
		{ path: `sys/${mod}/${mod}_var.h`, content: lineEnds(h) },
		{ path: `sys/${mod}/${mod}.c`, content: lineEnds(c) },
	];
}

export function mutate(files: Array<{ path: string; content: string }>, mutations: Mutation[]): Array<{ path: string; content: string }> {
	const out = files.map((f) => ({ ...f }));
	for (const m of mutations) {
		const f = out[m.file % out.length];
		const at = Math.floor((m.at / 1e6) * f.content.length);
		const bytes = String.fromCharCode(...m.bytes);
		const t = f.content;
		switch (m.kind) {
			case 'insert': f.content = t.slice(0, at) + bytes + t.slice(at); break;
			case 'delete': f.content = t.slice(0, at) + t.slice(at + m.length); break;
			case 'replace': f.content = t.slice(0, at) + bytes + t.slice(at + bytes.length); break;
			case 'duplicate': f.content = t.slice(0, at + m.length) + t.slice(at, at + m.length) + t.slice(at + m.length); break;
		}
	}
	return out;
}

const MEMBER_NAMES = ['enable', 'count', 'maxlen', 'stats', 'zone', 'buf', 'ifp', 'timer'];

export const moduleSpec: fc.Arbitrary<ModuleSpec> = fc.record({
	mod: fc.constantFrom('foo', 'tun2', 'pfx', 'ngq'),
	members: fc.uniqueArray(
		fc.record({
			name: fc.constantFrom(...MEMBER_NAMES),
			type: fc.constantFrom<Member['type']>('int', 'u_int', 'u_long', 'char[]', 'struct callout', 'ptr'),
		}),
		{ minLength: 1, maxLength: 5, selector: (m) => m.name },
	),
	functions: fc.integer({ min: 0, max: 4 }),
	seed: fc.integer(),
	crlf: fc.constantFrom<ModuleSpec['crlf']>('none', 'none', 'all', 'some'),
	inits: fc.array(fc.tuple(fc.nat(10), fc.constantFrom('0', '1', '64', 'NULL', 'IFNAMSIZ', '(1 << 4)', 'sizeof(int)', 'hz')), { maxLength: 4 }),
	sysctls: fc.boolean(),
	globals: fc.boolean(),
});

/** Byte-level mutations, biased towards C's syntax characters. */
export const mutations: fc.Arbitrary<Mutation[]> = fc.array(
	fc.record({
		file: fc.nat(1),
		at: fc.integer({ min: 0, max: 999_999 }),
		kind: fc.constantFrom<Mutation['kind']>('insert', 'delete', 'replace', 'duplicate'),
		bytes: fc.array(
			fc.oneof(
				fc.constantFrom(...'{}();,#\\/*"\'\n\t _'.split('').map((ch) => ch.charCodeAt(0))),
				fc.integer({ min: 0, max: 255 }),
			),
			{ minLength: 1, maxLength: 4 },
		),
		length: fc.integer({ min: 1, max: 40 }),
	}),
	{ maxLength: 3 },
);
