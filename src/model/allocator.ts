/**
 * An executable model of the r195699 vnet allocator (allocator-model.md §1),
 * for one architecture.
 *
 * `verify` must show that the migrated code behaves under the new allocator
 * as the old code did under container structs: every variable laid out in
 * the `set_vnet` linker set, modules fitting the kernel's reserve, and every
 * vnet, whenever created, starting from the same values. This class keeps
 * the reference copy and each vnet's memory as bytes, and replays what the
 * kernel does: the set in link order, the `modspace` reserve and its free
 * list (first fit, coalescing on free, and r195699's NULL-next defect
 * detected instead of imitated), module load and unload with
 * `vnet_data_copy`, vnet creation, and `VNET_VNET_PTR` arithmetic.
 * Offsets are from VNET_START (`__start_set_vnet`); addresses are bigints.
 */
import type { CType } from './ctype';
import { Arch, ARCH_INFO, isUnknown, LayoutEnv, layoutOf, Unknown } from './layout';
import { applyValue, ConstantValue, describeSnapshot, diagnostic, Effect, Memory, ModelDiagnostic, Snapshot } from './value';

/** Bytes the kernel reserves for modules' variables (`modspace[VNET_MODMIN]`). */
export const VNET_MODMIN = 8192;
export const MODSPACE = 'modspace';

/**
 * - `r195699`: `modspace` is a byte-aligned char array and the first free
 *   extent is VNET_MODSIZE = VNET_SIZE - (VNET_BYTES - VNET_MODMIN) long
 *   (the reserve plus the page-rounding slack after the set);
 * - `later`: `modspace` is pointer-aligned and the extent is exactly VNET_MODMIN.
 */
export type ReserveOption = 'r195699' | 'later';

/** Text a vnet's memory has where nothing was copied in: malloc(9) without M_ZERO. */
export const INDETERMINATE = 'indeterminate (malloc(9) without M_ZERO; vnet_alloc copies VNET_BYTES only)';
const OUTSIDE_SET = 'kernel data after __stop_set_vnet (outside the set)';

/** One `VNET_DEFINE`d variable: its laid-out type and its static initializer (zero when absent). */
export interface VnetVariable {
	name: string;
	size: number;
	align: number;
	init?: ConstantValue;
}

/** A module (or boot-time subsystem) registering per-vnet constructors (`vnet_modinfo_t` iattach). */
export interface VnetSubsystem {
	name: string;
	/** The constructor's remaining assignments, in order, run for every vnet. */
	iattach?: readonly Effect[];
}

export interface KernelSpec {
	/** The kernel's virtualized variables in link order (`modspace` excluded: the model adds it). */
	variables: readonly VnetVariable[];
	/** Subsystems registered at boot, in registration order. */
	subsystems?: readonly VnetSubsystem[];
}

/** A loadable module: its own `set_vnet` section in link order, and its constructors. */
export interface VnetModule extends VnetSubsystem {
	variables: readonly VnetVariable[];
}

export interface AllocatorOptions {
	reserve?: ReserveOption;
	/**
	 * Overrides modspace's alignment (default: 1 in r195699, the pointer size
	 * later). GCC -O2 actually aligns a global array this large to 32.
	 */
	modspaceAlign?: number;
	/** Link position of `modspace` among the kernel's variables (default: after all of them). */
	modspaceIndex?: number;
	/** Address of `__start_set_vnet`. */
	setStart?: bigint;
	/** Where the model's malloc(9) places the first vnet's memory (each next one VNET_SIZE further). */
	heapStart?: bigint;
}

export interface Placement {
	name: string;
	offset: number;
	size: number;
	align: number;
	/** Padding bytes inserted before it for alignment. */
	padding: number;
}

export interface SetLayout {
	placements: Placement[];
	/** From the first variable's start to the last one's end (`__stop - __start`): no tail padding. */
	size: number;
	/** The largest alignment, to which the linker aligns the section. */
	align: number;
	padding: number;
}

/** A free extent of the reserve, as offsets from VNET_START. */
export interface Extent {
	start: number;
	len: number;
}

export interface Vnet {
	readonly id: number;
	/** `vnet_data_mem`: where this vnet's copy lives. */
	readonly dataMem: bigint;
	/** `vnet_data_base = vnet_data_mem - VNET_START`, in uintptr_t arithmetic. */
	readonly dataBase: bigint;
	readonly memory: Memory;
}

export type LoadResult =
	| { ok: true; module: string; offset?: number; setBytes: number; allocatedBytes: number; diagnostics: ModelDiagnostic[] }
	| { ok: false; module: string; setBytes: number; allocatedBytes: number; shortfall: number; diagnostics: ModelDiagnostic[] };

export interface UnloadResult {
	ok: boolean;
	freedBytes: number;
	diagnostics: ModelDiagnostic[];
}

export interface ModuleReport {
	name: string;
	/** Offset of its block from VNET_START; absent for an empty set (nothing allocated). */
	offset?: number;
	setBytes: number;
	/** The block taken from the reserve: setBytes rounded up to the pointer size. */
	allocatedBytes: number;
	paddingBytes: number;
	variables: Placement[];
}

export interface AllocatorReport {
	arch: Arch;
	reserveOption: ReserveOption;
	kernel: {
		variables: Placement[];
		/** Sum of the variables' sizes, modspace excluded. */
		variableBytes: number;
		paddingBytes: number;
		/** VNET_BYTES */
		setBytes: number;
		/** VNET_SIZE */
		vnetSize: number;
		/** VNET_SIZE - VNET_BYTES */
		slackBytes: number;
		modspace: Placement;
	};
	reserve: { start: number; initialBytes: number; usedBytes: number; freeBytes: number; largestFree: number; extents: Extent[] };
	modules: ModuleReport[];
	diagnostics: ModelDiagnostic[];
}

interface LoadedModule {
	spec: VnetModule;
	layout: SetLayout;
	offset?: number;
}

interface Registered {
	owner: string;
	effects: readonly Effect[];
}

const roundUp = (x: number, a: number) => Math.ceil(x / a) * a;
const isPowerOfTwo = (x: number) => Number.isInteger(x) && x > 0 && (x & (x - 1)) === 0;

const DEFAULT_SET_START: Record<Arch, bigint> = { amd64: 0xffffffff80e00000n, i386: 0xc0e00000n };
const DEFAULT_HEAP_START: Record<Arch, bigint> = { amd64: 0xffffff0001000000n, i386: 0xc4000000n };

/** Lays out variables in link order, each at its natural alignment. */
export function layoutSet(vars: readonly VnetVariable[]): SetLayout {
	const placements: Placement[] = [];
	let end = 0;
	let align = 1;
	let padding = 0;
	for (const v of vars) {
		if (!Number.isInteger(v.size) || v.size < 0) throw new RangeError(`variable ${v.name}: size ${v.size}`);
		if (!isPowerOfTwo(v.align)) throw new RangeError(`variable ${v.name}: alignment ${v.align} is not a power of two`);
		const offset = roundUp(end, v.align);
		placements.push({ name: v.name, offset, size: v.size, align: v.align, padding: offset - end });
		padding += offset - end;
		end = offset + v.size;
		align = Math.max(align, v.align);
	}
	return { placements, size: end, align, padding };
}

/** A variable of type `t` for the allocator, or why its type cannot be laid out. */
export function vnetVariable(name: string, t: CType, arch: Arch, env: LayoutEnv, init?: ConstantValue): VnetVariable | Unknown {
	const l = layoutOf(t, arch, env);
	if (isUnknown(l)) return { unknown: `${name}: ${l.unknown}` };
	return init ? { name, size: l.size, align: l.align, init } : { name, size: l.size, align: l.align };
}

/** A set's initial image: each variable's static initializer at its offset, zero elsewhere. */
function setImage(layout: SetLayout, vars: readonly VnetVariable[], report: (v: string, why: string) => void): Memory {
	const mem = new Memory(layout.size);
	vars.forEach((v, i) => {
		if (!v.init) return;
		const why = applyValue(mem, layout.placements[i].offset, v.size, v.init);
		if (why) report(v.name, `static initializer: ${why}`);
	});
	return mem;
}

export class VnetAllocator {
	readonly pointerSize: number;
	readonly pageSize: number;
	readonly reserveOption: ReserveOption;
	/** The kernel's set, modspace included. */
	readonly kernel: SetLayout;
	readonly modspace: Placement;
	/** VNET_BYTES */
	readonly setBytes: number;
	/** VNET_SIZE: VNET_BYTES rounded up to a page. */
	readonly vnetSize: number;
	/** The first free extent's length (VNET_MODSIZE in r195699, VNET_MODMIN later). */
	readonly reserveBytes: number;
	readonly setStart: bigint;
	/** The reference copy: the set as linked, then module blocks as loaded. */
	readonly reference: Memory;
	readonly diagnostics: ModelDiagnostic[] = [];

	private free: Extent[];
	private readonly heapStart: bigint;
	private readonly modules = new Map<string, LoadedModule>();
	private registered: Registered[] = [];
	private readonly vnetList: Vnet[] = [];
	private readonly kernelVars: readonly VnetVariable[];
	private nextVnetId = 0;
	private readonly seen = new Set<string>();

	constructor(
		readonly arch: Arch,
		spec: KernelSpec,
		options: AllocatorOptions = {},
	) {
		this.pointerSize = ARCH_INFO[arch].pointerSize;
		this.pageSize = ARCH_INFO[arch].pageSize;
		this.reserveOption = options.reserve ?? 'r195699';
		this.setStart = options.setStart ?? DEFAULT_SET_START[arch];
		this.heapStart = options.heapStart ?? DEFAULT_HEAP_START[arch];

		const modspaceVar: VnetVariable = {
			name: MODSPACE,
			size: VNET_MODMIN,
			align: options.modspaceAlign ?? (this.reserveOption === 'r195699' ? 1 : this.pointerSize),
		};
		const at = options.modspaceIndex ?? spec.variables.length;
		if (!Number.isInteger(at) || at < 0 || at > spec.variables.length) throw new RangeError(`modspaceIndex ${at}`);
		this.kernelVars = [...spec.variables.slice(0, at), modspaceVar, ...spec.variables.slice(at)];
		this.kernel = layoutSet(this.kernelVars);
		this.modspace = this.kernel.placements[at];
		this.setBytes = this.kernel.size;
		this.vnetSize = roundUp(this.setBytes, this.pageSize);
		this.reserveBytes = this.reserveOption === 'r195699' ? this.vnetSize - (this.setBytes - VNET_MODMIN) : VNET_MODMIN;
		this.free = [{ start: this.modspace.offset, len: this.reserveBytes }];

		if (this.setStart % BigInt(this.kernel.align) !== 0n) {
			const why = `VNET_START ${hex(this.setStart)} is not aligned to ${this.kernel.align} as the linker would align set_vnet`;
			this.note(diagnostic('warning', 'allocator/set-start', why));
		}
		const names = new Set<string>();
		for (const v of this.kernelVars) {
			if (names.has(v.name)) {
				const why = `two kernel variables are named ${v.name}; effects resolve to the first`;
				this.note(diagnostic('warning', 'allocator/duplicate-name', why, { variable: v.name }));
			}
			names.add(v.name);
		}
		const first = this.free[0];
		const covered = this.kernelVariablesIn(first.start, first.len).filter((p) => p.name !== MODSPACE);
		if (covered.length > 0) {
			const list = covered.map((p) => p.name).join(', ');
			const why = `the reserve's free extent [${first.start}, ${first.start + first.len}) covers kernel variables linked after modspace (${list}): module loads can overwrite them`;
			this.note(diagnostic('error', 'allocator/reserve-overlaps-kernel', why));
		}

		this.reference = new Memory(this.vnetSize);
		this.reference.tag(this.setBytes, this.vnetSize - this.setBytes, OUTSIDE_SET);
		const image = setImage(this.kernel, this.kernelVars, (v, why) =>
			this.note(diagnostic('error', 'allocator/bad-initializer', `${v}: ${why}`, { variable: v })),
		);
		this.reference.copyFrom(image, 0, 0, this.setBytes);
		for (const s of spec.subsystems ?? []) this.registered.push({ owner: s.name, effects: s.iattach ?? [] });
	}

	/** Records a diagnostic once (vnet creation repeats the same findings). */
	private note(d: ModelDiagnostic): ModelDiagnostic {
		const key = `${d.code}\u0000${d.message}`;
		if (!this.seen.has(key)) {
			this.seen.add(key);
			this.diagnostics.push(d);
		}
		return d;
	}

	private kernelVariablesIn(start: number, len: number): Placement[] {
		return this.kernel.placements.filter((p) => p.size > 0 && p.offset < start + len && start < p.offset + p.size);
	}

	// --- the free list (vnet_data_alloc / vnet_data_free) ---

	/** The free extents, sorted by address. */
	freeList(): Extent[] {
		return this.free.map((e) => ({ ...e }));
	}

	/**
	 * vnet_data_alloc(size): rounds to the pointer size and takes the first
	 * extent large enough (exact fit removes it, else it shrinks from its
	 * start). Returns the block's offset, or undefined (NULL).
	 */
	dataAlloc(size: number): number | undefined {
		const need = roundUp(size, this.pointerSize);
		const i = this.free.findIndex((e) => e.len >= need);
		if (i < 0) return undefined;
		const e = this.free[i];
		const start = e.start;
		if (e.len === need) this.free.splice(i, 1);
		else {
			e.start += need;
			e.len -= need;
		}
		return start;
	}

	/**
	 * vnet_data_free(start, size), step for step: rounds the size, walks the
	 * sorted list, extends the previous extent (then merges the next one when
	 * they touch) or the next one backwards, else inserts a new extent. Where
	 * r195699 would read TAILQ_NEXT() of the last extent (NULL), the defect is
	 * reported and the model finishes the merge correctly.
	 */
	dataFree(start: number, size: number, module?: string): ModelDiagnostic[] {
		const out: ModelDiagnostic[] = [];
		const rounded = roundUp(size, this.pointerSize);
		const end = start + rounded;
		if (rounded === 0) return out; // the linker never frees an empty set
		const overlap = this.free.find((e) => e.start < end && start < e.start + e.len);
		if (overlap) {
			const why = `vnet_data_free of [${start}, ${end}) overlaps the free extent [${overlap.start}, ${overlap.start + overlap.len}); the list was left unchanged`;
			out.push(this.note(diagnostic('error', 'allocator/double-free', why, { module })));
			return out;
		}
		let i = 0;
		for (; i < this.free.length; i++) {
			const df = this.free[i];
			if (df.start > end) break;
			if (df.start + df.len === start) {
				df.len += rounded;
				const dn = this.free[i + 1];
				if (!dn) {
					const why =
						`freeing [${start}, ${end})${module ? ` (module ${module})` : ''} directly after the last free extent [${df.start}, ${start}): ` +
						"r195699's vnet_data_free then reads the next extent through a NULL pointer (a panic); the model merged the block and continued";
					out.push(this.note(diagnostic('error', 'allocator/free-list-null-next', why, { module })));
				} else if (df.start + df.len === dn.start) {
					df.len += dn.len;
					this.free.splice(i + 1, 1);
				}
				return out;
			}
			if (df.start === end) {
				df.start = start;
				df.len += rounded;
				return out;
			}
		}
		this.free.splice(i, 0, { start, len: rounded });
		return out;
	}

	/** vnet_data_copy: the reference copy's [offset, +size) into every existing vnet. */
	dataCopy(offset: number, size: number): void {
		for (const v of this.vnetList) v.memory.copyFrom(this.reference, offset, offset, size);
	}

	// --- modules ---

	loadModule(mod: VnetModule): LoadResult {
		const diagnostics: ModelDiagnostic[] = [];
		const layout = layoutSet(mod.variables);
		const allocatedBytes = roundUp(layout.size, this.pointerSize);
		const base = { module: mod.name, setBytes: layout.size, allocatedBytes };
		if (this.modules.has(mod.name)) {
			diagnostics.push(diagnostic('error', 'allocator/already-loaded', `module ${mod.name} is already loaded`, { module: mod.name }));
			return { ok: false, ...base, shortfall: 0, diagnostics };
		}
		let offset: number | undefined;
		if (layout.size > 0) {
			offset = this.dataAlloc(layout.size);
			if (offset === undefined) {
				const largest = this.free.reduce((m, e) => Math.max(m, e.len), 0);
				const total = this.free.reduce((s, e) => s + e.len, 0);
				const shortfall = allocatedBytes - largest;
				const why = total >= allocatedBytes ? ` (${total} bytes free in ${this.free.length} extents: fragmented)` : ` (${total} bytes free in all)`;
				const message = `module ${mod.name}: out of vnet module space (ENOSPC): needs ${allocatedBytes} bytes, the largest free extent has ${largest}, ${shortfall} bytes short${why}`;
				diagnostics.push(this.note(diagnostic('error', 'allocator/out-of-space', message, { module: mod.name })));
				return { ok: false, ...base, shortfall, diagnostics };
			}
			diagnostics.push(...this.checkPlacement(mod, layout, offset));
			// The linker copies the module's initial values into the reference copy, then into every vnet.
			const image = setImage(layout, mod.variables, (v, why) =>
				diagnostics.push(this.note(diagnostic('error', 'allocator/bad-initializer', `${v}: ${why}`, { module: mod.name, variable: v }))),
			);
			this.reference.copyFrom(image, 0, offset, layout.size);
			this.dataCopy(offset, layout.size);
		}
		this.modules.set(mod.name, { spec: mod, layout, offset });
		// Registration runs the constructor for every existing vnet, as vnet_mod_register did.
		const reg: Registered = { owner: mod.name, effects: mod.iattach ?? [] };
		this.registered.push(reg);
		for (const v of this.vnetList) this.runEffects(v.memory, reg, diagnostics);
		return { ok: true, ...base, offset, diagnostics };
	}

	/** What a module's block, once placed, risks: alignment, lying outside the set, overlapping the kernel. */
	private checkPlacement(mod: VnetModule, layout: SetLayout, offset: number): ModelDiagnostic[] {
		const out: ModelDiagnostic[] = [];
		const m = mod.name;
		for (const p of layout.placements) {
			const at = offset + p.offset;
			const where = { module: m, variable: p.name };
			if (p.align > this.pointerSize) {
				const why = `module ${m}: ${p.name} needs ${p.align}-byte alignment; vnet_data_alloc guarantees only a multiple of ${this.pointerSize} from the reserve's start`;
				out.push(this.note(diagnostic('warning', 'allocator/alignment-hazard', why, where)));
			}
			const absolute = this.setStart + BigInt(at);
			if (p.size > 0 && (at % p.align !== 0 || absolute % BigInt(p.align) !== 0n)) {
				const why = `module ${m}: ${p.name} lands at offset ${at} from VNET_START, not a multiple of its alignment ${p.align}`;
				out.push(this.note(diagnostic('warning', 'allocator/misaligned', why, where)));
			}
		}
		const end = offset + layout.size;
		if (end > this.setBytes) {
			const why =
				`module ${m}: its block [${offset}, ${end}) extends past VNET_BYTES (${this.setBytes}) into the page-rounding slack: ` +
				'the load writes initial values after __stop_set_vnet, and vnets created later do not get them (vnet_alloc copies VNET_BYTES only)';
			out.push(this.note(diagnostic('error', 'allocator/beyond-set', why, { module: m })));
		}
		const hit = this.kernelVariablesIn(offset, layout.size).filter((p) => p.name !== MODSPACE);
		if (hit.length > 0) {
			const why = `module ${m}: its block [${offset}, ${end}) overlaps kernel variables ${hit.map((p) => p.name).join(', ')}`;
			out.push(this.note(diagnostic('error', 'allocator/overlaps-kernel', why, { module: m })));
		}
		return out;
	}

	/** Unload: deregisters the constructors and frees the block; vnets keep the stale bytes. */
	unloadModule(name: string): UnloadResult {
		const m = this.modules.get(name);
		if (!m) {
			const d = diagnostic('error', 'allocator/not-loaded', `module ${name} is not loaded`, { module: name });
			return { ok: false, freedBytes: 0, diagnostics: [d] };
		}
		this.modules.delete(name);
		this.registered = this.registered.filter((r) => r.owner !== name);
		if (m.offset === undefined) return { ok: true, freedBytes: 0, diagnostics: [] };
		const diagnostics = this.dataFree(m.offset, m.layout.size, name);
		return { ok: true, freedBytes: roundUp(m.layout.size, this.pointerSize), diagnostics };
	}

	loadedModules(): string[] {
		return [...this.modules.keys()];
	}

	// --- vnets ---

	get vnets(): readonly Vnet[] {
		return this.vnetList;
	}

	/** vnet_alloc: VNET_SIZE bytes, VNET_BYTES copied from the reference copy, then every registered constructor. */
	createVnet(): Vnet {
		const id = this.nextVnetId++;
		const dataMem = this.heapStart + BigInt(id) * BigInt(this.vnetSize);
		const vnet: Vnet = { id, dataMem, dataBase: this.wrap(dataMem - this.setStart), memory: this.freshMemory([]) };
		this.vnetList.push(vnet);
		return vnet;
	}

	private freshMemory(diagnostics: ModelDiagnostic[]): Memory {
		const mem = new Memory(this.vnetSize);
		mem.tag(0, this.vnetSize, INDETERMINATE);
		mem.copyFrom(this.reference, 0, 0, this.setBytes);
		for (const r of this.registered) this.runEffects(mem, r, diagnostics);
		return mem;
	}

	/** One constructor's effects on one vnet's memory. */
	private runEffects(mem: Memory, reg: Registered, diagnostics: ModelDiagnostic[]): void {
		for (const e of reg.effects) {
			const who = { module: reg.owner, variable: e.variable };
			const report = (code: string, why: string) => diagnostics.push(this.note(diagnostic('error', code, `${reg.owner}: ${why}`, who)));
			const where = this.resolve(e.variable, reg.owner);
			if (!where) {
				report('allocator/unknown-variable', `the constructor assigns ${e.variable}, which no loaded set defines`);
				continue;
			}
			const off = e.offset ?? 0;
			const size = e.size ?? where.size - off;
			if (off < 0 || size < 0 || off + size > where.size) {
				report('allocator/effect-range', `assignment to [${off}, ${off + size}) of ${e.variable} lies outside its ${where.size} bytes`);
				continue;
			}
			const why = applyValue(mem, where.offset + off, size, e.value);
			if (why) report('allocator/bad-value', `${e.variable}: ${why}`);
		}
	}

	/** A variable's place: the owner's own set first, then the kernel's, then other modules' in load order. */
	private resolve(name: string, owner?: string): { offset: number; size: number } | undefined {
		const inModule = (m: LoadedModule) => {
			const p = m.offset === undefined ? undefined : m.layout.placements.find((q) => q.name === name);
			return p && m.offset !== undefined ? { offset: m.offset + p.offset, size: p.size } : undefined;
		};
		const own = owner !== undefined ? this.modules.get(owner) : undefined;
		const first = own && inModule(own);
		if (first) return first;
		const k = this.kernel.placements.find((p) => p.name === name);
		if (k) return { offset: k.offset, size: k.size };
		for (const m of this.modules.values()) {
			const r = inModule(m);
			if (r) return r;
		}
		return undefined;
	}

	// --- access ---

	/** Offset of `&VNET_NAME(name)` from VNET_START, or undefined when no loaded set defines it. */
	symbolOffset(name: string): number | undefined {
		return this.resolve(name)?.offset;
	}

	/** `(uintptr_t)&VNET_NAME(name)`: the reference copy's address. */
	symbolAddress(name: string): bigint | undefined {
		const off = this.symbolOffset(name);
		return off === undefined ? undefined : this.wrap(this.setStart + BigInt(off));
	}

	/** VNET_VNET_PTR(vnet, name) = vnet->vnet_data_base + (uintptr_t)&VNET_NAME(name), in uintptr_t arithmetic. */
	vnetPtr(vnet: Vnet, name: string): bigint {
		const addr = this.symbolAddress(name);
		if (addr === undefined) throw new RangeError(`no loaded set defines ${name}`);
		return this.wrap(vnet.dataBase + addr);
	}

	/** Reads a variable through VNET_VNET(vnet, name), or the reference copy. */
	valueOf(where: Vnet | 'reference', name: string): Snapshot {
		const r = this.resolve(name);
		if (!r) throw new RangeError(`no loaded set defines ${name}`);
		if (where === 'reference') return this.reference.read(r.offset, r.size);
		// Go through the pointer arithmetic, as the kernel does, and check it lands inside the vnet's memory.
		const at = this.vnetPtr(where, name) - where.dataMem;
		if (at < 0n || at + BigInt(r.size) > BigInt(this.vnetSize)) throw new RangeError(`VNET_VNET_PTR of ${name} points outside vnet ${where.id}`);
		return where.memory.read(Number(at), r.size);
	}

	/** The value a vnet created now would start with (nothing is created). */
	freshValue(name: string): Snapshot {
		const r = this.resolve(name);
		if (!r) throw new RangeError(`no loaded set defines ${name}`);
		return this.freshMemory([]).read(r.offset, r.size);
	}

	/** The size of a variable in any loaded set, or undefined. */
	sizeOfVariable(name: string): number | undefined {
		return this.resolve(name)?.size;
	}

	private wrap(x: bigint): bigint {
		return BigInt.asUintN(this.pointerSize * 8, x);
	}

	// --- reporting ---

	report(): AllocatorReport {
		const kernelVars = this.kernel.placements.filter((p) => p !== this.modspace);
		const freeBytes = this.free.reduce((s, e) => s + e.len, 0);
		return {
			arch: this.arch,
			reserveOption: this.reserveOption,
			kernel: {
				variables: kernelVars,
				variableBytes: kernelVars.reduce((s, p) => s + p.size, 0),
				paddingBytes: this.kernel.padding,
				setBytes: this.setBytes,
				vnetSize: this.vnetSize,
				slackBytes: this.vnetSize - this.setBytes,
				modspace: this.modspace,
			},
			reserve: {
				start: this.modspace.offset,
				initialBytes: this.reserveBytes,
				usedBytes: this.reserveBytes - freeBytes,
				freeBytes,
				largestFree: this.free.reduce((m, e) => Math.max(m, e.len), 0),
				extents: this.freeList(),
			},
			modules: [...this.modules.values()].map((m) => ({
				name: m.spec.name,
				offset: m.offset,
				setBytes: m.layout.size,
				allocatedBytes: m.offset === undefined ? 0 : roundUp(m.layout.size, this.pointerSize),
				paddingBytes: m.layout.padding,
				variables: m.layout.placements,
			})),
			diagnostics: [...this.diagnostics],
		};
	}

	/** One line per variable of a set, for human reports: `name @offset size value`. */
	describeVariable(where: Vnet | 'reference', name: string): string {
		const r = this.resolve(name);
		return r ? `${name} @${r.offset} (${r.size} bytes) = ${describeSnapshot(this.valueOf(where, name))}` : `${name}: not defined`;
	}
}

const hex = (x: bigint) => `0x${x.toString(16)}`;
