/**
 * An executable model of the old VIMAGE runtime (allocator-model.md §2), and
 * the initial-state comparison with the new one (§3.4, spec invariant §4).
 *
 * The migration moves constant assignments out of constructors into static
 * initializers; it is right only if every variable still starts with the
 * same value in every new vnet. Here each registered module's container
 * struct is allocated zeroed per vnet (`vmi_size` bytes, laid out from its
 * definition) and its constructor's assignments are applied in order:
 * constants as bytes, anything else as "computed by `<statement>`".
 * `compareInitialState` then sets each member beside the new model's
 * variable (static initializer + remaining constructor) and says why they
 * differ.
 */
import type { VnetAllocator } from './allocator';
import { Arch, isUnknown, LayoutEnv, MemberLayout, recordLayoutOf } from './layout';
import { applyValue, describeSnapshot, diagnostic, Effect, Memory, ModelDiagnostic, Snapshot, snapshotsEqual } from './value';

/** A `vnet_modinfo_t` of the old design, with its container and constructor. */
export interface ContainerModule {
	/** `vmi_name`, e.g. `inet`. */
	name: string;
	/** Tag of the container struct, e.g. `vnet_inet`; `vmi_size` is its size. */
	container: string;
	/** `vmi_dependson`: the name of the module that must be registered first. */
	dependsOn?: string;
	/** The constructor's assignments (`vmi_iattach` and the init functions it calls), in order. */
	iattach?: readonly Effect[];
}

interface RegisteredModule {
	spec: ContainerModule;
	size: number;
	members: MemberLayout[];
}

export interface OldVnet {
	readonly id: number;
	/** `mod_data[]`, by module name. */
	readonly modData: ReadonlyMap<string, Memory>;
}

/** The member that holds variable `x`: `_x` by the design's convention, else `x` itself. */
export function memberOf(members: readonly MemberLayout[], variable: string): MemberLayout | undefined {
	return members.find((m) => m.name === `_${variable}`) ?? members.find((m) => m.name === variable && m.bits === undefined);
}

/** The variable a member holds: the member name without its leading underscore. */
export const variableOf = (member: string): string => member.replace(/^_/, '');

export class ContainerModel {
	readonly diagnostics: ModelDiagnostic[] = [];
	private readonly registered: RegisteredModule[] = [];
	/** Modules waiting for their `vmi_dependson` to register. */
	private readonly pending: ContainerModule[] = [];
	private readonly vnetList: OldVnet[] = [];
	private readonly seen = new Set<string>();

	constructor(
		readonly arch: Arch,
		readonly env: LayoutEnv,
	) {}

	private note(d: ModelDiagnostic): void {
		const key = `${d.code}\u0000${d.message}`;
		if (this.seen.has(key)) return;
		this.seen.add(key);
		this.diagnostics.push(d);
	}

	/**
	 * vnet_mod_register: a module whose dependency is not registered yet
	 * waits for it; once registered, its container is allocated and its
	 * constructor run for every existing vnet. Returns false when the
	 * container cannot be laid out.
	 */
	register(mod: ContainerModule): boolean {
		if (this.registered.some((r) => r.spec.name === mod.name) || this.pending.some((p) => p.name === mod.name)) {
			this.note(diagnostic('error', 'old-model/duplicate-module', `module ${mod.name} is registered twice`, { module: mod.name }));
			return false;
		}
		const layout = recordLayoutOf({ kind: 'struct', tag: mod.container }, this.arch, this.env);
		if (isUnknown(layout)) {
			this.note(diagnostic('error', 'old-model/container-layout', `module ${mod.name}: container ${layout.unknown}`, { module: mod.name }));
			return false;
		}
		if (mod.dependsOn !== undefined && !this.registered.some((r) => r.spec.name === mod.dependsOn)) {
			this.pending.push(mod);
			return true;
		}
		this.activate({ spec: mod, size: layout.size, members: layout.members });
		return true;
	}

	private activate(reg: RegisteredModule): void {
		this.registered.push(reg);
		for (const v of this.vnetList) this.attach(v, reg);
		// Modules that waited for this one can now register, in the order they arrived.
		for (let i = 0; i < this.pending.length; i++) {
			const p = this.pending[i];
			if (p.dependsOn === reg.spec.name) {
				this.pending.splice(i, 1);
				const layout = recordLayoutOf({ kind: 'struct', tag: p.container }, this.arch, this.env);
				if (!isUnknown(layout)) this.activate({ spec: p, size: layout.size, members: layout.members });
				i = -1; // the list changed: start over
			}
		}
	}

	/** Modules still waiting for a dependency that never registered. */
	pendingModules(): string[] {
		return this.pending.map((p) => p.name);
	}

	registrationOrder(): string[] {
		return this.registered.map((r) => r.spec.name);
	}

	/** Container size (`vmi_size`) of a registered module. */
	containerSize(name: string): number | undefined {
		return this.registered.find((r) => r.spec.name === name)?.size;
	}

	/** Allocates `vmi_size` zeroed bytes into mod_data, then runs the constructor with curvnet = this vnet. */
	private attach(vnet: OldVnet, reg: RegisteredModule): void {
		(vnet.modData as Map<string, Memory>).set(reg.spec.name, new Memory(reg.size));
		const owner = reg.spec.name;
		for (const e of reg.spec.iattach ?? []) {
			const report = (code: string, why: string) =>
				this.note(diagnostic('error', code, `${owner}: ${why}`, { module: owner, variable: e.variable }));
			const where = this.locate(vnet, e.variable, owner);
			if (!where) {
				report('old-model/unknown-member', `the constructor assigns ${e.variable}, which no container allocated so far in the vnet holds`);
				continue;
			}
			const off = e.offset ?? 0;
			const size = e.size ?? where.member.size - off;
			if (off < 0 || size < 0 || off + size > where.member.size) {
				report('old-model/effect-range', `assignment to [${off}, ${off + size}) of ${e.variable} lies outside its ${where.member.size} bytes`);
				continue;
			}
			const why = applyValue(where.mem, where.member.offset + off, size, e.value);
			if (why) report('old-model/bad-value', `${e.variable}: ${why}`);
		}
	}

	/** The member holding `variable`: the constructor's own container first, then the others allocated in this vnet. */
	private locate(vnet: OldVnet, variable: string, owner: string): { mem: Memory; member: MemberLayout } | undefined {
		const order = [...this.registered].sort((a, b) => Number(b.spec.name === owner) - Number(a.spec.name === owner));
		for (const r of order) {
			const mem = vnet.modData.get(r.spec.name);
			const member = memberOf(r.members, variable);
			if (mem && member && member.bits === undefined) return { mem, member };
		}
		return undefined;
	}

	get vnets(): readonly OldVnet[] {
		return this.vnetList;
	}

	/** vnet creation: each registered module in order, its container zeroed, then its constructor. */
	createVnet(): OldVnet {
		const vnet: OldVnet = { id: this.vnetList.length, modData: new Map() };
		for (const r of this.registered) this.attach(vnet, r);
		this.vnetList.push(vnet);
		return vnet;
	}

	/** Every variable the containers hold, with its module and size (bit-fields excluded). */
	variables(): { variable: string; module: string; size: number }[] {
		return this.registered.flatMap((r) =>
			r.members
				.filter((m) => m.name !== undefined && m.bits === undefined)
				.map((m) => ({ variable: variableOf(m.name!), module: r.spec.name, size: m.size })),
		);
	}

	/** A variable's value in `vnet`, through `mod_data[]`. */
	valueOf(vnet: OldVnet, variable: string): Snapshot | undefined {
		for (const r of this.registered) {
			const member = memberOf(r.members, variable);
			const mem = vnet.modData.get(r.spec.name);
			if (member && mem) return mem.read(member.offset, member.size);
		}
		return undefined;
	}

	/** The value a vnet created now would start with (nothing is kept). */
	freshValue(variable: string): Snapshot | undefined {
		const vnet: OldVnet = { id: -1, modData: new Map() };
		for (const r of this.registered) this.attach(vnet, r);
		return this.valueOf(vnet, variable);
	}
}

export type DifferenceKind =
	/** no VNET_DEFINE for an old member */
	| 'missing-in-new'
	/** member and variable sizes differ */
	| 'size'
	/** old has a value from a constant, new starts at zero: an initializer or assignment was lost */
	| 'dropped-initializer'
	/** one side is computed or symbolic where the other differs in kind or text */
	| 'symbolic'
	/** both concrete, different bytes */
	| 'value';

export interface InitialStateResult {
	variable: string;
	module: string;
	equal: boolean;
	kind?: DifferenceKind;
	reason?: string;
	old?: Snapshot;
	new?: Snapshot;
}

function isZero(s: Snapshot): boolean {
	return s.symbolic.length === 0 && s.bytes.every((b) => b === 0);
}

/** Why two snapshots differ, or undefined when they are equal. */
export function explainDifference(oldS: Snapshot, newS: Snapshot): { kind: DifferenceKind; reason: string } | undefined {
	if (snapshotsEqual(oldS, newS)) return undefined;
	const o = describeSnapshot(oldS);
	const n = describeSnapshot(newS);
	if (oldS.bytes.length !== newS.bytes.length) {
		return { kind: 'size', reason: `old member is ${oldS.bytes.length} bytes, new variable ${newS.bytes.length}` };
	}
	if (oldS.symbolic.length > 0 || newS.symbolic.length > 0) {
		if (isZero(newS) && oldS.symbolic.length > 0) {
			return { kind: 'dropped-initializer', reason: `old starts as ${o}, new as 0: the statement no longer runs` };
		}
		return { kind: 'symbolic', reason: `old starts as ${o}, new as ${n}` };
	}
	if (isZero(newS)) {
		return { kind: 'dropped-initializer', reason: `old starts as ${o}, new as 0: the constant assignment was neither kept nor made a static initializer` };
	}
	return { kind: 'value', reason: `old starts as ${o}, new as ${n}` };
}

/**
 * For each variable the old containers hold: its value in a fresh old vnet
 * (zero, then the old constructor) against a fresh new vnet (static
 * initializer, then the remaining constructors). `only` restricts the
 * variables compared (e.g. to live members).
 */
export function compareInitialState(oldModel: ContainerModel, newModel: VnetAllocator, only?: readonly string[]): InitialStateResult[] {
	const out: InitialStateResult[] = [];
	for (const { variable, module } of oldModel.variables()) {
		if (only && !only.includes(variable)) continue;
		const oldS = oldModel.freshValue(variable)!;
		if (newModel.sizeOfVariable(variable) === undefined) {
			out.push({ variable, module, equal: false, kind: 'missing-in-new', reason: `no VNET_DEFINE of ${variable} in the new model`, old: oldS });
			continue;
		}
		const newS = newModel.freshValue(variable);
		const diff = explainDifference(oldS, newS);
		out.push(diff ? { variable, module, equal: false, ...diff, old: oldS, new: newS } : { variable, module, equal: true, old: oldS, new: newS });
	}
	return out;
}
