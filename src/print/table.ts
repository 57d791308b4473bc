/** `scan --format table`: one row per member. */
import type { CorpusIndex, MemberInfo } from '../index/types';

function definedIn(m: MemberInfo): string {
	const sites = m.definitions.length ? m.definitions : m.plainDefinitions;
	if (sites.length === 0) return m.dead ? '(dead)' : '(none)';
	return sites.map((s) => `${s.span.file}:${s.span.line}${s.vimageGlobals ? '' : ' (plain)'}`).join(', ');
}

function constantInitializer(m: MemberInfo): string {
	const def = m.definitions.find((d) => d.initializer !== undefined) ?? m.plainDefinitions.find((d) => d.initializer !== undefined);
	if (def) return `= ${def.initializer} (definition)`;
	const a = m.assignments.find((x) => x.constant && !x.field && x.index === undefined && x.operator === '=');
	return a ? `= ${a.value} (${a.constructor}${a.conditional ? `, ${a.conditional}` : ''})` : '';
}

export function formatMemberTable(index: CorpusIndex): string {
	const header = ['module', 'member', 'type', 'defined in', 'static', 'constant initializer'];
	const rows = index.members.map((m) => {
		const sites = m.definitions.length ? m.definitions : m.plainDefinitions;
		return [
			m.module,
			m.name,
			`${m.type.text}${m.type.bounds.map((b) => `[${b}]`).join('')}`,
			definedIn(m),
			sites.length ? (sites.every((s) => s.storage === 'static') ? 'yes' : 'no') : '',
			constantInitializer(m),
		];
	});
	const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
	const line = (r: string[]) => r.map((c, k) => (k === r.length - 1 ? c : c.padEnd(widths[k]))).join('  ').trimEnd();
	return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}
