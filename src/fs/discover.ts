/**
 * Discovery: which files a run covers. Directories are walked for `.c` and
 * `.h` files (skipping VCS, dependency and build folders); files named on the
 * command line are taken whatever their extension. Each real file is listed
 * once even when roots overlap or symlinks point at it (under its own path
 * when that is among the paths given, else the smallest); the order is sorted
 * by display path, so output never depends on the file system's order.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { glob } from 'tinyglobby';

export const DEFAULT_EXTENSIONS = ['c', 'h'];
export const SKIPPED_DIRECTORIES = ['.git', '.hg', '.svn', 'node_modules', 'dist', 'build', 'obj', '.vimage-migrate'];

export interface FoundFile {
	/** Absolute path as found (may be a symlink). */
	absPath: string;
	/** Path shown to the user and used in diffs: relative to cwd when inside it. */
	displayPath: string;
}

export interface DiscoveryProblem {
	path: string;
	message: string;
}

export interface Discovery {
	files: FoundFile[];
	problems: DiscoveryProblem[];
}

export function displayPathFor(absPath: string, cwd: string): string {
	const rel = path.relative(cwd, absPath);
	const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : absPath;
	return shown.split(path.sep).join('/');
}

export async function discover(
	roots: string[],
	options: { cwd: string; extensions?: string[] },
): Promise<Discovery> {
	const extensions = options.extensions ?? DEFAULT_EXTENSIONS;
	const problems: DiscoveryProblem[] = [];
	const byRealPath = new Map<string, FoundFile>();
	const add = async (absPath: string) => {
		let real: string;
		try {
			real = await fs.realpath(absPath);
		} catch {
			real = absPath;
		}
		const found = { absPath, displayPath: displayPathFor(absPath, options.cwd) };
		const prev = byRealPath.get(real);
		// The file's own path wins over a symlink's (a patch naming the link would not apply to it), then the smaller.
		const direct = (f: FoundFile) => (f.absPath === real ? 0 : 1);
		if (!prev || direct(found) < direct(prev) || (direct(found) === direct(prev) && found.displayPath < prev.displayPath)) {
			byRealPath.set(real, found);
		}
	};
	for (const root of roots) {
		const abs = path.resolve(options.cwd, root);
		let stat;
		try {
			stat = await fs.stat(abs);
		} catch (e) {
			problems.push({ path: displayPathFor(abs, options.cwd), message: describeFsError(e) });
			continue;
		}
		if (stat.isDirectory()) {
			const pattern = extensions.length === 1 ? `**/*.${extensions[0]}` : `**/*.{${extensions.join(',')}}`;
			const found = await glob([pattern], {
				cwd: abs,
				absolute: true,
				dot: true,
				onlyFiles: true,
				followSymbolicLinks: false,
				ignore: SKIPPED_DIRECTORIES.map((d) => `**/${d}/**`),
			});
			for (const f of found) await add(path.normalize(f));
		} else {
			await add(abs);
		}
	}
	const files = [...byRealPath.values()].sort((a, b) => (a.displayPath < b.displayPath ? -1 : a.displayPath > b.displayPath ? 1 : 0));
	return { files, problems };
}

export function describeFsError(e: unknown): string {
	const err = e as NodeJS.ErrnoException;
	switch (err?.code) {
		case 'ENOENT':
			return 'no such file or directory';
		case 'EACCES':
		case 'EPERM':
			return 'permission denied';
		case 'EISDIR':
			return 'is a directory';
		case 'EROFS':
			return 'read-only file system';
		default:
			return err?.message ?? String(e);
	}
}
