/**
 * A transform is a pure function from a parsed file and the corpus index to
 * edits and diagnostics: no I/O, no global state.
 */
import type { Diagnostic } from './diagnostics';
import type { Edit } from './edit/edit';
import type { Deletion } from './edit/layout';
import type { CorpusIndex } from './index/corpus-index';
import type { ParsedFile } from './parse/parsed-file';

export interface TransformResult {
	/** Replacements and insertions. */
	edits: Edit[];
	/**
	 * Constructs to delete. They are laid out together, for all transforms at
	 * once (whole lines, #if blocks left empty, blank lines), so that two
	 * transforms emptying the same #if block compose.
	 */
	deletions?: Deletion[];
	/** Set when the migration leaves nothing in the file: it is deleted (the reason says why). */
	deleteFile?: string;
	diagnostics: Diagnostic[];
}

/** What a transform may know of the run it is part of. */
export interface RunContext {
	/** Names of the transforms applied in this run. */
	transforms: ReadonlySet<string>;
	/** Explain every decision (`--explain`), not only the ones to review. */
	explain?: boolean;
}

export interface Transform {
	name: string;
	description: string;
	/** Cheap byte-level test: files without any of these strings are never parsed. */
	tokens: string[];
	/** Whether it relies on the whole-tree index (its diagnostics are then part of the run's). */
	usesIndex?: boolean;
	/** Not applied by the default run until complete; available with --transform. */
	experimental?: boolean;
	run(file: ParsedFile, index: CorpusIndex, context?: RunContext): TransformResult;
}
