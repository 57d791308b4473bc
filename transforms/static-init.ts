/*
 * static-init: constant assignments in per-vnet constructors move into their
 * variable's VNET_DEFINE as its static initializer (spec §3.4), when that
 * provably keeps every vnet's initial state (src/plan/initializers.ts
 * decides, vnet-define writes the initializer, this removes the statement).
 * The 2009 hand migration applied the rule only in places (tcp_init() kept
 * about 40 constant assignments); applying it wherever it is provably equal
 * is this tool's improvement. Zero assignments are removed without writing
 * `= 0`: storage starts zeroed.
 */
import type { Diagnostic, Severity } from '../src/diagnostics';
import type { Deletion } from '../src/edit/layout';
import { partOf } from '../src/index/corpus-index';
import type { CorpusIndex } from '../src/index/types';
import { ParsedFile } from '../src/parse/parsed-file';
import { functionIn } from '../src/parse/variants';
import { planInitializers } from '../src/plan/initializers';
import { planMigration } from '../src/plan/members';
import type { RunContext, Transform, TransformResult } from '../src/transform';
import { toJscodeshift } from '../src/jscodeshift';

export const RULE = 'static-init';

export function staticInit(file: ParsedFile, index: CorpusIndex, context?: RunContext): TransformResult {
	const diagnostics: Diagnostic[] = [];
	const deletions: Deletion[] = [];
	const report = (severity: Severity, code: string, offset: number, message: string) => {
		diagnostics.push({ severity, code, message, file: file.path, ...file.position(offset), rule: RULE });
	};
	const explain = context?.explain ?? false;
	// The initializers are written by vnet-define: without it, moving statements would drop values.
	if (!context?.transforms.has('vnet-define')) {
		if (file.lexed.tokens.some((t) => t.text.startsWith('V_'))) {
			report('note', 'static-init/needs-vnet-define', 0, 'static-init runs only together with vnet-define, which writes the initializers: nothing done');
		}
		return { edits: [], diagnostics };
	}
	const decisions = planInitializers(index, planMigration(index));
	const movedHere: number[] = [];
	for (const d of decisions.values()) {
		for (const { assignment: a, rule } of d.moved) {
			if (a.statement.file !== file.path) continue;
			deletions.push({ start: a.statement.start, end: a.statement.end, rule: RULE });
			movedHere.push(a.statement.start);
			if (explain) report('note', 'static-init/moved', a.statement.start, `${target(d.member.name, a)} = ${a.value}: moved into its definition (${rule})`);
			if (a.constantNote?.startsWith('assumes constants (not defined in the tree)')) {
				report('note', 'static-init/assumed-constant', a.statement.start, `${target(d.member.name, a)} = ${a.value}: ${a.constantNote}; moved on that assumption`);
			}
		}
		if (d.behaviourChange && d.moved.some((x) => x.assignment.statement.file === file.path)) {
			const at = d.moved.find((x) => x.assignment.statement.file === file.path)!.assignment.statement.start;
			report('warning', 'static-init/behaviour-change', at, `deliberate behaviour change: ${d.behaviourChange}`);
		}
		for (const { assignment: a, reason } of d.kept) {
			if (a.statement.file !== file.path) continue;
			if (a.kind === 'mod-load' || a.kind === 'sysinit') {
				report('warning', 'static-init/first-vnet-only', a.statement.start,
					`V_${d.member.name} = ${a.value} stays in ${a.constructor} (${a.kind}), which runs once: only the vnet current at load gets it (${reason})`);
			} else if (a.kind === 'mod-unload') {
				report('note', 'static-init/unload-reset', a.statement.start, `V_${d.member.name} = ${a.value} in ${a.constructor}: a reset on unload, kept`);
			} else if (explain) {
				report('note', 'static-init/kept', a.statement.start, `${target(d.member.name, a)} ${a.operator} ${a.value}: kept: ${reason}`);
			}
		}
	}
	emptiedConstructors(file, index, movedHere, report);
	return { edits: [], deletions, diagnostics };
}

function target(name: string, a: { field?: string; index?: string }): string {
	return `V_${name}${a.field ? `.${a.field}` : ''}${a.index !== undefined ? `[${a.index}]` : ''}`;
}

/** A constructor left with nothing but declarations and `return` is reported, not deleted. */
function emptiedConstructors(
	file: ParsedFile,
	index: CorpusIndex,
	moved: number[],
	report: (severity: Severity, code: string, offset: number, message: string) => void,
): void {
	if (moved.length === 0) return;
	const part = partOf(index, file.path);
	for (const fn of part?.functions ?? []) {
		const inside = moved.filter((m) => m >= fn.span.start && m < fn.span.end);
		if (inside.length === 0) continue;
		const found = file.variants.find((v) => functionIn(v, fn.span.start)?.childForFieldName('body') ?? undefined);
		if (!found) continue;
		const left = found.value.namedChildren.filter((c) => {
			if (c.type === 'comment' || c.type === 'declaration' || c.type === 'return_statement') return false;
			if (inside.includes(c.startIndex)) return false;
			const callee = c.type === 'expression_statement' ? c.namedChild(0)?.childForFieldName('function')?.text : undefined;
			return !callee?.startsWith('INIT_VNET_');
		});
		if (left.length === 0) {
			report('note', 'static-init/empty-constructor', fn.span.start, `${fn.name} is left with no statements: kept (its registration still names it)`);
		}
	}
}

export const transform: Transform = {
	name: RULE,
	description: 'constant assignments in per-vnet constructors become static initializers of their VNET_DEFINE',
	tokens: ['V_'],
	usesIndex: true,
	run: staticInit,
};

/** jscodeshift entry point (see src/jscodeshift.ts). */
export default toJscodeshift(staticInit);
