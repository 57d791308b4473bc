/**
 * Interning an index's strings, in place. A large tree's index repeats the
 * same strings everywhere: the file's path in every span, the same member,
 * accessor and function names in every file. Each copy that arrives from a
 * worker (structured clone) or from a saved index is a string of its own,
 * and a name sliced from a file's text can keep that whole text alive (V8
 * shares a slice's parent). Interned, equal strings are one flat string.
 */
export type InternTable = Map<string, string>;

/**
 * A flat copy of `s`, sharing nothing with the string it was sliced from.
 * V8 makes a slice of 13 characters or more a view of its parent (shorter
 * ones are copies), so an interned 13-character name would keep its whole
 * file's text alive for the run.
 */
function flatCopy(s: string): string {
	return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/** Replaces every string in the plain-data graph under `root` by its interned copy; returns `root`. */
export function internStrings<T>(root: T, table: InternTable = new Map()): T {
	const seen = new Set<object>();
	const intern = (s: string): string => {
		let c = table.get(s);
		if (c === undefined) {
			c = flatCopy(s);
			table.set(c, c);
		}
		return c;
	};
	const stack: object[] = [];
	const push = (v: unknown) => {
		if (v !== null && typeof v === 'object' && !seen.has(v)) {
			seen.add(v);
			stack.push(v);
		}
	};
	push(root);
	while (stack.length > 0) {
		const o = stack.pop() as Record<string, unknown> | unknown[];
		if (Array.isArray(o)) {
			for (let i = 0; i < o.length; i++) {
				const v = o[i];
				if (typeof v === 'string') o[i] = intern(v);
				else push(v);
			}
		} else {
			for (const k of Object.keys(o)) {
				const v = o[k];
				if (typeof v === 'string') o[k] = intern(v);
				else push(v);
			}
		}
	}
	return root;
}

const NO_ARRAY = Object.freeze([]) as unknown as never[];
const NO_RECORD = Object.freeze({}) as Record<string, never>;

/**
 * Points every empty array or object field of `record` at one shared, frozen
 * empty value: most of a large tree's index parts have most fields empty,
 * and an empty array costs as much as a small object. Frozen, so that no use
 * can fill one part's field for all of them.
 */
export function shareEmptyFields<T extends object>(record: T): T {
	const fields = record as unknown as Record<string, unknown>;
	for (const [k, v] of Object.entries(fields)) {
		if (Array.isArray(v)) {
			if (v.length === 0) fields[k] = NO_ARRAY;
		} else if (v && typeof v === 'object' && Object.keys(v).length === 0) fields[k] = NO_RECORD;
	}
	return record;
}
