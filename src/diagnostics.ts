/**
 * What the tool tells the user about a file: problems, sites it refused to
 * touch, and assumptions it made. Plain data; printers format it.
 */
export type Severity = 'error' | 'warning' | 'note';

/**
 * - error: the file could not be processed (unreadable, binary, ...): it is
 *   left untouched and the run exits 1.
 * - warning: a site the tool could not migrate safely; it is left as it was.
 * - note: an assumption behind an edit that a reviewer should confirm.
 */
export interface Diagnostic {
	severity: Severity;
	/** Stable identifier, e.g. `init-vnet/not-curvnet`. */
	code: string;
	message: string;
	file: string;
	/** 1-based; absent when the problem concerns the whole file. */
	line?: number;
	column?: number;
	/** The transform or stage that reported it. */
	rule: string;
}

export function formatDiagnostic(d: Diagnostic): string {
	const where = d.line ? `${d.file}:${d.line}:${d.column ?? 1}` : d.file;
	return `${where}: ${d.severity}: ${d.message} [${d.code}]`;
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
	if (a.file !== b.file) return a.file < b.file ? -1 : 1;
	return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || a.code.localeCompare(b.code);
}
