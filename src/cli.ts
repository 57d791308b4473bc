/*
 * The command line: a thin shell over `migrate()`. Heavy modules (the
 * parser, diff, the pipeline) load only when a run starts, so `--help`
 * stays fast.
 */
import { Command, CommanderError, Option } from 'commander';
import pc from 'picocolors';
import type { Mode } from './pipeline';

const VERSION: string = require('../../package.json').version;

interface MigrateFlags {
	dryRun?: boolean;
	write?: boolean;
	check?: boolean;
	transform?: string[];
	json?: boolean;
	quiet?: boolean;
	listTransforms?: boolean;
	index?: string;
	explain?: boolean;
	verify?: boolean;
	arch?: string;
	html?: string;
	constructor?: string[];
	jobs?: string;
	timeout?: string;
	shard?: string;
	progress?: boolean;
}

const ARCH_NAMES = ['amd64', 'i386'] as const;

function out(s: string | Buffer): void {
	process.stdout.write(s);
}

function err(s: string): void {
	process.stderr.write(s.endsWith('\n') ? s : `${s}\n`);
}

/** `--jobs N`: a positive integer; default: the cores available. */
function parseJobs(value: string | undefined, availableCores: number): number | string {
	if (value === undefined) return availableCores;
	return /^[1-9]\d*$/.test(value) ? Number(value) : `--jobs ${value}: not a positive integer`;
}

/** `--timeout SECONDS`: a positive number; 0 or absent: no limit. */
function parseTimeout(value: string | undefined): number | string {
	if (value === undefined) return 0;
	const n = Number(value);
	return /^\d+(\.\d+)?$/.test(value) && Number.isFinite(n) ? n : `--timeout ${value}: not a number of seconds`;
}

/** `--shard K/N`: 1 <= K <= N. */
export function parseShard(value: string | undefined): { index: number; count: number } | undefined | string {
	if (value === undefined) return undefined;
	const m = /^([1-9]\d*)\/([1-9]\d*)$/.exec(value);
	if (!m || Number(m[1]) > Number(m[2])) return `--shard ${value}: expected K/N with 1 <= K <= N`;
	return { index: Number(m[1]), count: Number(m[2]) };
}

/**
 * A progress bar on stderr, only on a terminal and never under CI; not when
 * per-file lines go to the same terminal on stdout (they would tear it), unless --quiet.
 */
async function progressBar(enabled: boolean | undefined, quiet: boolean): Promise<((p: import('./pipeline').Progress) => void) & { stop(): void } | undefined> {
	if (enabled === false || !process.stderr.isTTY || process.env.CI || (process.stdout.isTTY && !quiet)) return undefined;
	const { SingleBar } = await import('cli-progress');
	const bar = new SingleBar({
		stream: process.stderr,
		format: '{phase} [{bar}] {value}/{total} files | {mb} MB | {rate} MB/s | ETA {eta_formatted}',
		hideCursor: true,
		clearOnComplete: true,
		etaBuffer: 200,
		fps: 5,
	});
	const t0 = Date.now();
	let phase = '';
	let phaseStart = t0;
	const update = (p: import('./pipeline').Progress) => {
		if (p.phase !== phase) {
			if (phase) bar.stop();
			phase = p.phase;
			phaseStart = Date.now();
			bar.start(p.total, 0, { phase: p.phase.padEnd(7), mb: '0.0', rate: '0.0' });
		}
		const s = Math.max(0.001, (Date.now() - phaseStart) / 1000);
		bar.update(p.done, { phase: p.phase.padEnd(7), mb: (p.bytes / 1e6).toFixed(1), rate: (p.bytes / 1e6 / s).toFixed(1) });
	};
	return Object.assign(update, { stop: () => { if (phase) bar.stop(); } });
}

async function runMigrate(paths: string[], flags: MigrateFlags): Promise<number> {
	const { TRANSFORMS, UnknownTransformError } = await import('./transforms');
	if (flags.listTransforms) {
		for (const t of TRANSFORMS) out(`${t.name}\t${t.description}\n`);
		return 0;
	}
	if (paths.length === 0) {
		err('vimage-migrate: no PATH given (try --help)');
		return 2;
	}
	const mode: Mode = flags.write ? 'write' : flags.check ? 'check' : 'dry-run';
	const { availableParallelism } = await import('os');
	const jobs = parseJobs(flags.jobs, availableParallelism());
	const timeout = parseTimeout(flags.timeout);
	const shard = parseShard(flags.shard);
	for (const problem of [jobs, timeout, shard]) {
		if (typeof problem === 'string') {
			err(`vimage-migrate: ${problem}`);
			return 2;
		}
	}
	if (shard && (!flags.index || flags.verify)) {
		err('vimage-migrate: --shard needs --index FILE, the whole tree\'s index (`scan --merge`), and cannot --verify (verify the merged tree)');
		return 2;
	}
	const { migrate } = await import('./pipeline');
	let index;
	if (flags.index) {
		try {
			const { readSavedIndex } = await import('./index/saved');
			index = await readSavedIndex(flags.index);
			if (index.shard) throw new Error(`a shard's partial index (${index.shard.index}/${index.shard.count}): merge the shards first (scan --merge)`);
		} catch (e) {
			err(`vimage-migrate: --index ${flags.index}: ${(e as Error).message}`);
			return 2;
		}
	}
	const stdoutColours = pc.createColors(Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);
	const stderrColours = pc.createColors(Boolean(process.stderr.isTTY) && !process.env.NO_COLOR);
	const { colourDiff } = await import('./print/diff');
	const { JsonReportStream } = await import('./print/json');
	const json = flags.json ? new JsonReportStream(out, mode) : undefined;
	const progress = await progressBar(flags.progress, Boolean(flags.quiet));
	// Each file's output goes out as soon as it and every file before it are done.
	const emit = (f: import('./pipeline').FileResult) => {
		if (json) return json.file(f);
		if (f.status !== 'changed') return;
		if (mode === 'dry-run' && f.diff && !flags.quiet) {
			// Diffs carry the files' bytes (Latin-1 decoded): write them back as bytes.
			out(Buffer.from(colourDiff(f.diff, stdoutColours), 'latin1'));
		} else if (mode === 'check') {
			out(`would change: ${f.path}\n`);
		} else if (mode === 'write' && f.written) {
			out(`${f.deleted ? 'deleted' : 'wrote'}: ${f.path}\n`);
		}
	};
	let result;
	try {
		result = await migrate({
			jobs: jobs as number,
			timeout: timeout as number,
			...(shard ? { shard: shard as { index: number; count: number } } : {}),
			onResult: emit,
			...(progress ? { onProgress: progress } : {}),
			paths,
			mode,
			transforms: flags.transform,
			diffs: mode !== 'write',
			index,
			explain: flags.explain ?? false,
			verify: flags.verify ?? false,
			arch: (flags.arch ?? 'amd64') as 'amd64' | 'i386',
			// `constructor` is also every object's inherited property: read only an own one.
			constructors: Object.hasOwn(flags, 'constructor') ? flags.constructor : undefined,
		});
	} catch (e) {
		progress?.stop();
		if (e instanceof UnknownTransformError) {
			err(`vimage-migrate: ${e.message}`);
			return 2;
		}
		throw e;
	}
	progress?.stop();
	if (flags.html) {
		if (!result.verification) {
			err('vimage-migrate: --html needs --verify (the report is of the verdict)');
			return 2;
		}
		const { formatHtmlReport } = await import('./print/html');
		try {
			await (await import('fs')).promises.writeFile(flags.html, formatHtmlReport(result.verification, { old: paths.join(' '), new: `${paths.join(' ')} (migrated${mode === 'write' ? '' : ', in memory'})` }));
		} catch (e) {
			err(`vimage-migrate: --html ${flags.html}: ${(e as Error).message}`);
			return 2;
		}
	}
	if (json) {
		json.end(result, VERSION);
		return result.exitCode;
	}
	const { formatDiagnostics, formatSummary, formatVerification } = await import('./print/summary');
	for (const line of formatDiagnostics(result, stderrColours)) err(line);
	for (const line of formatSummary(result, stderrColours)) err(line);
	if (result.verification) for (const line of formatVerification(result.verification, stderrColours)) err(line);
	return result.exitCode;
}

interface ScanFlags {
	json?: boolean;
	format?: string;
	output?: string;
	constructor?: string[];
	jobs?: string;
	shard?: string;
	merge?: boolean;
}

async function runScan(paths: string[], flags: ScanFlags): Promise<number> {
	if (paths.length === 0) {
		err(`vimage-migrate scan: no ${flags.merge ? 'shard index FILE' : 'PATH'} given (try --help)`);
		return 2;
	}
	const format = flags.json ? 'json' : (flags.format ?? 'json');
	if (format !== 'json' && format !== 'table' && format !== 'summary') {
		err(`vimage-migrate scan: unknown format '${format}' (json, table or summary)`);
		return 2;
	}
	const { availableParallelism } = await import('os');
	const jobs = parseJobs(flags.jobs, availableParallelism());
	const shard = parseShard(flags.shard);
	for (const problem of [jobs, shard]) {
		if (typeof problem === 'string') {
			err(`vimage-migrate scan: ${problem}`);
			return 2;
		}
	}
	if (shard && flags.merge) {
		err('vimage-migrate scan: --shard and --merge exclude each other');
		return 2;
	}
	if (shard && format !== 'json') {
		err('vimage-migrate scan: a shard is saved as JSON only (merge the shards, then print a table or summary)');
		return 2;
	}
	const { promises: fs } = await import('fs');
	// `constructor` is also every object's inherited property: read only an own one.
	const constructors = Object.hasOwn(flags, 'constructor') ? flags.constructor : undefined;
	const { mergeShards, scanTree } = await import('./pipeline');
	let index;
	let problems = 0;
	if (flags.merge) {
		const { readSavedIndex } = await import('./index/saved');
		const shards = [];
		for (const file of paths) {
			try {
				const part = await readSavedIndex(file);
				if (!part.shard) throw new Error('not a shard (write one with `scan --shard K/N -o FILE`)');
				shards.push(part);
			} catch (e) {
				err(`vimage-migrate scan --merge: ${file}: ${(e as Error).message}`);
				return 2;
			}
		}
		const count = shards[0].shard!.count;
		const seen = new Set(shards.map((x) => x.shard!.index));
		if (shards.some((x) => x.shard!.count !== count) || seen.size !== count || seen.size !== shards.length) {
			err(`vimage-migrate scan --merge: the shards given are not each of 1/${count} .. ${count}/${count} exactly once`);
			return 2;
		}
		index = await mergeShards(shards, { jobs: jobs as number, constructors });
	} else {
		const scanned = await scanTree({ paths, jobs: jobs as number, constructors, ...(shard ? { shard: shard as { index: number; count: number } } : {}) });
		for (const p of scanned.problems) err(`${p.path}: error: ${p.message}`);
		problems = scanned.problems.length;
		index = scanned.index;
	}
	if (format === 'table' || format === 'summary') {
		const text = format === 'table' ? (await import('./print/table')).formatMemberTable(index) : (await import('./print/index-summary')).formatIndexSummary(index);
		if (flags.output) await fs.writeFile(flags.output, text);
		else out(text);
	} else {
		// Never one string: a large tree's index is longer than the longest string V8 holds.
		const { indexJsonChunks, writeSavedIndex } = await import('./index/saved');
		if (flags.output) await writeSavedIndex(flags.output, index);
		else {
			let pending: string[] = [];
			for (const chunk of indexJsonChunks(index)) {
				pending.push(chunk);
				if (pending.length >= 1024) {
					out(pending.join(''));
					pending = [];
				}
			}
			out(pending.join(''));
		}
	}
	const errors = index.diagnostics.filter((d) => d.severity === 'error').length;
	err(`vimage-migrate scan: ${index.files.length} files indexed, ${index.modules.length} modules, ${index.members.length} members, ` +
		`${index.diagnostics.length} diagnostics (${errors} errors)${index.shard ? ` (shard ${index.shard.index}/${index.shard.count}: merge the shards with scan --merge)` : ''}`);
	return problems > 0 ? 1 : 0;
}

interface VerifyFlags {
	json?: boolean;
	arch?: string;
	html?: string;
}

async function runVerify(oldRoot: string, newRoot: string, flags: VerifyFlags): Promise<number> {
	const { promises: fs } = await import('fs');
	const path = await import('path');
	const { discover } = await import('./fs/discover');
	const { scanSources } = await import('./index/scan');
	const { verifyIndexes } = await import('./verify/verify');
	const indexOf = async (root: string) => {
		const abs = path.resolve(root);
		// Paths relative to each root, so the two trees' files pair up.
		const found = await discover(['.'], { cwd: abs });
		for (const p of found.problems) err(`${root}: error: ${p.message}`);
		return scanSources(found.files.map((f) => ({ path: f.displayPath, read: () => fs.readFile(f.absPath) })));
	};
	for (const root of [oldRoot, newRoot]) {
		const st = await fs.stat(root).catch(() => undefined);
		if (!st?.isDirectory()) {
			err(`vimage-migrate verify: ${root} is not a directory`);
			return 2;
		}
	}
	const newIndex = await indexOf(newRoot);
	const { findModuleDirs } = await import('./fs/kmod');
	const modules = await findModuleDirs(newIndex.files, (dir) => path.join(path.resolve(newRoot), dir));
	const result = verifyIndexes(await indexOf(oldRoot), newIndex, undefined, { arch: (flags.arch ?? 'amd64') as 'amd64' | 'i386', modules });
	if (flags.html) {
		const { formatHtmlReport } = await import('./print/html');
		try {
			await fs.writeFile(flags.html, formatHtmlReport(result, { old: oldRoot, new: newRoot }));
		} catch (e) {
			err(`vimage-migrate verify: --html ${flags.html}: ${(e as Error).message}`);
			return 2;
		}
	}
	if (flags.json) out(`${JSON.stringify(result, null, 2)}\n`);
	else {
		const { formatVerification } = await import('./print/summary');
		const colours = pc.createColors(Boolean(process.stderr.isTTY) && !process.env.NO_COLOR);
		for (const line of formatVerification(result, colours)) err(line);
	}
	return result.ok ? 0 : 1;
}

/** Repeatable list options. They get an own `[]` default, since `--constructor`'s key is also Object.prototype's. */
function collect(value: string, previous: string[] = []): string[] {
	return [...previous, ...value.split(',').filter(Boolean)];
}

export function buildProgram(): Command {
	const program = new Command();
	// Usage errors exit 2; set before adding subcommands so they inherit it.
	program.exitOverride();
	// Options after a command name are that command's (`verify --json`, `scan --jobs 2`), not the migration's of the same name.
	program.enablePositionalOptions();
	program
		.name('vimage-migrate')
		.description(
			'Migrate FreeBSD VIMAGE network-stack C code from container structs and INIT_VNET_*() ' +
				'to the r195699 vnet design (VNET_DEFINE, V_ accessors over VNET()).\n' +
				'Without a command, migrates PATHs: prints a unified diff; nothing is written without --write.',
		)
		.version(VERSION)
		.addHelpText(
			'after',
			'\nExit status: 0 success, 1 some file failed (or --check found changes), 2 usage error.\n' +
				'Examples:\n' +
				'  vimage-migrate sys/netinet > migrate.patch && git apply migrate.patch\n' +
				'  vimage-migrate --write --transform remove-init-vnet sys/\n' +
				'  vimage-migrate --check --json sys/ > report.json\n' +
				'  vimage-migrate scan --format table sys/',
		);
	program
		.argument('[paths...]', 'C files and directories to migrate (directories: *.c and *.h, recursively)')
		.addOption(new Option('--dry-run', 'print unified diffs, write nothing (default)').conflicts(['write', 'check']))
		.addOption(new Option('--write', 'replace changed files in place, atomically').conflicts(['check']))
		.addOption(new Option('--check', 'write nothing; exit 1 if any file would change (for CI)'))
		.option('-t, --transform <name>', 'run only this transform (repeatable, or comma-separated; default: all, in order)', collect)
		.option('--json', 'print one JSON report on stdout instead of diffs and summary')
		.option('-q, --quiet', 'dry run: print the summary only, no diffs')
		.option('--list-transforms', 'list the transforms and exit')
		.option('--index <file>', 'a saved `scan --json` of the kernel tree an out-of-tree module was written against')
		.option('--constructor <name>', 'also treat this function as a per-vnet constructor (repeatable)', collect, [] as string[])
		.option('--explain', 'report the rule behind every decision (each moved or kept assignment, ...)')
		.option('--verify', 'check the migrated result against the old tree (before anything is written); exit 1 if it fails')
		.addOption(new Option('--arch <arch>', 'with --verify: lay variables out for this architecture').choices(ARCH_NAMES).default('amd64'))
		.option('--html <file>', 'with --verify: also write the verdict as a self-contained HTML report (memory map, variables)')
		.option('-j, --jobs <n>', 'worker threads (default: the cores available; 1 runs in this thread)')
		.option('--timeout <seconds>', 'per-file time limit: a file taking longer fails as a timeout, the run goes on (exit 1)')
		.option('--shard <k/n>', 'process only the K-th of N contiguous slices of the files (needs --index of the whole tree, see scan --merge)')
		.option('--no-progress', 'no progress bar (it is shown only when stderr is a terminal, and never under CI)')
		.action(async (paths: string[], flags: MigrateFlags) => {
			process.exitCode = await runMigrate(paths, flags);
		});
	program
		.command('scan')
		.description('index the old VIMAGE design of a tree: containers, members, definitions, constructors, sysctls')
		.argument('[paths...]', 'C files and directories')
		.option('--json', 'JSON output (the default)')
		.option('--format <format>', 'json (default), table (one row per member) or summary (everything, as reviewable text)')
		.option('-o, --output <file>', 'write the result to FILE instead of stdout')
		.option('--constructor <name>', 'also treat this function as a per-vnet constructor (repeatable)', collect, [] as string[])
		.option('-j, --jobs <n>', 'worker threads (default: the cores available)')
		.option('--shard <k/n>', 'index only the K-th of N contiguous slices of the files (JSON; merge the shards with --merge)')
		.option('--merge', 'the arguments are shard indexes (scan --shard): merge them into the whole tree\'s index')
		.action(async (paths: string[], flags: ScanFlags) => {
			process.exitCode = await runScan(paths, flags);
		});
	program
		.command('verify')
		.description('prove a migrated tree keeps every virtualized variable of the old one: definitions, types, accessors, initial values')
		.argument('<old>', 'the tree before migration')
		.argument('<new>', 'the migrated tree')
		.option('--json', 'print the verdict as JSON')
		.addOption(new Option('--arch <arch>', 'lay variables out for this architecture').choices(ARCH_NAMES).default('amd64'))
		.option('--html <file>', 'also write a self-contained HTML report: a memory map of the vnet region and the variables')
		.action(async (oldRoot: string, newRoot: string, flags: VerifyFlags) => {
			process.exitCode = await runVerify(oldRoot, newRoot, flags);
		});
	return program;
}

/**
 * SIGINT and SIGTERM end the run at once with 128 + the signal's number: a file is replaced by
 * rename only, so each is old or new, and the temporary file of a write in progress is removed by
 * write-file-atomic's exit handler. Handled explicitly, since a signal a parent shell ignored
 * (background jobs ignore SIGINT) would otherwise not stop the run.
 */
function exitOnSignals(): void {
	for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
		process.on(signal, () => process.exit(code));
	}
}

export async function main(argv: string[]): Promise<void> {
	exitOnSignals();
	const program = buildProgram();
	try {
		await program.parseAsync(argv);
	} catch (e) {
		if (e instanceof CommanderError) {
			process.exitCode = e.exitCode === 0 ? 0 : 2;
			return;
		}
		err(`vimage-migrate: internal error: ${(e as Error).stack ?? e}`);
		process.exitCode = 1;
	}
}

if (require.main === module) void main(process.argv);
