/** #include resolution within a tree, from the index's per-file include sites. */
import { partOf } from './corpus-index';
import type { CorpusIndex } from './types';

interface FileLookup {
	all: Set<string>;
	/** Each path suffix that starts at a `/` (or is the whole path) to the first file, in list order, ending with it. */
	bySuffix: Map<string, string>;
}

const lookups = new WeakMap<readonly string[], FileLookup>();

/** Built once per file list, so resolving is a map lookup rather than a scan of the tree. */
function lookupFor(files: readonly string[]): FileLookup {
	let l = lookups.get(files);
	if (!l) {
		const bySuffix = new Map<string, string>();
		for (const f of files) {
			if (!bySuffix.has(f)) bySuffix.set(f, f);
			for (let i = f.indexOf('/'); i !== -1; i = f.indexOf('/', i + 1)) {
				const suffix = f.slice(i + 1);
				if (!bySuffix.has(suffix)) bySuffix.set(suffix, f);
			}
		}
		l = { all: new Set(files), bySuffix };
		lookups.set(files, l);
	}
	return l;
}

/** The tree file an #include names, if it is in the tree: relative to the includer first, then by path suffix. */
export function resolveInclude(files: readonly string[], from: string, path: string, system: boolean): string | undefined {
	const l = lookupFor(files);
	if (!system) {
		const dir = from.includes('/') ? from.slice(0, from.lastIndexOf('/') + 1) : '';
		const local = `${dir}${path}`;
		if (l.all.has(local)) return local;
	}
	return l.bySuffix.get(path);
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

const spellings = new WeakMap<CorpusIndex, Map<string, { path: string; system: boolean }>>();

/** How the tree spells an #include of `file` (`<netinet/ip_var.h>`), from an existing one (the first, in path order). */
export function includeSpelling(index: CorpusIndex, file: string): { path: string; system: boolean } | undefined {
	let byFile = spellings.get(index);
	if (!byFile) {
		byFile = new Map();
		for (const p of index.parts) {
			for (const inc of p.includes) {
				if (!inc.system) continue;
				const target = resolveInclude(index.files, p.file, inc.path, inc.system);
				if (target && !byFile.has(target)) byFile.set(target, { path: inc.path, system: true });
			}
		}
		spellings.set(index, byFile);
	}
	return byFile.get(file);
}
