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
	constructor?: string[];
}

const ARCH_NAMES = ['amd64', 'i386'] as const;

function out(s: string | Buffer): void {
	process.stdout.write(s);
}

function err(s: string): void {
	process.stderr.write(s.endsWith('\n') ? s : `${s}\n`);
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
	const { migrate } = await import('./pipeline');
	let index;
	if (flags.index) {
		try {
			const { readSavedIndex } = await import('./index/saved');
			index = await readSavedIndex(flags.index);
		} catch (e) {
			err(`vimage-migrate: --index ${flags.index}: ${(e as Error).message}`);
			return 2;
		}
	}
	let result;
	try {
		result = await migrate({
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
		if (e instanceof UnknownTransformError) {
			err(`vimage-migrate: ${e.message}`);
			return 2;
		}
		throw e;
	}
	if (flags.json) {
		const { toJsonReport } = await import('./print/json');
		out(`${JSON.stringify(toJsonReport(result, VERSION), null, 2)}\n`);
		return result.exitCode;
	}
	const stdoutColours = pc.createColors(Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);
	const stderrColours = pc.createColors(Boolean(process.stderr.isTTY) && !process.env.NO_COLOR);
	const { colourDiff } = await import('./print/diff');
	const { formatDiagnostics, formatSummary, formatVerification } = await import('./print/summary');
	for (const f of result.files) {
		if (f.status !== 'changed') continue;
		if (mode === 'dry-run' && f.diff && !flags.quiet) {
			// Diffs carry the files' bytes (Latin-1 decoded): write them back as bytes.
			out(Buffer.from(colourDiff(f.diff, stdoutColours), 'latin1'));
		} else if (mode === 'check') {
			out(`would change: ${f.path}\n`);
		} else if (mode === 'write' && f.written) {
			out(`${f.deleted ? 'deleted' : 'wrote'}: ${f.path}\n`);
		}
	}
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
}

async function runScan(paths: string[], flags: ScanFlags): Promise<number> {
	if (paths.length === 0) {
		err('vimage-migrate scan: no PATH given (try --help)');
		return 2;
	}
	const format = flags.json ? 'json' : (flags.format ?? 'json');
	if (format !== 'json' && format !== 'table' && format !== 'summary') {
		err(`vimage-migrate scan: unknown format '${format}' (json, table or summary)`);
		return 2;
	}
	const { promises: fs } = await import('fs');
	const { discover } = await import('./fs/discover');
	const { scanSources } = await import('./index/scan');
	const found = await discover(paths, { cwd: process.cwd() });
	for (const p of found.problems) err(`${p.path}: error: ${p.message}`);
	const index = await scanSources(
		found.files.map((f) => ({ path: f.displayPath, read: () => fs.readFile(f.absPath) })),
		// `constructor` is also every object's inherited property: read only an own one.
		{ constructors: Object.hasOwn(flags, 'constructor') ? flags.constructor : undefined },
	);
	let text: string;
	if (format === 'table') {
		const { formatMemberTable } = await import('./print/table');
		text = formatMemberTable(index);
	} else if (format === 'summary') {
		const { formatIndexSummary } = await import('./print/index-summary');
		text = formatIndexSummary(index);
	} else {
		text = `${JSON.stringify(index, null, 2)}\n`;
	}
	if (flags.output) await fs.writeFile(flags.output, text);
	else out(text);
	const errors = index.diagnostics.filter((d) => d.severity === 'error').length;
	err(`vimage-migrate scan: ${index.files.length} files indexed, ${index.modules.length} modules, ${index.members.length} members, ` +
		`${index.diagnostics.length} diagnostics (${errors} errors)`);
	return found.problems.length > 0 ? 1 : 0;
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
	// `verify --json`, `verify --arch`: a subcommand's options are its own, not the migration's of the same name.
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

export async function main(argv: string[]): Promise<void> {
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
