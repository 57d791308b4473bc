// Benchmark: CLI start-up (`--help`) and a dry run over the bundled corpus.
// Prints figures; asserts nothing. Run with `npm run bench` after `npm ci`.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin/vimage-migrate.js');

function time(args, runs) {
	const ms = [];
	for (let i = 0; i < runs; i++) {
		const t0 = process.hrtime.bigint();
		const r = spawnSync(process.execPath, [cli, ...args], { cwd: root });
		ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
		if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
	}
	ms.sort((a, b) => a - b);
	return { median: ms[Math.floor(ms.length / 2)], min: ms[0], max: ms[ms.length - 1] };
}

function bytesUnder(dir) {
	let n = 0;
	let files = 0;
	for (const e of readdirSync(dir, { withFileTypes: true })) {
		const p = join(dir, e.name);
		if (e.isDirectory()) {
			const sub = bytesUnder(p);
			n += sub.bytes;
			files += sub.files;
		} else if (/\.[ch]$/.test(e.name)) {
			n += statSync(p).size;
			files++;
		}
	}
	return { bytes: n, files };
}

const help = time(['--help'], 20);
console.log(`--help: median ${help.median.toFixed(1)} ms (min ${help.min.toFixed(1)}, max ${help.max.toFixed(1)}) over 20 runs`);
const trees = ['corpus/sys', 'corpus/modules'];
const size = trees.map((t) => bytesUnder(join(root, t))).reduce((a, b) => ({ bytes: a.bytes + b.bytes, files: a.files + b.files }));
const dry = time(['--dry-run', '--quiet', ...trees], 5);
console.log(
	`dry run over corpus (${size.files} files, ${(size.bytes / 1024).toFixed(0)} KB): median ${dry.median.toFixed(0)} ms ` +
		`(${(size.bytes / 1e6 / (dry.median / 1000)).toFixed(2)} MB/s end to end, process start included)`,
);
