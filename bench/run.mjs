#!/usr/bin/env node
// The batch benchmark (`npm run bench`): one table of figures for one input. Asserts nothing.
//
//   npm run bench                                   # a synthetic corpus of 4 MB (a few minutes)
//   npm run bench -- --size-mb 200 --plain-share 0.3  # the large run (see README: it takes long)
//   npm run bench -- --plain-from /usr/src/linux-source-6.1   # real C as the token-free share
//   npm run bench -- --corpus DIR                   # any old-style tree instead of a synthetic one
//   npm run bench -- --mode copies                  # the old generator: N independent renamed copies of corpus/
//                                                   # (the default, realistic: corpus/ once + user files of its members)
//
// Rows: raw read (the floor), tree-sitter parse-only, the byte prefilter on token-free files,
// end-to-end dry run and --write with 1 and with all workers (peak RSS of each), and INIT_VNET_*
// removal by us and by Coccinelle's spatch (when installed) on copies of the same files, with a
// check that both outputs agree.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describe, generate, listC, OLD_TOKENS } from './generate.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { values } = parseArgs({
	options: {
		'size-mb': { type: 'string', default: '4' },
		'plain-share': { type: 'string', default: '0.3' },
		'plain-from': { type: 'string' },
		corpus: { type: 'string' },
		mode: { type: 'string', default: 'realistic' },
		jobs: { type: 'string', default: String(availableParallelism()) },
		'skip-full': { type: 'boolean', default: false },
		'skip-spatch': { type: 'boolean', default: false },
	},
});
const all = Number(values.jobs);
const work = mkdtempSync(join(tmpdir(), 'vimage-bench-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

let input = values.corpus;
if (!input) {
	input = join(work, 'input');
	const g = await generate({ out: input, sizeMb: Number(values['size-mb']), plainShare: Number(values['plain-share']), plainFrom: values['plain-from'], mode: values.mode });
	console.log(`input: synthetic (--mode ${g.mode}), ${g.files} files, ${(g.bytes / 1e6).toFixed(1)} MB (${describe(g)}, ${(g.plainBytes / 1e6).toFixed(1)} MB plain C)`);
}
const files = listC(input);
const contents = files.map((f) => readFileSync(f));
const tokenFiles = [];
const plainFiles = [];
contents.forEach((b, i) => (OLD_TOKENS.some((t) => b.includes(t)) ? tokenFiles : plainFiles).push(i));
const mb = (idx) => idx.reduce((n, i) => n + contents[i].length, 0) / 1e6;
const totalMb = mb(contents.map((_, i) => i));
const tokenMb = mb(tokenFiles);
console.log(`${files.length} files, ${totalMb.toFixed(1)} MB; ${tokenFiles.length} files (${tokenMb.toFixed(1)} MB) hold an old-design token, ${plainFiles.length} (${(totalMb - tokenMb).toFixed(1)} MB) none; ${all} workers = all cores\n`);

const rows = [];
const row = (what, files, megabytes, seconds, rss, note = '') => {
	rows.push({ what, files, mb: megabytes, s: seconds, rate: megabytes / seconds, rss, note });
};
const secondsOf = (fn) => {
	const t0 = process.hrtime.bigint();
	fn();
	return Number(process.hrtime.bigint() - t0) / 1e9;
};

// The floor: reading every file (page cache warm: the runs below read it warm too).
row('read every file (floor)', files.length, totalMb, secondsOf(() => files.forEach((f) => readFileSync(f))), undefined);

// The prefilter on the token-free files, in memory, repeated to at least half a second.
{
	const { bytesHaveAnyToken } = require(join(root, 'dist/src/index/scan.js'));
	let rounds = 0;
	let seconds = 0;
	while (seconds < 0.5 && plainFiles.length) {
		seconds += secondsOf(() => plainFiles.forEach((i) => bytesHaveAnyToken(contents[i], OLD_TOKENS)));
		rounds++;
	}
	if (plainFiles.length) row('prefilter, token-free files', plainFiles.length, mb(plainFiles) * rounds, seconds, undefined, `${rounds} rounds, in memory`);
}

// tree-sitter alone on the files that hold a token, one thread, one parse per file.
{
	const { parseC, yieldToEventLoop } = require(join(root, 'dist/src/parse/parser.js'));
	parseC('int x;');
	const t0 = process.hrtime.bigint();
	for (const i of tokenFiles) {
		parseC(contents[i].toString('latin1'));
		await yieldToEventLoop();
	}
	row('parse only (tree-sitter, 1 thread)', tokenFiles.length, tokenMb, Number(process.hrtime.bigint() - t0) / 1e9, undefined, 'token files');
}

/**
 * Flushes the page cache's dirty pages (the copies just made, the last run's writes) before a
 * timed run, so that their writeback is not charged to it; the runs fsync what they write.
 */
function settleDisk() {
	spawnSync('sync');
}

/** Runs the CLI in a child process; returns its wall time and peak RSS (all threads). */
function cli(args, cwd) {
	settleDisk();
	const script = `const m=require(${JSON.stringify(join(root, 'dist/src/cli.js'))});` +
		`process.on('exit',()=>require('fs').writeSync(2,'\\nmaxrss='+process.resourceUsage().maxRSS+'\\n'));m.main(process.argv)`;
	const t0 = process.hrtime.bigint();
	const r = spawnSync(process.execPath, ['-e', script, 'vimage-migrate', ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30, env: { ...process.env, CI: '1' } });
	const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
	const err = r.stderr.toString();
	if (r.status !== 0 && r.status !== 1) throw new Error(`vimage-migrate ${args.join(' ')} exited ${r.status}: ${err.slice(-2000)}`);
	const rss = Number(/maxrss=(\d+)/.exec(err)?.[1] ?? NaN) / 1024;
	const summary = /^files: .*/m.exec(err)?.[0] ?? '';
	return { seconds, rss, summary };
}

function copyInput(name) {
	const dir = join(work, name);
	cpSync(input, dir, { recursive: true });
	return dir;
}

if (!values['skip-full']) {
	for (const jobs of [1, all]) {
		const r = cli(['--dry-run', '--jobs', String(jobs), '.'], input);
		row(`dry run, all transforms, --jobs ${jobs}`, files.length, totalMb, r.seconds, r.rss, r.summary.replace('files: ', ''));
	}
	for (const jobs of [1, all]) {
		const dir = copyInput(`write${jobs}`);
		const r = cli(['--write', '--jobs', String(jobs), '.'], dir);
		row(`--write, all transforms, --jobs ${jobs}`, files.length, totalMb, r.seconds, r.rss);
		rmSync(dir, { recursive: true, force: true });
	}
}

// INIT_VNET_* removal: us, then spatch, on copies of the same files.
const ours = copyInput('ours');
{
	const r = cli(['--write', '--transform', 'remove-init-vnet', '--jobs', String(all), '.'], ours);
	row(`remove INIT_VNET_*: vimage-migrate --write, --jobs ${all}`, files.length, totalMb, r.seconds, r.rss);
}
const haveSpatch = !values['skip-spatch'] && spawnSync('spatch', ['--version']).status === 0;
if (haveSpatch) {
	const theirs = copyInput('spatch');
	const args = ['--sp-file', join(root, 'bench/remove-init-vnet.cocci'), '--dir', '.', '--in-place', '--include-headers', '--no-includes', '--very-quiet', '-j', String(all)];
	settleDisk();
	const t0 = process.hrtime.bigint();
	const r = spawnSync('spatch', args, { cwd: theirs, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
	const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
	row(`remove INIT_VNET_*: spatch --in-place -j ${all}`, files.length, totalMb, seconds, undefined, r.status === 0 ? '' : `exit ${r.status}`);
	const ratio = seconds / rows[rows.length - 2].s;
	rows[rows.length - 1].note += `${rows[rows.length - 1].note ? '; ' : ''}we are ${ratio.toFixed(1)}x faster`;
	console.log(agreement(ours, theirs));
} else {
	rows.push({ what: 'remove INIT_VNET_*: spatch', note: values['skip-spatch'] ? 'skipped (--skip-spatch)' : 'not installed (Debian: apt-get install coccinelle)' });
}

/** INIT_VNET_X(...); statements: in directive lines (macro bodies) and elsewhere. */
function initVnetSites(text) {
	let inDirective = 0;
	let other = 0;
	let continued = false;
	for (const line of text.split('\n')) {
		const directive = continued || /^\s*#/.test(line);
		continued = directive && /\\\s*$/.test(line);
		const n = (line.match(/\bINIT_VNET_\w+\s*\([^;]*\)\s*;/g) ?? []).length;
		if (directive) inDirective += n;
		else other += n;
	}
	return { inDirective, other };
}

/**
 * What both tools did to a file, compared: the code with every INIT_VNET_* statement, comment,
 * `#define`/`#undef INIT_VNET_*`, emptied `#if` block and all whitespace dropped must be the same
 * (neither touched anything else), and each tool's remaining INIT_VNET_* statements are counted.
 */
function normalize(text) {
	let t = text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
	t = t.replace(/^[ \t]*#[ \t]*(define|undef)[ \t]+INIT_VNET_\w+(?:[^\n]*\\\n)*[^\n]*$/gm, '');
	t = t.replace(/\bINIT_VNET_\w+\s*\([^;]*\)\s*;(\s*\\)?/g, '');
	for (let prev = ''; prev !== t; ) {
		prev = t;
		t = t.replace(/^[ \t]*#[ \t]*if(?:n?def)?\b[^\n]*\n(?:[ \t]*\n)*[ \t]*#[ \t]*endif[^\n]*$/gm, '');
		t = t.replace(/^[ \t]*#[ \t]*else\b[^\n]*\n(?:[ \t]*\n)*([ \t]*#[ \t]*endif)/gm, '$1');
	}
	return t.replace(/\s+/g, '');
}

function agreement(a, b) {
	let same = 0;
	let identical = 0;
	const differing = [];
	const left = { ours: { inDirective: 0, other: 0 }, spatch: { inDirective: 0, other: 0 } };
	for (const f of files) {
		const rel = relative(input, f);
		const x = readFileSync(join(a, rel), 'latin1');
		const y = readFileSync(join(b, rel), 'latin1');
		if (x === y) identical++;
		if (normalize(x) === normalize(y)) same++;
		else differing.push(rel);
		for (const [who, text] of [['ours', x], ['spatch', y]]) {
			const s = initVnetSites(text);
			left[who].inDirective += s.inDirective;
			left[who].other += s.other;
		}
	}
	return `INIT_VNET removal, ours vs spatch: ${identical}/${files.length} files byte-identical; ${same}/${files.length} the same code ` +
		`(modulo whitespace, comments, #define INIT_VNET_* and the #if blocks left empty, which only we remove)` +
		`${differing.length ? `; differing: ${differing.slice(0, 5).join(', ')}${differing.length > 5 ? ', ...' : ''}` : ''}.\n` +
		`INIT_VNET_* statements left: ours ${left.ours.other} in code, ${left.ours.inDirective} in macro bodies (left and reported: not statements of their own); ` +
		`spatch ${left.spatch.other} in code, ${left.spatch.inDirective} in macro bodies.\n`;
}

// The machine's own ceiling for parallel work: N processes spinning on pure arithmetic against one.
// On a shared machine other tenants take their share, so "all workers / one worker" is judged against this.
{
	const spin = 'let x=0;for(let i=0;i<6e8;i++)x+=i&1;';
	const one = secondsOf(() => spawnSync(process.execPath, ['-e', spin]));
	const t0 = process.hrtime.bigint();
	await Promise.all(Array.from({ length: all }, () => new Promise((resolve) => spawn(process.execPath, ['-e', spin]).on('exit', resolve))));
	const many = Number(process.hrtime.bigint() - t0) / 1e9;
	rows.push({ what: `machine ceiling: ${all} CPU-bound processes vs 1`, s: many, note: `${((all * one) / many).toFixed(2)}x the work of one in the same time (1 alone: ${one.toFixed(2)} s)` });
}

// The table.
const fmt = (n, d = 1) => (n === undefined || Number.isNaN(n) ? '' : n.toFixed(d));
const header = ['measure', 'files', 'MB', 's', 'MB/s', 'peak RSS MB', 'note'];
const body = rows.map((r) => [r.what, r.files === undefined ? '' : String(r.files), fmt(r.mb), fmt(r.s, 2), fmt(r.rate), fmt(r.rss, 0), r.note ?? '']);
console.log(`| ${header.join(' | ')} |\n|${header.map(() => ' --- ').join('|')}|`);
for (const b of body) console.log(`| ${b.join(' | ')} |`);
const find = (prefix) => rows.find((r) => r.what.startsWith(prefix));
const parse = find('parse only');
const dry1 = find('dry run, all transforms, --jobs 1');
const dryN = find(`dry run, all transforms, --jobs ${all}`);
if (parse && dry1 && dryN) {
	// Two views of "per worker, against parse-only": counting only the files that hold a token (each
	// is parsed, indexed, migrated and re-parsed), and counting the whole tree (what parsing every
	// file would cost a tool without the prefilter).
	console.log(`\ndry run --jobs 1: on the token files ${(tokenMb / dry1.s).toFixed(2)} MB/s = ${((100 * tokenMb) / dry1.s / parse.rate).toFixed(0)}% of parse-only; ` +
		`on the whole tree ${(totalMb / dry1.s).toFixed(2)} MB/s = ${((100 * totalMb) / dry1.s / parse.rate).toFixed(0)}% of parse-only; ` +
		`--jobs ${all} / --jobs 1: ${(dry1.s / dryN.s).toFixed(2)}x`);
}
