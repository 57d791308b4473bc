#!/usr/bin/env node
// Writes a synthetic old-style corpus of a given size from the patterns of our own corpus
// (corpus/sys, corpus/modules), for benchmarks. Each copy of the template trees is an independent
// tree: every name the templates define (modules, members, functions, headers) gets the copy's
// suffix, so no two copies share a symbol and the whole-tree index sees N separate stacks. A share
// of the bytes is plain C without any old-design token: files of a tree you name (--plain-from DIR,
// e.g. an unpacked linux-source; never commit it), or else the templates' .c files with every line
// holding such a token dropped.
//
//   node bench/generate.mjs -o /tmp/gen --size-mb 200 --plain-share 0.3 [--plain-from DIR]
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const TEMPLATES = ['corpus/sys', 'corpus/modules'];

export function listC(dir) {
	const out = [];
	const walk = (d) => {
		for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
			const p = join(d, e.name);
			if (e.isDirectory()) walk(p);
			else if (e.isFile() && /\.[ch]$/.test(e.name)) out.push(p);
		}
	};
	walk(dir);
	return out;
}

/** The names the template trees define, from the tool's own scan of them. */
async function definedNames() {
	const { scanTree } = require(join(root, 'dist/src/pipeline.js'));
	const { index } = await scanTree({ paths: TEMPLATES, cwd: root });
	const whole = new Set();
	const members = new Set();
	for (const m of index.members) for (const n of [m.name, `_${m.name}`, `V_${m.name}`]) whole.add(n), members.add(n);
	const functionsByFile = new Map();
	const moduleHandlers = new Set();
	for (const p of index.parts) {
		const rel = relative(join(root, 'corpus'), join(root, p.file));
		if (p.functions.some((f) => f.modEvents)) moduleHandlers.add(rel);
		functionsByFile.set(rel, new Set(p.functions.map((f) => f.name)));
		for (const f of p.functions) whole.add(f.name);
	}
	return { whole, members, functionsByFile, moduleHandlers, modules: new Set(index.modules.map((m) => m.name)) };
}

/**
 * A "user" translation unit made from a template .c file: it only uses the kernel's members
 * (INIT_VNET_*, V_ accessors, direct accesses, the container headers' includes stay), while what
 * defines or registers them is dropped: conditional blocks on VIMAGE_GLOBALS (definitions, modinfo
 * registration calls), SYSCTL_V_* declarations, vnet_modinfo_t and vnet_symmap tables,
 * vnet_mod_(de)register calls, file-scope definitions of members. Files with a module event handler
 * (MOD_LOAD: the module's constructor) stay kernel-only. The functions and file-scope statics it defines, and its SYSINIT
 * and module names, get the suffix `_u<k>` so every copy is a distinct translation unit.
 */
function userText(src, rel, names, k) {
	const lines = src.split('\n');
	const kept = [];
	// Drop conditional blocks whose opening directive names VIMAGE_GLOBALS (every branch).
	let skipDepth = 0;
	let depth = 0;
	let dropUntil = null; // a regexp that ends a dropped multi-line declaration
	for (const line of lines) {
		const dir = /^\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b/.exec(line);
		if (dir) {
			if (dir[1].startsWith('if')) {
				depth++;
				if (!skipDepth && /VIMAGE_GLOBALS/.test(line)) skipDepth = depth;
			} else if (dir[1] === 'endif') {
				depth--;
				if (skipDepth && depth < skipDepth) {
					skipDepth = 0;
					continue;
				}
			}
		}
		if (skipDepth) continue;
		if (dropUntil) {
			if (dropUntil.test(line)) dropUntil = null;
			continue;
		}
		if (/^\s*SYSCTL_V_[A-Z]+\s*\(/.test(line)) {
			if (!/\)\s*;\s*$/.test(line)) dropUntil = /\)\s*;\s*$/;
			continue;
		}
		if (/\bvnet_modinfo_t\b|\bstruct\s+vnet_symmap\b.*=/.test(line) && /=\s*\{?\s*$/.test(line)) {
			dropUntil = /^\s*\}\s*;/;
			continue;
		}
		if (/^\s*vnet_mod_(de)?register\s*\(.*\)\s*;\s*$/.test(line)) continue;
		// A file-scope definition of a member outside those blocks.
		const def = /^[A-Za-z_][^(){};]*?\b([A-Za-z_][A-Za-z0-9_]*)\s*(\[[^\]]*\])?\s*(=[^;]*)?;/.exec(line);
		if (def && names.members.has(def[1])) continue;
		kept.push(line);
	}
	let text = kept.join('\n');
	const own = new Set(names.functionsByFile.get(rel) ?? []);
	for (const m of text.matchAll(/^static\b[^(;=]*?\b([A-Za-z_][A-Za-z0-9_]*)\s*(\[[^\]]*\])?\s*[;=]/gm)) own.add(m[1]);
	for (const m of text.matchAll(/^(?:SYSINIT|SYSUNINIT|DECLARE_MODULE|MODULE_VERSION|MODULE_DEPEND|MALLOC_DEFINE|static MALLOC_DEFINE)\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)/gm)) own.add(m[1]);
	for (const n of names.members) own.delete(n);
	const tag = `_u${k}`;
	return text.replace(/[A-Za-z_][A-Za-z0-9_]*/g, (id) => (own.has(id) ? `${id}${tag}` : id));
}

function renamer(names, k) {
	const tag = `g${k}`;
	const id = (name) => {
		if (names.whole.has(name)) return `${name}_${tag}`;
		const parts = name.split('_');
		let changed = false;
		const renamed = parts.map((c) => {
			if (names.modules.has(c)) return (changed = true), `${c}${tag}`;
			if (c.length > 0 && names.modules.has(c.toLowerCase()) && c === c.toUpperCase()) return (changed = true), `${c}${tag.toUpperCase()}`;
			return c;
		});
		return changed ? renamed.join('_') : name;
	};
	const header = (p) => p.replace(/([^/]+)\.h$/, `$1_${tag}.h`);
	return {
		header,
		text(src) {
			return src
				.split('\n')
				.map((line) => {
					const inc = /^(\s*#\s*include\s*[<"])([^>"]+)([>"].*)$/.exec(line);
					if (inc) return names.headers.has(basename(inc[2])) ? `${inc[1]}${header(inc[2])}${inc[3]}` : line;
					return line.replace(/[A-Za-z_][A-Za-z0-9_]*/g, id);
				})
				.join('\n');
		},
	};
}

/** The old-style share of a generated corpus, in words. */
export function describe(r) {
	return r.mode === 'realistic'
		? `${(r.oldBytes / 1e6).toFixed(1)} MB old-style: corpus/ once as the kernel, ${r.copies} sets of user files of its members`
		: `${(r.oldBytes / 1e6).toFixed(1)} MB old-style in ${r.copies} renamed copies of corpus/`;
}

/** Every string the tool's prefilters look for (the index's and each transform's). */
export const OLD_TOKENS = [
	...new Set([...require(join(root, 'dist/src/index/scan.js')).INDEX_TOKENS, ...require(join(root, 'dist/src/transforms.js')).TRANSFORMS.flatMap((t) => t.tokens)]),
];
const tokenFree = (buf) => !OLD_TOKENS.some((t) => buf.includes(t));

export async function generate({ out, sizeMb = 20, plainShare = 0.3, plainFrom, mode = 'realistic' }) {
	if (mode !== 'realistic' && mode !== 'copies') throw new Error(`unknown mode ${mode} (realistic or copies)`);
	rmSync(out, { recursive: true, force: true });
	const target = sizeMb * 1e6;
	const names = await definedNames();
	const templates = TEMPLATES.flatMap((t) => listC(join(root, t)).map((abs) => ({ rel: relative(join(root, 'corpus'), abs), text: readFileSync(abs, 'latin1') })));
	names.headers = new Set(templates.filter((t) => t.rel.endsWith('.h')).map((t) => basename(t.rel)));
	const templateBytes = templates.reduce((n, t) => n + t.text.length, 0);

	let plainSources;
	if (plainFrom) {
		plainSources = listC(plainFrom)
			.map((abs) => ({ rel: relative(plainFrom, abs), bytes: readFileSync(abs) }))
			.filter((f) => f.bytes.length > 0 && tokenFree(f.bytes) && !f.bytes.includes(0));
		if (plainSources.length === 0) throw new Error(`${plainFrom}: no token-free .c/.h files`);
	}
	let oldBytes = 0;
	let plainBytes = 0;
	let files = 0;
	let k = 0;
	const write = (rel, data) => {
		const p = join(out, rel);
		mkdirSync(dirname(p), { recursive: true });
		writeFileSync(p, data);
		files++;
		return data.length;
	};
	let plainNext = 0;
	const templateCs = templates.filter((x) => x.rel.endsWith('.c') && (mode === 'copies' || !names.moduleHandlers.has(x.rel)));
	if (mode === 'realistic') {
		// The kernel: the template trees once, as they are (containers, definitions, constructors,
		// sysctls, registrations); then user files that only use its members, in chunks of one
		// copy of every template .c file, with plain C up to its share.
		for (const t of templates) oldBytes += write(join('kernel', t.rel), Buffer.from(t.text, 'latin1'));
		let k = 0;
		while (oldBytes + plainBytes < target) {
			const dir = join('users', `u${String(k).padStart(5, '0')}`);
			if (oldBytes <= (1 - plainShare) * (oldBytes + plainBytes + templateBytes)) {
				for (const t of templateCs) oldBytes += write(join(dir, t.rel), Buffer.from(userText(t.text, t.rel, names, k), 'latin1'));
			}
			while (plainShare > 0 && plainBytes < plainShare * (oldBytes + plainBytes)) {
				if (plainSources) {
					const f = plainSources[plainNext++ % plainSources.length];
					plainBytes += write(join(dir, 'plain', `${plainNext}-${basename(f.rel)}`), f.bytes);
				} else {
					const t = templateCs[plainNext++ % templateCs.length];
					const plain = userText(t.text, t.rel, names, k).split('\n').filter((l) => !OLD_TOKENS.some((tok) => l.includes(tok)) && !/^\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b/.test(l)).join('\n');
					plainBytes += write(join(dir, 'plain', `${plainNext}-${basename(t.rel)}`), Buffer.from(plain, 'latin1'));
				}
			}
			k++;
		}
		return { files, bytes: oldBytes + plainBytes, oldBytes, plainBytes, copies: k, mode };
	}
	while (oldBytes + plainBytes < target) {
		const r = renamer(names, k);
		const dir = `g${String(k).padStart(5, '0')}`;
		if (oldBytes <= (1 - plainShare) * (oldBytes + plainBytes + templateBytes)) {
			for (const t of templates) oldBytes += write(join(dir, dirname(t.rel), basename(t.rel.endsWith('.h') ? r.header(t.rel) : t.rel)), Buffer.from(r.text(t.text), 'latin1'));
		}
		// Plain C up to its share of what has been written so far.
		while (plainShare > 0 && plainBytes < plainShare * (oldBytes + plainBytes)) {
			if (plainSources) {
				const f = plainSources[plainNext++ % plainSources.length];
				plainBytes += write(join(dir, 'plain', `${plainNext}-${basename(f.rel)}`), f.bytes);
			} else {
				const t = templates.filter((x) => x.rel.endsWith('.c'))[plainNext++ % templates.filter((x) => x.rel.endsWith('.c')).length];
				// Without the token lines, and without conditionals (dropping lines unbalances them).
				const plain = r.text(t.text).split('\n').filter((l) => !OLD_TOKENS.some((tok) => l.includes(tok)) && !/^\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b/.test(l)).join('\n');
				plainBytes += write(join(dir, 'plain', `${plainNext}-${basename(t.rel)}`), Buffer.from(plain, 'latin1'));
			}
		}
		k++;
	}
	return { files, bytes: oldBytes + plainBytes, oldBytes, plainBytes, copies: k, mode };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const { values } = parseArgs({
		options: {
			out: { type: 'string', short: 'o' },
			'size-mb': { type: 'string', default: '20' },
			'plain-share': { type: 'string', default: '0.3' },
			'plain-from': { type: 'string' },
			mode: { type: 'string', default: 'realistic' },
		},
	});
	if (!values.out) {
		console.error('usage: node bench/generate.mjs -o DIR [--size-mb 20] [--plain-share 0.3] [--plain-from DIR] [--mode realistic|copies]');
		process.exit(2);
	}
	const r = await generate({ out: values.out, sizeMb: Number(values['size-mb']), plainShare: Number(values['plain-share']), plainFrom: values['plain-from'], mode: values.mode });
	console.log(`${values.out}: ${r.files} files, ${(r.bytes / 1e6).toFixed(1)} MB (${describe(r)}, ${(r.plainBytes / 1e6).toFixed(1)} MB plain C)`);
}
