/*
 * `verify --html FILE`: one self-contained page (inline CSS and SVG, no
 * scripts, no external assets) with the verdict, an SVG memory map of the
 * vnet region drawn to scale (the kernel's variables, the module reserve,
 * each module's extent, free space) and a second bar with the reserve alone,
 * the byte figures, and the table of variables with offsets, sizes and
 * initial values.
 */
import type { LayoutReport, VariableLayout } from '../verify/layout';
import type { VerifyResult } from '../verify/verify';

/** Fill colours of the map; the screenshot test looks for them. */
export const MAP_COLOURS = {
	kernel: ['#3b6fb6', '#5b8fd6'],
	kernelUnknown: '#9a9a9a',
	free: '#8fd18f',
	modules: ['#e8862a', '#c0392b', '#8e44ad', '#d4ac0d', '#16a085', '#7f4f24'],
	failed: '#ff00aa',
} as const;

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const WIDTH = 1000;
const BAR = 56;

interface Segment {
	start: number;
	len: number;
	fill: string;
	label: string;
	title: string;
	dashed?: boolean;
	/** Drawn under the segments that follow (a backdrop): does not push them right. */
	under?: boolean;
}

function bar(segments: Segment[], total: number, y: number, caption: string): string {
	const scale = WIDTH / Math.max(total, 1);
	const out = [`<text x="0" y="${y - 8}" class="cap">${escape(caption)}</text>`];
	out.push(`<rect x="0" y="${y}" width="${WIDTH}" height="${BAR}" fill="#ffffff" stroke="#333" stroke-width="1"/>`);
	out.push('<g shape-rendering="crispEdges">');
	let drawnEnd = 0;
	for (const s of segments) {
		// Anything that holds bytes stays visible, however small (2 px), and is not drawn over by the next one.
		const x = s.under ? s.start * scale : Math.max(s.start * scale, drawnEnd);
		const w = Math.min(Math.max(s.len * scale, s.len > 0 ? 2 : 0), WIDTH - x);
		if (!s.under) drawnEnd = x + w;
		out.push(`<rect x="${x.toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${BAR}" fill="${s.fill}"${s.dashed ? ' stroke="#333" stroke-dasharray="4 3"' : ''}><title>${escape(s.title)}</title></rect>`);
		if (w > 60) out.push(`<text x="${(x + 4).toFixed(2)}" y="${y + BAR / 2 + 4}" class="seg">${escape(s.label)}</text>`);
	}
	out.push('</g>');
	out.push(`<text x="0" y="${y + BAR + 14}" class="tick">0</text>`);
	out.push(`<text x="${WIDTH}" y="${y + BAR + 14}" class="tick" text-anchor="end">${total} bytes</text>`);
	return out.join('\n');
}

function moduleColour(i: number): string {
	return MAP_COLOURS.modules[i % MAP_COLOURS.modules.length];
}

/** The whole region and the reserve alone, each to its own scale. */
export function memoryMapSvg(l: LayoutReport): string {
	const k = l.kernel;
	const kernelBytes = k.setBytes !== undefined ? k.modspaceOffset! : k.knownBytes;
	const regionSegments: Segment[] = [];
	const kernelVars = l.variables.filter((v) => v.set === 'kernel');
	if (k.setBytes !== undefined) {
		// The kernel's part as one block; variables wide enough to see get their own rectangles (and tooltips).
		regionSegments.push({ start: 0, len: kernelBytes, fill: MAP_COLOURS.kernel[0], label: `kernel ${kernelBytes} B`, title: `kernel variables: ${kernelBytes} bytes before modspace`, under: true });
		const scale = WIDTH / Math.max(kernelBytes + l.reserve.bytes, 1);
		kernelVars.forEach((v, i) => {
			if (v.size! * scale < 3) return;
			regionSegments.push({ start: v.offset!, len: v.size!, fill: MAP_COLOURS.kernel[i % 2], label: v.name, title: `${v.name}: offset ${v.offset}, ${v.size} bytes` });
		});
	} else if (k.variables > 0) {
		// Unknown sizes: the known bytes, to scale, as one dashed block (offsets past the first unknown are unknown).
		regionSegments.push({ start: 0, len: k.knownBytes, fill: MAP_COLOURS.kernelUnknown, dashed: true,
			label: `kernel ≥ ${k.knownBytes} B`, title: `kernel set: ${k.variables} variables, ${k.unknownVariables} of unknown size; the others take ${k.knownBytes} bytes` });
	}
	const reserveSegments: Segment[] = [];
	const base = kernelBytes;
	let used = 0;
	l.modules.forEach((m, i) => {
		if (m.status !== 'loaded' || m.reserveOffset === undefined || !m.allocatedBytes) return;
		reserveSegments.push({ start: m.reserveOffset, len: m.allocatedBytes, fill: moduleColour(i), label: m.name, title: `module ${m.name}: reserve offset ${m.reserveOffset}, ${m.setBytes} bytes (${m.allocatedBytes} allocated)` });
		used = Math.max(used, m.reserveOffset + m.allocatedBytes);
	});
	// Free space: the reserve minus the module blocks (loaded in order, without unloads: one extent at the end).
	const taken = reserveSegments.reduce((s, x) => s + x.len, 0);
	reserveSegments.push({ start: used, len: l.reserve.bytes - used, fill: MAP_COLOURS.free, label: `free ${l.reserve.freeBytes} B`, title: `free: ${l.reserve.freeBytes} bytes (${taken} used)` });
	for (const s of reserveSegments) regionSegments.push({ ...s, start: base + s.start });
	const failed = l.modules.filter((m) => m.status === 'out-of-space');
	const total = base + l.reserve.bytes;
	const height = 250 + (failed.length ? 30 : 0);
	const parts = [
		`<svg xmlns="http://www.w3.org/2000/svg" id="memory-map" width="${WIDTH + 20}" height="${height}" viewBox="-10 0 ${WIDTH + 20} ${height}" role="img" aria-label="memory map of the vnet region">`,
		'<style>.cap{font:13px sans-serif;fill:#222}.seg{font:11px sans-serif;fill:#fff}.tick{font:11px sans-serif;fill:#555}</style>',
		bar(regionSegments, total, 30, `vnet region on ${l.arch}: kernel set${k.setBytes === undefined ? ' (size unknown: known part)' : ''}, then the module reserve (${l.reserve.bytes} bytes), to scale`),
		bar(reserveSegments, l.reserve.bytes, 150, `module reserve alone (${l.reserve.exact ? `VNET_MODSIZE, ${l.reserveOption}` : 'VNET_MODMIN'}): modules in load order, free space`),
	];
	if (failed.length) {
		parts.push(`<rect x="0" y="${height - 26}" width="14" height="14" fill="${MAP_COLOURS.failed}"/>`);
		parts.push(`<text x="20" y="${height - 14}" class="cap">does not fit: ${escape(failed.map((m) => `${m.name} (${m.shortfall} bytes short)`).join(', '))}</text>`);
	}
	parts.push('</svg>');
	return parts.join('\n');
}

function offsetText(v: VariableLayout): string {
	if (v.offset !== undefined) return String(v.offset);
	if (v.reserveOffset !== undefined) return `reserve + ${v.reserveOffset}`;
	return 'unknown';
}

function figures(l: LayoutReport): string {
	const k = l.kernel;
	const rows: string[][] = [
		['kernel set', k.setBytes !== undefined ? `${k.setBytes} (VNET_BYTES, modspace included; VNET_SIZE ${k.vnetSize})` : k.variables === 0 ? 'not in the trees given' : `unknown (${k.unknownVariables} of ${k.variables} variables of unknown size; the others ${k.knownBytes})`, `${k.variables} variables`],
		['module reserve', `${l.reserve.bytes} (${l.reserve.exact ? `VNET_MODSIZE, ${l.reserveOption}` : 'VNET_MODMIN; the page-rounding slack is unknown'})`, ''],
		...l.modules.map((m) => [
			`module ${m.name}`,
			m.status === 'loaded' ? `${m.setBytes} (${m.allocatedBytes} allocated at reserve + ${m.reserveOffset ?? 0})` : m.status === 'out-of-space' ? `${m.setBytes ?? `≥ ${m.knownBytes}`}: does not fit, ${m.shortfall} bytes short` : `unknown (≥ ${m.knownBytes}): not placed`,
			`${m.variables} variables (${m.dir})`,
		]),
		['reserve used / free', `${l.reserve.usedBytes} / ${l.reserve.freeBytes}`, ''],
	];
	return `<table class="figures"><thead><tr><th>set</th><th>bytes</th><th></th></tr></thead><tbody>\n${rows.map((r) => `<tr>${r.map((c) => `<td>${escape(c)}</td>`).join('')}</tr>`).join('\n')}\n</tbody></table>`;
}

export function formatHtmlReport(r: VerifyResult, trees: { old: string; new: string }): string {
	const l = r.layout;
	const findings = r.findings.filter((f) => f.severity !== 'note');
	// The kernel's set first, then each module's in load order; by offset within each.
	const setOrder = ['kernel', ...l.modules.map((m) => m.name)];
	const position = (v: VariableLayout) => v.offset ?? v.reserveOffset ?? Number.MAX_SAFE_INTEGER;
	const variables = [...l.variables]
		.sort((a, b) => setOrder.indexOf(a.set) - setOrder.indexOf(b.set) || position(a) - position(b))
		.map((v) => `<tr><td>${escape(v.set)}</td><td><code>${escape(v.name)}</code></td><td><code>${escape(v.type)}</code></td><td class="n">${escape(offsetText(v))}</td>` +
			`<td class="n">${v.size ?? `unknown: ${escape(v.unknown ?? '')}`}</td><td class="n">${v.align ?? ''}</td><td><code>${escape(v.initial)}</code></td><td>${escape(`${v.file}:${v.line}`)}</td></tr>`)
		.join('\n');
	return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>vimage-migrate verify: ${r.ok ? 'PASS' : 'FAIL'}</title>
<style>
body { font: 14px sans-serif; margin: 20px; color: #222; background: #fff; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
.pass { color: #1a7f37; } .fail { color: #c0392b; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
code { font: 12px monospace; }
li.error { color: #c0392b; } li.warning { color: #8a6d00; }
</style>
</head>
<body>
<h1>vimage-migrate verify: <span class="${r.ok ? 'pass' : 'fail'}">${r.ok ? 'PASS' : 'FAIL'}</span></h1>
<p>Old tree <code>${escape(trees.old)}</code>, migrated tree <code>${escape(trees.new)}</code>, laid out for <b>${l.arch}</b>.
${r.checked.members} live members, ${r.checked.definitions} VNET_DEFINEs, ${r.checked.accessorUses} V_ uses, ${r.checked.variables} initial states compared.</p>
<h2>Memory map</h2>
${memoryMapSvg(l)}
<h2>Byte figures</h2>
${figures(l)}
<h2>Findings (${findings.length}) and deliberate behaviour changes (${r.behaviourChanges.length})</h2>
<ul>
${findings.map((f) => `<li class="${f.severity}">${escape(`${f.file ? `${f.file}${f.line ? `:${f.line}` : ''}: ` : ''}${f.severity}: ${f.message} [${f.code}]`)}</li>`).join('\n')}
${r.behaviourChanges.map((b) => `<li class="warning">${escape(`deliberate behaviour change: ${b}`)}</li>`).join('\n')}
</ul>
<h2>Variables (${l.variables.length})</h2>
<table class="variables"><thead><tr><th>set</th><th>variable</th><th>type</th><th>offset</th><th>size</th><th>align</th><th>initial value in a new vnet</th><th>defined at</th></tr></thead>
<tbody>
${variables}
</tbody></table>
</body>
</html>
`;
}
