/** The --json report: one document, stable key order, per-file details. */
import type { FileResult, MigrationResult, Mode } from '../pipeline';

export const REPORT_SCHEMA_VERSION = 1;

/** One file's entry: status, edits by rule, diagnostics, assumptions (notes), and its diff or write. */
export function jsonFileEntry(f: FileResult, mode: Mode): unknown {
	return {
		path: f.path,
		status: f.status,
		...(f.reason ? { reason: f.reason } : {}),
		edits: f.editsByRule,
		...(f.deleted ? { deleted: true } : {}),
		diagnostics: f.diagnostics.filter((d) => d.severity !== 'note'),
		assumptions: f.diagnostics.filter((d) => d.severity === 'note'),
		...(mode !== 'write' && f.diff ? { diff: f.diff } : {}),
		...(mode === 'write' ? { written: f.written ?? false } : {}),
	};
}

function reportHead(result: MigrationResult, version: string) {
	return {
		tool: 'vimage-migrate',
		version,
		schemaVersion: REPORT_SCHEMA_VERSION,
		mode: result.mode,
		transforms: result.transforms,
		exitCode: result.exitCode,
		totals: result.totals,
		jobs: result.jobs,
		phasesMs: result.phases,
		diagnostics: result.diagnostics,
		...(result.verification ? { verification: result.verification } : {}),
	};
}

export function toJsonReport(result: MigrationResult, version: string): unknown {
	return { ...reportHead(result, version), files: result.files.map((f) => jsonFileEntry(f, result.mode)) };
}

/**
 * The same document written as files complete: the `files` entries first,
 * one at a time, then the rest once the run is over, so a large run never
 * holds every file's diff in memory. JSON.parse reads the same report.
 */
export class JsonReportStream {
	private count = 0;

	constructor(
		private readonly write: (s: string) => void,
		private readonly mode: Mode,
	) {
		write('{\n  "files": [');
	}

	file(f: FileResult): void {
		const entry = JSON.stringify(jsonFileEntry(f, this.mode), null, 2).replace(/\n/g, '\n    ');
		this.write(`${this.count++ ? ',' : ''}\n    ${entry}`);
	}

	end(result: MigrationResult, version: string): void {
		const rest = JSON.stringify(reportHead(result, version), null, 2);
		this.write(`${this.count ? '\n  ' : ''}],\n${rest.slice(2)}\n`);
	}
}
