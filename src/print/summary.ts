/** The human summary and diagnostics, for stderr. */
import type { Colors } from 'picocolors/types';
import { Diagnostic, formatDiagnostic } from '../diagnostics';
import type { MigrationResult } from '../pipeline';
import type { VerifyResult } from '../verify/verify';

function colourDiagnostic(d: Diagnostic, c: Colors): string {
	const text = formatDiagnostic(d);
	if (d.severity === 'error') return c.red(text);
	if (d.severity === 'warning') return c.yellow(text);
	return c.dim(text);
}

export function formatDiagnostics(result: MigrationResult, c: Colors): string[] {
	const all = [...result.diagnostics, ...result.files.flatMap((f) => f.diagnostics)];
	return all.map((d) => colourDiagnostic(d, c));
}

const MODE_TITLE = { 'dry-run': 'dry run (nothing written)', write: 'write', check: 'check (nothing written)' };

export function formatSummary(result: MigrationResult, c: Colors): string[] {
	const t = result.totals;
	const rules = Object.entries(t.editsByRule);
	const lines = [
		c.bold(`vimage-migrate: ${MODE_TITLE[result.mode]}; transforms: ${result.transforms.join(', ')}`),
		`files: ${t.scanned} scanned, ${t.changed} ${result.mode === 'write' ? 'changed' : 'to change'}, ` +
			`${t.unchanged} unchanged, ${t.skipped} skipped, ${t.failed} failed`,
		`edits: ${rules.length ? rules.map(([r, n]) => `${r} ${n}`).join(', ') : 'none'}`,
		`diagnostics: ${t.errors} errors, ${t.warnings} warnings (sites left unchanged), ${t.notes} notes (assumptions to review)`,
	];
	if (result.mode === 'check' && t.changed > 0) lines.push(c.yellow(`check: ${t.changed} file(s) would change`));
	return lines;
}

export function formatVerification(v: VerifyResult, c: Colors): string[] {
	const lines: string[] = [];
	for (const f of v.findings) {
		const where = f.file ? `${f.file}${f.line ? `:${f.line}` : ''}: ` : '';
		const text = `${where}${f.severity}: ${f.message} [${f.code}]`;
		lines.push(f.severity === 'error' ? c.red(text) : f.severity === 'warning' ? c.yellow(text) : c.dim(text));
	}
	for (const b of v.behaviourChanges) lines.push(c.yellow(`deliberate behaviour change: ${b}`));
	lines.push(...formatLayout(v.layout));
	const errors = v.findings.filter((f) => f.severity === 'error').length;
	const left = v.findings.filter((f) => f.code === 'verify/reported-left').length;
	lines.push(c.bold(`verify: ${v.ok ? c.green('PASS') : c.red('FAIL')}: ${v.checked.members} live members, ${v.checked.definitions} VNET_DEFINEs, ` +
		`${v.checked.accessorUses} V_ uses, ${v.checked.variables} initial states compared; ${errors} errors, ` +
		`${v.behaviourChanges.length} deliberate behaviour changes${left ? `, ${left} reported sites left to finish by hand` : ''}`));
	return lines;
}

/** The byte figures of the vnet region: the kernel's set, the module reserve, each module. */
export function formatLayout(l: VerifyResult['layout']): string[] {
	const k = l.kernel;
	const lines = [
		k.setBytes !== undefined
			? `layout (${l.arch}): kernel set ${k.setBytes} bytes (VNET_BYTES: ${k.variables} variables, ${k.knownBytes} bytes of them, ${k.paddingBytes} of padding, ` +
				`the 8192-byte modspace at offset ${k.modspaceOffset}), VNET_SIZE ${k.vnetSize}`
			: k.variables === 0
				? `layout (${l.arch}): the kernel's set is not in the trees given`
				: `layout (${l.arch}): kernel set of unknown size: ${k.variables} variables, ${k.unknownVariables} of unknown size, the others ${k.knownBytes} bytes`,
		`module space (${l.reserve.exact ? `VNET_MODSIZE, ${l.reserveOption}` : 'VNET_MODMIN only: the page-rounding slack is unknown'}): ` +
			`${l.reserve.bytes} bytes, ${l.reserve.usedBytes} used, ${l.reserve.freeBytes} free`,
	];
	for (const m of l.modules) {
		const head = `  module ${m.name} (${m.dir}): ${m.variables} variables, `;
		if (m.status === 'size-unknown') lines.push(`${head}size unknown (${m.unknownVariables} of unknown size, the others ${m.knownBytes} bytes): not placed`);
		else if (m.status === 'out-of-space') lines.push(`${head}${m.setBytes ?? `at least ${m.knownBytes}`} bytes: does NOT fit, ${m.shortfall} bytes short`);
		else lines.push(`${head}${m.setBytes} bytes, ${m.allocatedBytes} allocated at reserve offset ${m.reserveOffset ?? '-'}`);
	}
	return lines;
}
