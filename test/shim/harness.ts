/**
 * gcc differential harness: compiles a corpus-shaped tree (<treeRoot>/sys and
 * <treeRoot>/modules) against the userland shims of one VIMAGE design, links it
 * with the shim runtime and driver, runs it, and returns what it printed: every
 * virtualized variable and every data sysctl, per vnet, after boot, after the
 * timers ran and after sysctl writes (see runtime/driver.c).
 *
 *   old: container structs (include/old.h); the variable table is the list of
 *        container members (parsed from the tree's `struct vnet_<mod>`), read
 *        per vnet from the container under VIMAGE, as the VIMAGE_GLOBALS plain
 *        globals otherwise.
 *   new: set_vnet (include/new.h); the variable table is every symbol the tree
 *        placed in set_vnet (VIMAGE) or tagged by VNET_DEFINE (no VIMAGE).
 *
 * Options: -std=gnu99 -Wall -Werror -ffreestanding, _KERNEL, INET, INET6,
 * IPSEC; VIMAGE when opts.vimage.  Every header the tree includes but does not
 * contain becomes an empty stub (the declarations all live in the prelude);
 * the tree's own sys/vimage.h is replaced by the shim's framework. Functions
 * the tree calls but nobody defines get stubs that abort if they are reached.
 */
import { execFileSync, spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

export type Design = 'old' | 'new';
export interface HarnessOptions {
	vimage: boolean;
	/** keep the build directory (for debugging); default false */
	keep?: boolean;
}
export interface HarnessResult {
	stdout: string;
}

const SHIM = __dirname;
const GCC = existsSync('/usr/bin/gcc') ? '/usr/bin/gcc' : 'gcc';

export class HarnessError extends Error {}

function walk(dir: string, out: string[] = []): string[] {
	if (!existsSync(dir)) return out;
	for (const name of readdirSync(dir).sort()) {
		const p = path.join(dir, name);
		if (statSync(p).isDirectory()) walk(p, out);
		else if (/\.[ch]$/.test(name)) out.push(p);
	}
	return out;
}

/** The members of every `struct vnet_<mod> { ... };` in the tree's headers. */
export interface ContainerMember {
	container: string; // struct tag, e.g. vnet_inet
	member: string; // without the leading underscore
	header: string; // absolute path
	conditions: string[]; // enclosing #if lines inside the struct, outermost first
}

export function containerMembers(treeRoot: string): ContainerMember[] {
	const out: ContainerMember[] = [];
	for (const file of walk(path.join(treeRoot, 'sys')).concat(walk(path.join(treeRoot, 'modules')))) {
		if (!file.endsWith('.h')) continue;
		const lines = readFileSync(file, 'latin1').split('\n');
		for (let i = 0; i < lines.length; i++) {
			const m = /^struct\s+(vnet_\w+)\s*\{/.exec(lines[i]);
			if (!m || m[1] === 'vnet_modinfo' || m[1] === 'vnet_symmap') continue;
			const stack: string[] = [];
			for (i++; i < lines.length && !/^\};/.test(lines[i]); i++) {
				const line = lines[i].trim();
				if (/^#\s*if/.test(line)) stack.push(line);
				else if (/^#\s*else/.test(line)) stack.push(`${stack.pop()} /*else*/`); // now in the #else arm
				else if (/^#\s*endif/.test(line)) stack.pop();
				else if (/^(\/\*|\*)/.test(line) || line === '') continue;
				else {
					const fp = /\(\s*\*\s*(_\w+)\s*\)/.exec(line);
					const plain = /(_\w+)\s*(\[[^\]]*\]\s*)*;/.exec(line);
					const name = (fp ?? plain)?.[1];
					if (name) out.push({ container: m[1], member: name.slice(1), header: file, conditions: [...stack] });
				}
			}
		}
	}
	return out;
}

function conditionLines(conds: string[]): { open: string; close: string } {
	// #else arms are recorded as '<#if line> /*else*/'; emit them as #if + #else.
	let open = '';
	let close = '';
	for (const c of conds) {
		if (c.endsWith(' /*else*/')) open += `${c.slice(0, -9)}\n#else\n`;
		else open += `${c}\n`;
		close = '#endif\n' + close;
	}
	return { open, close };
}

function run(cmd: string, args: string[], cwd: string): string {
	const r = spawnSync(cmd, args, { cwd, encoding: 'latin1', maxBuffer: 256 << 20 });
	if (r.status !== 0) {
		throw new HarnessError(`${cmd} ${args.join(' ')}\n${r.stderr}${r.stdout}`);
	}
	return r.stdout;
}

export function compileAndRun(treeRoot: string, design: Design, opts: HarnessOptions): HarnessResult {
	treeRoot = path.resolve(treeRoot);
	const work = mkdtempSync(path.join(tmpdir(), `vimage-shim-${design}-${opts.vimage ? 'v' : 'nv'}-`));
	try {
		return build(treeRoot, design, opts, work);
	} finally {
		if (!opts.keep) rmSync(work, { recursive: true, force: true });
	}
}

function build(treeRoot: string, design: Design, opts: HarnessOptions, work: string): HarnessResult {
	const sysDir = path.join(treeRoot, 'sys');
	const files = walk(sysDir).concat(walk(path.join(treeRoot, 'modules')));
	const sources = files.filter((f) => f.endsWith('.c'));
	if (sources.length === 0) throw new HarnessError(`no C files under ${treeRoot}/sys or ${treeRoot}/modules`);

	// Empty stubs for every header the tree names but does not hold.
	const stubs = path.join(work, 'stubs');
	const override = path.join(work, 'override');
	mkdirSync(path.join(override, 'sys'), { recursive: true });
	writeFileSync(path.join(override, 'sys', 'vimage.h'), '/* shim: the framework is in the prelude */\n');
	for (const f of files) {
		const text = readFileSync(f, 'latin1');
		for (const m of text.matchAll(/^[ \t]*#[ \t]*include[ \t]*[<"]([^>"]+)[>"]/gm)) {
			const h = m[1];
			if (existsSync(path.join(sysDir, h)) || existsSync(path.join(path.dirname(f), h))) continue;
			const p = path.join(stubs, h);
			mkdirSync(path.dirname(p), { recursive: true });
			writeFileSync(p, '');
		}
	}
	mkdirSync(stubs, { recursive: true });

	const cflags = [
		'-std=gnu99', '-Wall', '-Werror', '-ffreestanding', '-fno-pie', '-fno-common', '-O0',
		'-D_KERNEL', '-DINET', '-DINET6', '-DIPSEC',
		...(opts.vimage ? ['-DVIMAGE'] : []),
		'-I', override, '-I', sysDir, '-I', stubs, '-I', path.join(SHIM, 'runtime'),
		'-include', path.join(SHIM, 'include', `${design}.h`),
	];
	const objs: string[] = [];
	const compile = (src: string, name: string) => {
		const obj = path.join(work, name);
		run(GCC, [...cflags, '-c', '-o', obj, src], work);
		objs.push(obj);
	};
	for (const src of sources) compile(src, path.relative(treeRoot, src).replace(/[\/]/g, '__') + '.o');
	// The runtime's definitions give way to the tree's own (weak symbols).
	compile(path.join(SHIM, 'runtime', 'runtime.c'), 'shim_runtime.o');
	run('objcopy', ['--weaken', path.join(work, 'shim_runtime.o')], work);
	compile(path.join(SHIM, 'runtime', 'driver.c'), 'shim_driver.o');

	// Old design under VIMAGE: the table of container members.
	const members = containerMembers(treeRoot);
	if (design === 'old' && opts.vimage) {
		let c = '';
		const headers = [...new Set(members.map((m) => m.header))];
		for (const h of headers) c += `#include "${h}"\n`;
		c += '#include "shim_runtime.h"\nconst struct shim_vartab_entry shim_vartab[] = {\n';
		for (const m of members) {
			const { open, close } = conditionLines(m.conditions);
			c += `${open}\t{ "${m.member}", "${m.container}", offsetof(struct ${m.container}, _${m.member}),\n\t    sizeof(((struct ${m.container} *)0)->_${m.member}) },\n${close}`;
		}
		c += '\t{ NULL, NULL, 0, 0 }\n};\n';
		writeFileSync(path.join(work, 'vartab.c'), c);
		compile(path.join(work, 'vartab.c'), 'shim_vartab.o');
	}

	// Link; functions nobody defines get aborting stubs.
	const exe = path.join(work, 'kernel');
	const link = () => spawnSync(GCC, ['-no-pie', '-o', exe, ...objs], { cwd: work, encoding: 'latin1' });
	let r = link();
	if (r.status !== 0) {
		const undef = [...new Set([...r.stderr.matchAll(/undefined reference to `([^']+)'/g)].map((m) => m[1]))].sort();
		if (undef.length === 0) throw new HarnessError(`link failed\n${r.stderr}`);
		let c = 'void shim_unimplemented(const char *);\n';
		for (const u of undef) c += `void ${u}(void);\nvoid ${u}(void) { shim_unimplemented("${u}"); }\n`;
		writeFileSync(path.join(work, 'autostubs.c'), c);
		run(GCC, ['-std=gnu99', '-fno-pie', '-fno-builtin', '-w', '-c', '-o', path.join(work, 'autostubs.o'), path.join(work, 'autostubs.c')], work);
		objs.push(path.join(work, 'autostubs.o'));
		r = link();
		if (r.status !== 0) throw new HarnessError(`link failed\n${r.stderr}`);
	}

	// The variable table from the symbols (every case but old VIMAGE).
	let table = '';
	if (!(design === 'old' && opts.vimage)) {
		const syms = run('objdump', ['-t', exe], work).split('\n');
		const wanted = new Set(members.map((m) => m.member));
		for (const line of syms) {
			// 0000000000404040 l     O set_vnet	0000000000000004 vnet_entry_x
			const m = /^([0-9a-f]+)\s.{7}\s(\S+)\s+([0-9a-f]+)\s+(\S+)$/.exec(line);
			if (!m) continue;
			const [, addr, section, size, name] = m;
			if (!/\bO\b/.test(line.slice(0, 30))) continue; // objects only (not _edata and the like)
			if (design === 'new') {
				if (opts.vimage && section === 'set_vnet' && name.startsWith('vnet_entry_'))
					table += `${name.slice('vnet_entry_'.length)} - 0x${addr} 0x${size}\n`;
				else if (!opts.vimage && section === 'set_vnet_novimage') table += `${name} - 0x${addr} 0x${size}\n`;
			} else if (wanted.has(name) && /^\.(data|bss)$/.test(section)) {
				table += `${name} - 0x${addr} 0x${size}\n`;
			}
		}
	}
	writeFileSync(path.join(work, 'vars.txt'), table);

	const out = spawnSync(exe, [path.join(work, 'vars.txt')], { cwd: work, encoding: 'latin1', maxBuffer: 256 << 20, timeout: 30_000 });
	if (out.status !== 0) {
		throw new HarnessError(`driver exited with ${out.status ?? out.signal}\n${out.stderr}\n${out.stdout.split('\n').slice(-20).join('\n')}`);
	}
	return { stdout: out.stdout };
}
