/*
 * Which directories build loadable modules: a directory whose Makefile sets
 * `KMOD=` (bsd.kmod.mk) is one, named by that value. verify loads each such
 * module's VNET_DEFINEs into the kernel's module reserve; everything else is
 * the kernel's own set.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import type { ModuleDir } from '../verify/layout';

const KMOD = /^[ \t]*KMOD[ \t]*[?:!]?=[ \t]*([^\s#]+)/m;

/**
 * For the directories holding `files` (display paths) and their ancestors,
 * those whose Makefile names a KMOD; `absolute(dir)` maps a display directory
 * to the directory on disk (undefined: not on disk).
 */
export async function findModuleDirs(files: readonly string[], absolute: (dir: string) => string | undefined): Promise<ModuleDir[]> {
	// The tree's root too: `verify old/pfilt new/pfilt` checks one module on its own.
	const dirs = new Set<string>(files.length ? ['.'] : []);
	for (const f of files) {
		for (let d = path.posix.dirname(f); d !== '.' && d !== '/' && !dirs.has(d); d = path.posix.dirname(d)) dirs.add(d);
	}
	const out: ModuleDir[] = [];
	for (const dir of [...dirs].sort()) {
		const abs = absolute(dir);
		if (!abs) continue;
		const text = await fs.readFile(path.join(abs, 'Makefile'), 'latin1').catch(() => undefined);
		const m = text && KMOD.exec(text);
		if (m) out.push({ dir, name: m[1] });
	}
	return out;
}
