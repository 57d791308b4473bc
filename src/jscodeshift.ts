/**
 * Transforms as jscodeshift transforms. jscodeshift hands over the file
 * decoded as UTF-8; re-encoding it to bytes and decoding as Latin-1 gives
 * byte offsets again (see source.ts). It sees one file at a time, so the
 * index is that file's own. jscodeshift writes its result as UTF-8, so
 * bytes that were not UTF-8 do not survive it: the vimage-migrate CLI is the
 * byte-exact writer.
 */
import { formatDiagnostic } from './diagnostics';
import { applyResults } from './edit/compose';
import { indexFile } from './index/scan';
import type { CorpusIndex } from './index/types';
import { ParsedFile } from './parse/parsed-file';
import type { RunContext, TransformResult } from './transform';

type Run = (file: ParsedFile, index: CorpusIndex, context?: RunContext) => TransformResult;

export function toJscodeshift(run: Run, context?: RunContext) {
	return function jscodeshiftTransform(
		fileInfo: { path: string; source: string },
		api: { report?: (message: string) => void },
	): string | undefined {
		const text = Buffer.from(fileInfo.source, 'utf8').toString('latin1');
		const file = new ParsedFile(fileInfo.path, text);
		const result = run(file, indexFile(file), context);
		for (const d of result.diagnostics) api.report?.(formatDiagnostic(d));
		const output = applyResults(file, [result]);
		return output === text ? undefined : Buffer.from(output, 'latin1').toString('utf8');
	};
}
