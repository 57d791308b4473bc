/*
 * verify --html: a self-contained page whose SVG memory map is drawn to
 * scale. The page is rendered by headless Chromium (Debian's `chromium`,
 * which .ci/run installs) and the screenshot's pixels are checked: the
 * kernel's variables, the module's extent and the free reserve must show in
 * their colours, in that order, with widths in proportion to their bytes.
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { scanSources } from '../src/index/scan';
import { formatHtmlReport, MAP_COLOURS } from '../src/print/html';
import { verifyIndexes } from '../src/verify/verify';

const FIXTURE = path.join(__dirname, 'fixtures/static-init');
const CHROMIUM = '/usr/bin/chromium';
const read = (dir: string, f: string) => readFileSync(path.join(FIXTURE, dir, f), 'latin1');
const QUXSTAT = '#include <net/vnet.h>\nstruct quxstat {\n\tint\tqs_version;\n\tint\tqs_len;\n\tlong\tqs_bytes;\n};\n';
const withStat = (t: string) => t.replace('#include <net/vnet.h>\n', QUXSTAT);

async function indexOf(files: Record<string, string>) {
	return scanSources(Object.entries(files).map(([p, text]) => ({ path: p, read: async () => Buffer.from(text, 'latin1') })));
}

/** The qux fixture as the kernel (132 bytes on amd64) and quxp as a loadable module (16 bytes). */
async function report() {
	const old = await indexOf({ 'qux.c': withStat(read('input', 'qux.c')), 'vqux.h': read('input', 'vqux.h'), 'mod/quxp.c': read('input', 'quxp.c') });
	const migrated = await indexOf({ 'qux.c': withStat(read('expected', 'qux.c')), 'mod/quxp.c': read('expected', 'quxp.c') });
	return verifyIndexes(old, migrated, undefined, { modules: [{ dir: 'mod', name: 'quxp' }] });
}

const work = mkdtempSync(path.join(tmpdir(), 'vimage-html-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function screenshot(html: string): PNG {
	const page = path.join(work, 'report.html');
	const png = path.join(work, 'shot.png');
	writeFileSync(page, html);
	const run = spawnSync(CHROMIUM, [
		'--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
		'--disable-component-update', '--disable-sync', '--hide-scrollbars', '--force-color-profile=srgb', '--force-device-scale-factor=1',
		`--user-data-dir=${path.join(work, 'profile')}`, '--window-size=1100,420', `--screenshot=${png}`, `file://${page}`,
	], { timeout: 90_000 });
	expect(run.error, `running ${CHROMIUM}`).toBeUndefined();
	expect(existsSync(png), `chromium wrote no screenshot: ${run.stderr?.toString().slice(-2000)}`).toBe(true);
	return PNG.sync.read(readFileSync(png));
}

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

/** Pixel columns per colour along one row of the screenshot. */
function runsOnRow(img: PNG, y: number, colours: Record<string, string[]>): Record<string, number[]> {
	const out: Record<string, number[]> = Object.fromEntries(Object.keys(colours).map((k) => [k, []]));
	for (let x = 0; x < img.width; x++) {
		const i = (y * img.width + x) * 4;
		const px = [img.data[i], img.data[i + 1], img.data[i + 2]];
		for (const [name, hexes] of Object.entries(colours)) {
			if (hexes.some((h) => rgb(h).every((c, k) => Math.abs(c - px[k]) <= 3))) out[name].push(x);
		}
	}
	return out;
}

describe('verify --html', () => {
	it('is self-contained: inline style and SVG, no scripts, no external references', async () => {
		const html = formatHtmlReport(await report(), { old: 'old', new: 'new' });
		expect(html).toMatch(/^<!DOCTYPE html>/);
		expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg" id="memory-map"');
		expect(html).not.toMatch(/<script|<link|<img|\bsrc=|\bhref=|url\(|@import/i);
		// The variable table: offsets, sizes, initial values.
		expect(html).toMatch(/<td><code>qux_ttl<\/code><\/td><td><code>int<\/code><\/td><td class="n">0<\/td><td class="n">4<\/td><td class="n">4<\/td><td><code>QUX_TTL<\/code><\/td>/);
		// The kernel's set first, then the module's, whatever the files' order.
		expect(html.indexOf('<code>qux_assumed</code>')).toBeLessThan(html.indexOf('<code>quxp_mode</code>'));
		expect(html).toMatch(/<td>quxp<\/td><td><code>quxp_limit<\/code><\/td>.*<td class="n">\d+<\/td><td class="n">4<\/td><td class="n">4<\/td><td><code>16<\/code><\/td>/);
	});

	it('renders in headless Chromium with the memory map to scale', async () => {
		expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium package (.ci/run does)`).toBe(true);
		const r = await report();
		expect(r.layout.kernel).toMatchObject({ setBytes: 132 + 8192, modspaceOffset: 132 });
		expect(r.layout.modules[0]).toMatchObject({ name: 'quxp', setBytes: 20, reserveOffset: 0 });
		const img = screenshot(formatHtmlReport(r, { old: 'old', new: 'new' }));
		const colours = { kernel: [...MAP_COLOURS.kernel], module: [MAP_COLOURS.modules[0]], free: [MAP_COLOURS.free] };
		// Find the two bars: rows where the free space's colour spans most of the width.
		const rows: number[] = [];
		for (let y = 0; y < img.height; y++) if (runsOnRow(img, y, { free: colours.free }).free.length > 600) rows.push(y);
		expect(rows.length, 'no row of the screenshot shows the free reserve: the map is blank').toBeGreaterThan(80);
		const region = runsOnRow(img, rows[Math.floor(rows.length / 4)], colours);
		const reserve = runsOnRow(img, rows[rows.length - 10], colours);
		// The whole region: kernel (132 of 12288 bytes: about 11 px of 1000), then the module, then free space.
		const total = r.layout.kernel.modspaceOffset! + r.layout.reserve.bytes;
		expect(region.kernel.length).toBeGreaterThanOrEqual(Math.floor((132 / total) * 1000) - 2);
		expect(region.kernel.length).toBeLessThanOrEqual(Math.ceil((132 / total) * 1000) + 2);
		expect(region.module.length).toBeGreaterThanOrEqual(1);
		expect(Math.max(...region.kernel)).toBeLessThan(Math.min(...region.module));
		expect(Math.max(...region.module)).toBeLessThan(Math.min(...region.free));
		expect(region.free.length).toBeGreaterThan(950);
		// The reserve alone: the module's 16 bytes at its start (2 px at least), free space after it.
		expect(reserve.kernel).toEqual([]);
		expect(reserve.module.length).toBeGreaterThanOrEqual(2);
		expect(Math.max(...reserve.module)).toBeLessThan(Math.min(...reserve.free));
	});
});

describe('verify --html on the command line', () => {
	it('writes the report next to the verdict', async () => {
		const { runCli } = await import('./helpers/run');
		const out = path.join(work, 'cli.html');
		const run = runCli(['verify', '--html', out, path.join(FIXTURE, 'input'), path.join(FIXTURE, 'expected')], FIXTURE);
		expect(run.status).toBe(0);
		const html = readFileSync(out, 'utf8');
		expect(html).toContain('<h1>vimage-migrate verify: <span class="pass">PASS</span></h1>');
		expect(html).toContain('size unknown on amd64 (struct quxstat is not defined in the tree): quxstat, quxlate');
		expect(runCli(['verify', '--html', '/no/such/dir/x.html', path.join(FIXTURE, 'input'), path.join(FIXTURE, 'expected')], FIXTURE).status).toBe(2);
	});
});
