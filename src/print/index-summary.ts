/**
 * `scan --format summary`: the whole index as stable, reviewable text: every
 * module and member with its definitions, declarations, uses and constructor
 * assignments, then sysctls, registrations and clean-up sites, then the
 * diagnostics. Lines carry file:line, never byte offsets, so small edits to
 * a file do not churn the whole text.
 */
import type { Condition, CorpusIndex, GlobalDeclaration, Span } from '../index/types';

const at = (s: Span) => `${s.file}:${s.line}`;
const conds = (c: Condition[]) => (c.length ? ` if ${c.map((x) => x.expr).join(' && ')}` : '');
const decl = (g: GlobalDeclaration) =>
	`${at(g.span)} ${g.storage === 'none' ? '' : `${g.storage} `}${[...g.type.qualifiers, g.type.specifier].join(' ')} ${g.declarator}${g.initializer !== undefined ? ` = ${g.initializer}` : ''}${conds(g.conditions)}`;

export function formatIndexSummary(index: CorpusIndex): string {
	const out: string[] = [`# vimage-migrate index (schema ${index.schemaVersion}): ${index.files.length} files, ${index.modules.length} modules, ${index.members.length} members`];
	for (const m of index.modules) {
		out.push('', `module ${m.name}: struct ${m.containerTag} at ${m.container ? at(m.container) : '?'}`);
		out.push(`  init ${m.initMacro ?? '-'}; id ${m.moduleId ?? '-'}${m.moduleIdValue ? ` = ${m.moduleIdValue}` : ''}; accessor ${m.accessorMacro ?? '-'}; alias ${m.modAlias ?? '-'}; modinfo ${m.modinfo ?? '-'}`);
		out.push(`  constructors: ${m.constructors.join(', ') || '-'}`);
		for (const x of index.members.filter((y) => y.module === m.name)) {
			const bounds = x.type.bounds.map((b) => `[${b}]`).join('');
			out.push(`  member ${x.name}: ${x.type.text}${bounds}${conds(x.conditions)} (${at(x.span)})${x.dead ? ' DEAD' : ''}`);
			out.push(`    accessor: ${x.accessor ? `${x.accessor.name} via ${x.accessor.via} (${at(x.accessor.span)})` : '-'}`);
			for (const d of x.definitions) out.push(`    defined (VIMAGE_GLOBALS): ${decl(d)}`);
			for (const d of x.plainDefinitions) out.push(`    defined (plain): ${decl(d)}`);
			for (const d of x.externs) out.push(`    extern${d.vimageGlobals ? ' (VIMAGE_GLOBALS)' : ''}: ${decl(d)}`);
			const u = x.uses;
			out.push(`    uses: V_ ${u.accessor}, direct ${u.direct}, plain ${u.plain}, sysctl ${u.sysctl}, symmap ${u.symmap}`);
			for (const a of x.assignments) {
				const target = `V_${a.variable}${a.field ? `.${a.field}` : ''}${a.index !== undefined ? `[${a.index}]` : ''}`;
				const flags = [a.constant ? 'constant' : 'computed', a.conditional, a.precededByUse ? 'after another use' : undefined, a.constantNote]
					.filter(Boolean).join('; ');
				out.push(`    assigned in ${a.constructor} (${a.kind}) at ${at(a.statement)}: ${target} ${a.operator} ${a.value}${conds(a.conditions)} [${flags}]`);
			}
			for (const c of x.typeConflicts) out.push(`    type conflict: ${c}`);
		}
	}
	const parts = index.parts;
	const section = (title: string, lines: string[]) => {
		if (lines.length) out.push('', `${title}:`, ...lines.map((l) => `  ${l}`));
	};
	section('direct accesses', parts.flatMap((p) => p.directAccesses.map((d) => `${at(d.span)} ${d.kind} ${d.member}: ${d.text}`)));
	section('plain-name uses', index.plainUses.map((u) => `${at(u.span)} ${u.member}`));
	section('sysctls', parts.flatMap((p) => p.sysctls.map((s) => `${at(s.span)} ${s.macro} ${s.container}.${s.symbol}${s.handler ? ` handler ${s.handler}` : ''}${conds(s.conditions)}`)));
	section('modinfos', parts.flatMap((p) => p.modinfos.map((m) => `${at(m.span)} ${m.name}: ${Object.entries(m.fields).map(([k, v]) => `${k}=${v.value}`).join(', ')}`)));
	section('registrations', parts.flatMap((p) => p.registrations.map((r) => `${at(r.span)} ${r.name}(${r.args.join(', ')})`)));
	section('SYSINITs', parts.flatMap((p) => p.sysinits.map((r) => `${at(r.span)} ${r.name}(${r.args.join(', ')})`)));
	section('protocol inits', parts.flatMap((p) => p.protocolInits.map((r) => `${at(r.span)} ${r.name}`)));
	section('symbol maps', parts.flatMap((p) => p.symmaps.map((t) => `${at(t.span)} ${t.name}: ${t.entries.map((e) => `${e.module}.${e.member}`).join(', ')}`)));
	section('size guards', parts.flatMap((p) => p.ctasserts.map((c) => `${at(c.span)} VIMAGE_CTASSERT(${c.args.join(', ')})`)));
	section('container fallbacks', parts.flatMap((p) => p.fallbackRefs.map((r) => `${at(r.span)} ${r.name}`)));
	const headers = new Set(index.modules.map((m) => m.container?.file).filter((f): f is string => Boolean(f)));
	section('includes of container headers', parts.flatMap((p) =>
		p.includes.filter((i) => [...headers].some((h) => h.endsWith(`/${i.path}`))).map((i) => `${at(i.span)} ${i.path}`)));
	section('unparsed regions', parts.flatMap((p) => p.unparsed.map((u) => `${at(u)} (${u.end - u.start} bytes)`)));
	section('diagnostics', index.diagnostics.map((d) => `${d.file}${d.line ? `:${d.line}` : ''}: ${d.severity}: ${d.message} [${d.code}]`));
	return `${out.join('\n')}\n`;
}
