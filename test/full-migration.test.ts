/*
 * The full migration of the bundled corpus by the tool itself (all
 * transforms), checked three ways: verify passes; nothing is left for the
 * developer; and the result, untouched, builds with gcc against the
 * new-design shims and prints the same per-vnet state as the old corpus
 * against the old shims, with and without VIMAGE.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, MigrationResult } from '../src';
import { discover } from '../src/fs/discover';
import { scanSources } from '../src/index/scan';
import type { CorpusIndex } from '../src/index/types';
import { removeTree, ROOT } from './helpers/run';
import { compileAndRun } from './shim/harness';

const TRANSFORMS = ['remove-init-vnet', 'vnet-define', 'sysctl', 'static-init'];
/** Dead members: the old tree prints them, the migration drops them (README). */
const DEAD = ['icmp_rfi_unused', 'ngtag_spare'];

let dir: string;
let result: MigrationResult;
beforeAll(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'full-migration-'));
	cpSync(path.join(ROOT, 'corpus/sys'), path.join(dir, 'sys'), { recursive: true });
	cpSync(path.join(ROOT, 'corpus/modules'), path.join(dir, 'modules'), { recursive: true });
	result = await migrate({ paths: ['sys', 'modules'], cwd: dir, mode: 'write', transforms: TRANSFORMS, verify: true });
});
afterAll(() => removeTree(dir));

describe('full migration of the corpus by the tool', () => {
	it('writes every file and verifies', () => {
		expect(result.totals.failed).toBe(0);
		expect(result.verification?.ok).toBe(true);
		expect(result.verification?.checked.members).toBeGreaterThanOrEqual(100);
	});

	it('gives every live member of the old index exactly one VNET_DEFINE of its type (per configuration)', async () => {
		const scan = async (cwd: string): Promise<CorpusIndex> => {
			const found = await discover(['sys', 'modules'], { cwd });
			return scanSources(found.files.map((f) => ({ path: f.displayPath, read: () => readFileSync(f.absPath) })));
		};
		const before = await scan(path.join(ROOT, 'corpus'));
		const after = await scan(dir);
		const defines = after.parts.flatMap((p) => p.vnetDefinitions).filter((d) => d.macro === 'VNET_DEFINE');
		const norm = (t: string) => t.replace(/\s+/g, ' ').replace(/\s*\*/g, ' *').replace(/\* \*/g, '**').trim();
		// The spellings vnet-define documents: a function pointer through the tree's typedef,
		// a queue head through the struct its macro declares (an anonymous one through a new tag).
		const spelled: Record<string, string> = { ngtag_filter: 'ngtag_filter_t *' };
		const live = before.members.filter((m) => !m.dead);
		expect(live.length).toBeGreaterThanOrEqual(100);
		for (const m of live) {
			const mine = defines.filter((d) => d.name === m.name);
			// Several only as the arms of one #if/#else: one definition per configuration.
			const arms = new Set(mine.map((d) => d.conditions.map((c) => `${c.at}:${c.armIndex}`).join('/')));
			expect(arms.size, `${m.name}: ${mine.length} definitions`).toBe(mine.length);
			expect(mine.length === 1 || mine.every((d) => d.conditions.length > 0), m.name).toBe(true);
			for (const d of mine) {
				const q = m.type.queueMacro;
				// A queue head declared by its macro in a header is defined as the struct the macro declared.
				const tagged = !q ? [] : q.tag === null ? [`struct ${m.name}_head`, `${q.macro}(${m.name}_head, ${q.element})`] : [`struct ${q.tag}`];
				const want = spelled[m.name] ?? (tagged.includes(d.type) ? d.type : m.type.text.replace(/\[.*$/, ''));
				expect(norm(d.type), m.name).toBe(norm(want));
				expect(d.bounds, m.name).toEqual(m.type.bounds);
			}
		}
		for (const d of before.members.filter((m) => m.dead)) expect(defines.some((x) => x.name === d.name), d.name).toBe(false);
	});

	it('lays out the kernel set and the two modules with their own containers (found by KMOD=) on amd64', () => {
		const layout = result.verification!.layout;
		expect(layout.modules.map((m) => [m.name, m.dir, m.status, m.setBytes])).toEqual([
			['ngtag', 'modules/ngtag', 'size-unknown', undefined], // struct callout, IFNAMSIZ: not in the corpus
			['pfilt', 'modules/pfilt', 'loaded', 68],
		]);
		expect(layout.reserve).toEqual({ bytes: 8192, exact: false, usedBytes: 72, freeBytes: 8120 });
		expect(layout.kernel).toMatchObject({ variables: 86, unknownVariables: 18, knownBytes: 1606 });
	});

	it('changes nothing on a second run', async () => {
		const again = await migrate({ paths: ['sys', 'modules'], cwd: dir, mode: 'check', transforms: TRANSFORMS });
		expect(again.totals.changed).toBe(0);
		expect(again.totals.scanned).toBeGreaterThanOrEqual(30);
	});

	it('leaves nothing for the developer', () => {
		const warnings = result.files.flatMap((f) => f.diagnostics).filter((d) => d.severity === 'warning');
		const unfinished = warnings.filter((d) => d.code !== 'static-init/behaviour-change');
		expect(unfinished.map((d) => `${d.file}:${d.line} ${d.code}`)).toEqual([]);
		expect(result.verification?.findings.filter((f) => f.code === 'verify/reported-left')).toHaveLength(0);
	});

	it('builds as it is and prints the same per-vnet state as the old corpus', () => {
		const strip = (out: string) => out.split('\n').filter((l) => !DEAD.some((d) => l.startsWith(`var ${d} [`))).join('\n');
		for (const vimage of [true, false]) {
			const before = strip(compileAndRun(path.join(ROOT, 'corpus'), 'old', { vimage }).stdout);
			const after = compileAndRun(dir, 'new', { vimage }).stdout;
			expect(after.split('\n').length).toBeGreaterThan(500);
			expect(after, vimage ? 'VIMAGE' : 'no VIMAGE').toBe(before);
		}
	});
});

describe('the gcc harness catches a wrong move', () => {
	it('moving a conditional assignment into the static initializer changes the printed state', () => {
		// As a careless static-init would: `if (bootverbose) V_ngtag_enable = 1;` made the initializer.
		const p = path.join(dir, 'modules/ngtag/ngtag.c');
		const migrated = readFileSync(p, 'latin1');
		const wrong = migrated
			.replace('#else\nVNET_DEFINE(int, ngtag_enable);', '#else\nVNET_DEFINE(int, ngtag_enable) = 1;')
			.replace('\tif (bootverbose)\n\t\tV_ngtag_enable = 1;\n', '');
		expect(wrong.length).toBeLessThan(migrated.length);
		expect(wrong).not.toBe(migrated);
		writeFileSync(p, Buffer.from(wrong, 'latin1'));
		try {
			const before = compileAndRun(path.join(ROOT, 'corpus'), 'old', { vimage: true }).stdout;
			const after = compileAndRun(dir, 'new', { vimage: true }).stdout;
			const enable = (out: string) => out.split('\n').filter((l) => l.startsWith('var ngtag_enable ['));
			expect(enable(after)).not.toEqual(enable(before));
		} finally {
			writeFileSync(p, Buffer.from(migrated, 'latin1'));
		}
	});
});
