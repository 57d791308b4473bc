/** #include resolution within a tree, from the index's per-file include sites. */
import { partOf } from './corpus-index';
import type { CorpusIndex } from './types';

/** The tree file an #include names, if it is in the tree: relative to the includer first, then by path suffix. */
export function resolveInclude(files: readonly string[], from: string, path: string, system: boolean): string | undefined {
	if (!system) {
		const dir = from.includes('/') ? from.slice(0, from.lastIndexOf('/') + 1) : '';
		const local = `${dir}${path}`;
		if (files.includes(local)) return local;
	}
	return files.find((f) => f === path || f.endsWith(`/${path}`));
}

/**
 * Files a file includes, directly or through the headers it includes, that
 * are in the tree; headers in `gone` (deleted by the migration) bring in nothing.
 */
export function includedFiles(index: CorpusIndex, file: string, gone: ReadonlySet<string> = new Set()): Set<string> {
	const seen = new Set<string>();
	const visit = (f: string) => {
		for (const inc of partOf(index, f)?.includes ?? []) {
			const target = resolveInclude(index.files, f, inc.path, inc.system);
			if (target && !seen.has(target) && !gone.has(target)) {
				seen.add(target);
				visit(target);
			}
		}
	};
	visit(file);
	return seen;
}

/** How the tree spells an #include of `file` (`<netinet/ip_var.h>`), from an existing one. */
export function includeSpelling(index: CorpusIndex, file: string): { path: string; system: boolean } | undefined {
	for (const p of index.parts) {
		for (const inc of p.includes) {
			if (inc.system && resolveInclude(index.files, p.file, inc.path, inc.system) === file) return { path: inc.path, system: true };
		}
	}
	return undefined;
}
