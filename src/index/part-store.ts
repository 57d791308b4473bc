/*
 * Per-file index fields kept on disk between the phases of a migration, so
 * that the main thread's memory does not grow with the tree. A .c file's
 * part arrives whole from the index phase; the fields that only its own
 * migration reads (includes with their spans, functions, constructor
 * bodies, macro definitions...) go to an unlinked temporary file and come
 * back when that file is migrated, or for good when the merge or the plan
 * needs the part whole (it defines a constructor, a member, a sysctl
 * handler; another file includes it). What stays in memory is what the
 * merge and the cross-file questions read, plus the names the store keeps
 * to tell which parts those are.
 */
import * as fs from 'fs';
import { deserialize, serialize } from 'v8';
import { openUnlinkedTemp, readAt, writeAllAt } from '../fs/temp';
import { handlerName, iattachOf } from './corpus-index';
import { InternTable, internStrings } from './intern';
import type { FileIndex } from './types';

export const SPILLED_FIELDS = [
	'includes', 'functions', 'constructorBodies', 'initVnetUses', 'macroDefinitions', 'accessorFirstUse', 'fallbackRefs',
	'containerPointers', 'structRefs', 'vnetDefinitions', 'unparsed', 'items', 'records', 'typedefDefinitions', 'constantMacros',
] as const;

export type SpilledFields = Pick<FileIndex, (typeof SPILLED_FIELDS)[number]>;

/** What a spilled part holds in place of its fields, shared by all of them: frozen, so no use can fill it. */
const EMPTY = Object.freeze(Object.fromEntries(SPILLED_FIELDS.map((f) => [f, Object.freeze(f === 'accessorFirstUse' ? {} : [])]))) as unknown as SpilledFields;

export interface SpillSummary {
	/** Each #include as `<path` (system) or `"path`, in order. */
	includes: string[];
	functions: string[];
	/** Functions with a constructor body (per-vnet assignments), and whether one is a MOD_LOAD/MOD_UNLOAD case. */
	bodies: string[];
	moduleEvents: boolean;
}

export class PartStore {
	private readonly fd: number;
	private end = 0;
	private readonly at = new Map<string, { offset: number; length: number }>();
	/** What a spilled part had, by file: enough to tell whether it must be whole again. */
	private readonly summaries = new Map<string, SpillSummary>();
	private summariesDropped = false;
	private closed = false;
	private readonly includeSpellings: InternTable = new Map();
	/** Set when a write failed (a full disk): from then on parts stay whole in memory. */
	private full = false;

	/** `fd`: an open file to use instead of a fresh temporary one (tests). */
	constructor(fd?: number) {
		this.fd = fd ?? openUnlinkedTemp();
	}

	/**
	 * A store in the temporary directory, or none when it cannot be made
	 * there (read-only, missing): the run then keeps every part in memory,
	 * with the same result.
	 */
	static open(): PartStore | undefined {
		try {
			return new PartStore();
		} catch {
			return undefined;
		}
	}

	/** Moves a part's spilled fields to disk; the part keeps them empty. A part that cannot be written stays whole. */
	spill(part: FileIndex): void {
		if (this.full) return;
		// The whole part: a spilled file's task takes all its own fields from here.
		const bytes = serialize(part);
		try {
			writeAllAt(this.fd, bytes, this.end);
		} catch {
			this.full = true;
			return;
		}
		this.at.set(part.file, { offset: this.end, length: bytes.length });
		this.end += bytes.length;
		this.summaries.set(part.file, {
			// Interned: the same headers recur in thousands of files (names come interned already).
			includes: internStrings(part.includes.map((i) => `${i.system ? '<' : '"'}${i.path}`), this.includeSpellings),
			functions: part.functions.map((f) => f.name),
			bodies: part.constructorBodies.map((b) => b.function),
			moduleEvents: part.constructorBodies.some((b) => b.kind === 'mod-load' || b.kind === 'mod-unload'),
		});
		Object.assign(part, EMPTY);
	}

	/** What a spilled part had (undefined: the part is whole, or was never spilled). */
	summary(file: string): SpillSummary | undefined {
		if (this.summariesDropped) throw new Error('internal error: part store summaries read after they were dropped');
		return this.summaries.get(file);
	}

	/**
	 * Drops the summaries once the merge and the plan have read them: they are
	 * most of what the store keeps in memory (30 MB at 50,000 files), and the
	 * migration reads only whole parts back.
	 */
	dropSummaries(): void {
		this.summaries.clear();
		this.summariesDropped = true;
	}

	isSpilled(file: string): boolean {
		return this.at.has(file);
	}

	/** A spilled part as it was whole, read back (a fresh copy each time). */
	read(file: string): FileIndex | undefined {
		const where = this.at.get(file);
		if (!where) return undefined;
		return deserialize(readAt(this.fd, where.length, where.offset)) as FileIndex;
	}

	/**
	 * Puts a part's spilled fields back for good: the part is whole again. The
	 * others stay as they are: the merge's members point into them.
	 */
	restore(part: FileIndex): void {
		const stored = this.read(part.file);
		if (!stored) return;
		for (const f of SPILLED_FIELDS) (part as unknown as Record<string, unknown>)[f] = stored[f];
		this.at.delete(part.file);
		this.summaries.delete(part.file);
	}

	close(): void {
		if (this.closed) return;
		this.closed = true;
		fs.closeSync(this.fd);
	}
}

/** A spilled part's #includes (from its summary), or a whole part's own. */
export function includesFrom(store: PartStore): (part: FileIndex) => Array<{ path: string; system: boolean }> {
	return (part) => {
		const s = store.summary(part.file);
		return s ? s.includes.map((i) => ({ path: i.slice(1), system: i[0] === '<' })) : part.includes;
	};
}

/** Restores the spilled parts that define (or, with `bodiesOnly`, hold a constructor body of) one of `names`. */
function restoreDefiners(store: PartStore, own: FileIndex[], names: ReadonlySet<string>, bodiesOnly = false): void {
	if (names.size === 0) return;
	for (const p of own) {
		const s = store.summary(p.file);
		if (s && ((!bodiesOnly && s.functions.some((n) => names.has(n))) || s.bodies.some((n) => names.has(n)))) store.restore(p);
	}
}

/**
 * Brings back whole, before the merge, the spilled parts whose functions or
 * constructor bodies it reads: every definer of an iattach function, of a
 * function an iattach calls, of a sysctl handler or of a function named with
 * --constructor (their existence and calls count); the parts holding a
 * constructor body of a pr_init or SYSINIT function or a MOD_LOAD case. The
 * merge then reads what it would from whole parts. `all` also holds saved
 * parts (`--index`), whose registrations count.
 */
export function restoreForMerge(store: PartStore, own: FileIndex[], all: FileIndex[], named: readonly string[]): void {
	const iattach = new Set<string>();
	const defined = new Set<string>(named);
	const registered = new Set<string>();
	for (const p of all) {
		for (const mi of p.modinfos) {
			const f = iattachOf(mi);
			if (f) iattach.add(f);
		}
		for (const pi of p.protocolInits) registered.add(pi.name);
		for (const s of p.sysinits) if (s.name === 'SYSINIT' && s.args[3]) registered.add(s.args[3]);
		for (const s of p.sysctls) {
			const h = handlerName(s);
			if (h) defined.add(h);
		}
	}
	for (const p of own) if (store.summary(p.file)?.moduleEvents) store.restore(p);
	restoreDefiners(store, own, new Set([...defined, ...iattach]));
	restoreDefiners(store, own, registered, true);
	// Every iattach definer is whole now: the functions they call, by any of their definitions.
	const callees = new Set<string>();
	for (const p of all) for (const f of p.functions) if (iattach.has(f.name)) for (const c of f.calls) callees.add(c);
	restoreDefiners(store, own, callees);
}

/** Brings back whole the spilled parts the plan reads (filesNeededWhole). */
export function restoreWhole(store: PartStore, parts: FileIndex[], whole: ReadonlySet<string>): void {
	for (const p of parts) if (whole.has(p.file)) store.restore(p);
}
