/**
 * Library API: `import { migrate } from 'vimage-migrate'` runs the same
 * pipeline as the CLI, on paths or on in-memory files.
 */
export { migrate } from './pipeline';
export type { FileResult, FileStatus, InMemoryFile, MigrateOptions, MigrationResult, Mode, Totals } from './pipeline';
export type { Diagnostic, Severity } from './diagnostics';
export { formatDiagnostic } from './diagnostics';
export type { Edit } from './edit/edit';
export { applyEdits } from './edit/edit';
export type { Transform, TransformResult } from './transform';
export { TRANSFORMS } from './transforms';
export type { CorpusIndex } from './index/corpus-index';
export { ParsedFile } from './parse/parsed-file';
