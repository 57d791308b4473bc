/** The --json report: one document, stable key order, per-file details. */
import type { MigrationResult } from '../pipeline';

export const REPORT_SCHEMA_VERSION = 1;

export function toJsonReport(result: MigrationResult, version: string): unknown {
	return {
		tool: 'vimage-migrate',
		version,
		schemaVersion: REPORT_SCHEMA_VERSION,
		mode: result.mode,
		transforms: result.transforms,
		exitCode: result.exitCode,
		totals: result.totals,
		diagnostics: result.diagnostics,
		...(result.verification ? { verification: result.verification } : {}),
		files: result.files.map((f) => ({
			path: f.path,
			status: f.status,
			...(f.reason ? { reason: f.reason } : {}),
			edits: f.editsByRule,
			...(f.deleted ? { deleted: true } : {}),
			diagnostics: f.diagnostics.filter((d) => d.severity !== 'note'),
			assumptions: f.diagnostics.filter((d) => d.severity === 'note'),
			...(result.mode !== 'write' && f.diff ? { diff: f.diff } : {}),
			...(result.mode === 'write' ? { written: f.written ?? false } : {}),
		})),
	};
}
