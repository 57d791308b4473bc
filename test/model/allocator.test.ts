import { describe, expect, it } from 'vitest';
import { cArray, cQueue, cStruct } from '../../src/model/ctype';
import { layoutEnv } from '../../src/model/layout';
import {
	AllocatorOptions,
	INDETERMINATE,
	KernelSpec,
	layoutSet,
	VnetAllocator,
	VnetModule,
	vnetVariable,
	VNET_MODMIN,
} from '../../src/model/allocator';
import { intBytes, Snapshot } from '../../src/model/value';

const bytes = (...b: number[]) => Uint8Array.from(b);
const concrete = (b: Uint8Array): Snapshot => ({ bytes: b, symbolic: [] });
const computed = (size: number, statement: string): Snapshot => ({ bytes: new Uint8Array(size), symbolic: [{ offset: 0, size, tag: `computed by \`${statement}\`` }] });
const codes = (ds: { code: string }[]) => ds.map((d) => d.code);

/** int a = 1; long b; char c = 7; */
function kernel(arch: 'amd64' | 'i386'): KernelSpec {
	const long = arch === 'amd64' ? 8 : 4;
	return {
		variables: [
			{ name: 'a', size: 4, align: 4, init: { kind: 'int', value: 1 } },
			{ name: 'b', size: long, align: long },
			{ name: 'c', size: 1, align: 1, init: { kind: 'int', value: 7 } },
		],
	};
}
const alloc = (arch: 'amd64' | 'i386', options: AllocatorOptions = {}) => new VnetAllocator(arch, kernel(arch), options);
const blob = (name: string, size: number, iattach?: VnetModule['iattach']): VnetModule => ({ name, variables: [{ name: `${name}_data`, size, align: 1 }], iattach });

/** char x = 5; long y = 0x1122334455667788; short z = -2; int w; */
function moduleM(arch: 'amd64' | 'i386'): VnetModule {
	const long = arch === 'amd64' ? 8 : 4;
	return {
		name: 'M',
		variables: [
			{ name: 'x', size: 1, align: 1, init: { kind: 'int', value: 5 } },
			{ name: 'y', size: long, align: long, init: { kind: 'int', value: 0x1122334455667788n } },
			{ name: 'z', size: 2, align: 2, init: { kind: 'int', value: -2 } },
			{ name: 'w', size: 4, align: 4 },
		],
		iattach: [
			{ variable: 'w', value: { kind: 'computed', statement: 'V_w = arc4random();' } },
			{ variable: 'z', value: { kind: 'int', value: 9 } },
		],
	};
}

describe('the kernel set and the reserve', () => {
	it('r195699 on amd64: byte-aligned modspace, the extent runs to the end of the page-rounded region', () => {
		const a = alloc('amd64');
		expect(a.kernel.placements.map((p) => [p.name, p.offset, p.padding])).toEqual([
			['a', 0, 0],
			['b', 8, 4],
			['c', 16, 0],
			['modspace', 17, 0],
		]);
		expect([a.setBytes, a.vnetSize, a.reserveBytes]).toEqual([8209, 12288, 12271]);
		expect(a.freeList()).toEqual([{ start: 17, len: 12271 }]);
	});
	it('later releases on amd64: pointer-aligned modspace, exactly VNET_MODMIN', () => {
		const a = alloc('amd64', { reserve: 'later' });
		expect(a.modspace).toEqual({ name: 'modspace', offset: 24, size: VNET_MODMIN, align: 8, padding: 7 });
		expect([a.setBytes, a.vnetSize, a.reserveBytes]).toEqual([8216, 12288, 8192]);
		expect(a.freeList()).toEqual([{ start: 24, len: 8192 }]);
	});
	it('both options on i386', () => {
		const r = alloc('i386');
		expect([r.modspace.offset, r.setBytes, r.vnetSize, r.reserveBytes]).toEqual([9, 8201, 12288, 12279]);
		const l = alloc('i386', { reserve: 'later' });
		expect([l.modspace.offset, l.setBytes, l.vnetSize, l.reserveBytes]).toEqual([12, 8204, 12288, 8192]);
		expect(l.freeList()).toEqual([{ start: 12, len: 8192 }]);
	});
	it('modspaceAlign models what the compiler really gave the array', () => {
		const a = alloc('amd64', { modspaceAlign: 32 });
		expect([a.modspace.offset, a.setBytes, a.reserveBytes]).toEqual([32, 8224, 12288 - 32]);
	});
	it('a set that fills whole pages has no slack', () => {
		const a = new VnetAllocator('amd64', { variables: [{ name: 'big', size: 4096 - 8, align: 8 }] }, { reserve: 'later' });
		expect([a.setBytes, a.vnetSize]).toEqual([4096 + 8192 - 8, 12288]);
		const r = new VnetAllocator('amd64', { variables: [{ name: 'big', size: 4096, align: 8 }] });
		expect([r.setBytes, r.vnetSize, r.reserveBytes]).toEqual([12288, 12288, 8192]);
	});
	it('r195699: an extent that covers kernel variables linked after modspace is reported', () => {
		const r = alloc('amd64', { modspaceIndex: 1 });
		expect(r.kernel.placements.map((p) => [p.name, p.offset])).toEqual([
			['a', 0],
			['modspace', 4],
			['b', 8200],
			['c', 8208],
		]);
		expect(r.freeList()).toEqual([{ start: 4, len: 12271 }]);
		expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([
			[
				'allocator/reserve-overlaps-kernel',
				"the reserve's free extent [4, 12275) covers kernel variables linked after modspace (b, c): module loads can overwrite them",
			],
		]);
		expect(alloc('amd64', { modspaceIndex: 1, reserve: 'later' }).diagnostics).toEqual([]);
	});
	it('the reference copy holds the static initializers, zero elsewhere', () => {
		const a = alloc('amd64');
		expect(a.valueOf('reference', 'a')).toEqual(concrete(bytes(1, 0, 0, 0)));
		expect(a.valueOf('reference', 'b')).toEqual(concrete(new Uint8Array(8)));
		expect(a.valueOf('reference', 'c')).toEqual(concrete(bytes(7)));
	});
});

describe('module sets', () => {
	it('are laid out with alignment padding, then rounded to the pointer size', () => {
		const m64 = layoutSet(moduleM('amd64').variables);
		expect(m64.placements.map((p) => [p.name, p.offset, p.padding])).toEqual([
			['x', 0, 0],
			['y', 8, 7],
			['z', 16, 0],
			['w', 20, 2],
		]);
		expect([m64.size, m64.align, m64.padding]).toEqual([24, 8, 9]);
		const m32 = layoutSet(moduleM('i386').variables);
		expect(m32.placements.map((p) => p.offset)).toEqual([0, 4, 8, 12]);
		expect([m32.size, m32.padding]).toEqual([16, 5]);
		const odd = layoutSet([
			{ name: 'p', size: 8, align: 8 },
			{ name: 'q', size: 1, align: 1 },
		]);
		expect(odd.size).toBe(9); // no tail padding: __stop_set_vnet follows the last variable
	});
	it('load: first fit, the initial values land in the reference copy', () => {
		const a = alloc('amd64', { reserve: 'later' });
		const r = a.loadModule({ name: 'M', variables: moduleM('amd64').variables.slice(0, 3) });
		expect(r).toEqual({ ok: true, module: 'M', offset: 24, setBytes: 18, allocatedBytes: 24, diagnostics: [] });
		expect(a.freeList()).toEqual([{ start: 48, len: 8168 }]);
		expect(a.symbolOffset('y')).toBe(32);
		expect(a.valueOf('reference', 'x')).toEqual(concrete(bytes(5)));
		expect(a.valueOf('reference', 'y')).toEqual(concrete(bytes(0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11)));
		expect(a.valueOf('reference', 'z')).toEqual(concrete(bytes(0xfe, 0xff)));
	});
	it('on i386 the same module takes 16 bytes and a long holds 4', () => {
		const a = alloc('i386', { reserve: 'later' });
		const r = a.loadModule(moduleM('i386'));
		expect(r.ok && [r.offset, r.setBytes, r.allocatedBytes]).toEqual([12, 16, 16]);
		expect(a.valueOf('reference', 'y')).toEqual(concrete(bytes(0x88, 0x77, 0x66, 0x55)));
	});
	it("r195699's byte-aligned reserve misplaces a module's variables; the later one does not", () => {
		const r = alloc('amd64').loadModule(moduleM('amd64'));
		expect(r.ok && r.offset).toBe(17);
		expect(r.diagnostics.map((d) => [d.code, d.variable])).toEqual([
			['allocator/misaligned', 'y'],
			['allocator/misaligned', 'z'],
			['allocator/misaligned', 'w'],
		]);
		expect(r.diagnostics[0].message).toBe('module M: y lands at offset 25 from VNET_START, not a multiple of its alignment 8');
		expect(alloc('amd64', { reserve: 'later' }).loadModule(moduleM('amd64')).diagnostics).toEqual([]);
		expect(alloc('i386', { reserve: 'later' }).loadModule(moduleM('i386')).diagnostics).toEqual([]);
	});
	it('a variable needing more than pointer alignment is a hazard', () => {
		const a = alloc('amd64', { reserve: 'later' });
		const r = a.loadModule({ name: 'fpu', variables: [{ name: 'ld', size: 16, align: 16 }] });
		expect(r.diagnostics.map((d) => [d.severity, d.code, d.module, d.variable])).toEqual([
			['warning', 'allocator/alignment-hazard', 'fpu', 'ld'],
			['warning', 'allocator/misaligned', 'fpu', 'ld'],
		]);
		expect(r.diagnostics[0].message).toBe("module fpu: ld needs 16-byte alignment; vnet_data_alloc guarantees only a multiple of 8 from the reserve's start");
	});
	it('exhaustion fails the load cleanly, naming the module and the shortfall', () => {
		for (const [arch, shortfall] of [
			['amd64', 112],
			['i386', 108],
		] as const) {
			const a = alloc(arch, { reserve: 'later' });
			expect(a.loadModule(blob('A', 8000)).ok).toBe(true);
			const before = a.freeList();
			const r = a.loadModule(blob('B', 300));
			expect(r.ok).toBe(false);
			expect(!r.ok && r.shortfall).toBe(shortfall);
			expect(r.diagnostics).toHaveLength(1);
			expect(r.diagnostics[0]).toMatchObject({ severity: 'error', code: 'allocator/out-of-space', module: 'B' });
			expect(r.diagnostics[0].message).toBe(
				`module B: out of vnet module space (ENOSPC): needs ${arch === 'amd64' ? 304 : 300} bytes, the largest free extent has 192, ${shortfall} bytes short (192 bytes free in all)`,
			);
			expect(a.freeList()).toEqual(before);
			expect(a.loadedModules()).toEqual(['A']);
			expect(a.symbolOffset('B_data')).toBeUndefined();
		}
	});
	it('a loaded name cannot load twice', () => {
		const a = alloc('amd64');
		a.loadModule(blob('A', 8));
		const r = a.loadModule(blob('A', 8));
		expect([r.ok, codes(r.diagnostics)]).toEqual([false, ['allocator/already-loaded']]);
	});
	it('zero-size sets allocate nothing, and still register their constructors', () => {
		const a = alloc('amd64', { reserve: 'later' });
		const v0 = a.createVnet();
		const before = a.freeList();
		const z = a.loadModule({ name: 'Z', variables: [], iattach: [{ variable: 'a', value: { kind: 'int', value: 2 } }] });
		expect(z).toEqual({ ok: true, module: 'Z', offset: undefined, setBytes: 0, allocatedBytes: 0, diagnostics: [] });
		const e = a.loadModule({ name: 'E', variables: [{ name: 'none', size: 0, align: 1 }] });
		expect(e.ok && [e.offset, e.allocatedBytes]).toEqual([undefined, 0]);
		expect(a.freeList()).toEqual(before);
		expect(a.valueOf(v0, 'a')).toEqual(concrete(bytes(2, 0, 0, 0)));
		expect(a.freshValue('a')).toEqual(concrete(bytes(2, 0, 0, 0)));
		expect(a.unloadModule('Z')).toEqual({ ok: true, freedBytes: 0, diagnostics: [] });
		expect(a.unloadModule('E')).toEqual({ ok: true, freedBytes: 0, diagnostics: [] });
		expect(a.freeList()).toEqual(before);
		expect(a.freshValue('a')).toEqual(concrete(bytes(1, 0, 0, 0)));
	});
});

describe('the free list', () => {
	/** Four 100-byte blocks (104 after rounding) at 24, 128, 232, 336 of a later amd64 reserve. */
	function four() {
		const a = alloc('amd64', { reserve: 'later' });
		const at = [a.dataAlloc(100), a.dataAlloc(100), a.dataAlloc(100), a.dataAlloc(100)];
		expect(at).toEqual([24, 128, 232, 336]);
		expect(a.freeList()).toEqual([{ start: 440, len: 7776 }]);
		return a;
	}
	it('coalesces with the previous extent only', () => {
		const a = four();
		expect(a.dataFree(24, 100)).toEqual([]);
		expect(a.dataFree(128, 100)).toEqual([]);
		expect(a.freeList()).toEqual([
			{ start: 24, len: 208 },
			{ start: 440, len: 7776 },
		]);
	});
	it('coalesces with the next extent only', () => {
		const a = four();
		a.dataFree(128, 100);
		expect(a.freeList()).toEqual([
			{ start: 128, len: 104 },
			{ start: 440, len: 7776 },
		]);
		a.dataFree(24, 100);
		expect(a.freeList()).toEqual([
			{ start: 24, len: 208 },
			{ start: 440, len: 7776 },
		]);
		a.dataFree(336, 100);
		expect(a.freeList()).toEqual([
			{ start: 24, len: 208 },
			{ start: 336, len: 7880 },
		]);
	});
	it('coalesces with both neighbours', () => {
		const a = four();
		a.dataFree(24, 100);
		a.dataFree(336, 100);
		a.dataFree(128, 100);
		expect(a.freeList()).toEqual([
			{ start: 24, len: 208 },
			{ start: 336, len: 7880 },
		]);
		a.dataFree(232, 100);
		expect(a.freeList()).toEqual([{ start: 24, len: 8192 }]);
	});
	it('fragmentation: enough bytes free, no extent large enough; then first fit', () => {
		const a = alloc('amd64', { reserve: 'later' });
		expect([a.loadModule(blob('A', 4096)), a.loadModule(blob('B', 2048)), a.loadModule(blob('C', 2048))].map((r) => r.ok && r.offset)).toEqual([24, 4120, 6168]);
		expect(a.freeList()).toEqual([]);
		expect(a.unloadModule('A')).toEqual({ ok: true, freedBytes: 4096, diagnostics: [] });
		// C lies after the last free extent but does not touch it: appended, no defect.
		expect(a.unloadModule('C')).toEqual({ ok: true, freedBytes: 2048, diagnostics: [] });
		expect(a.freeList()).toEqual([
			{ start: 24, len: 4096 },
			{ start: 6168, len: 2048 },
		]);
		const d = a.loadModule(blob('D', 5000));
		expect(!d.ok && d.shortfall).toBe(904);
		expect(d.diagnostics[0].message).toBe(
			'module D: out of vnet module space (ENOSPC): needs 5000 bytes, the largest free extent has 4096, 904 bytes short (6144 bytes free in 2 extents: fragmented)',
		);
		expect(a.loadModule(blob('E', 3000)).ok && a.symbolOffset('E_data')).toBe(24);
		expect(a.loadModule(blob('F', 1500)).ok && a.symbolOffset('F_data')).toBe(6168);
		expect(a.freeList()).toEqual([
			{ start: 3024, len: 1096 },
			{ start: 7672, len: 544 },
		]);
	});
	it("detects r195699's defect: freeing right after the last extent follows a NULL next pointer", () => {
		const a = alloc('amd64', { reserve: 'later' });
		for (const [name, size] of [
			['A', 4096],
			['B', 2048],
			['C', 2048],
		] as const)
			a.loadModule(blob(name, size));
		expect(a.unloadModule('B').diagnostics).toEqual([]);
		expect(a.freeList()).toEqual([{ start: 4120, len: 2048 }]);
		const r = a.unloadModule('C');
		expect(r.ok).toBe(true);
		expect(r.diagnostics.map((d) => [d.severity, d.code, d.module])).toEqual([['error', 'allocator/free-list-null-next', 'C']]);
		expect(r.diagnostics[0].message).toBe(
			"freeing [6168, 8216) (module C) directly after the last free extent [4120, 6168): r195699's vnet_data_free then reads the next extent through a NULL pointer (a panic); the model merged the block and continued",
		);
		expect(a.freeList()).toEqual([{ start: 4120, len: 4096 }]);
		expect(a.unloadModule('A').diagnostics).toEqual([]);
		expect(a.freeList()).toEqual([{ start: 24, len: 8192 }]);
		expect(codes(a.report().diagnostics)).toEqual(['allocator/free-list-null-next']);
	});
	it('a double free is reported and changes nothing', () => {
		const a = alloc('amd64', { reserve: 'later' });
		expect(codes(a.dataFree(24, 8))).toEqual(['allocator/double-free']);
		expect(a.freeList()).toEqual([{ start: 24, len: 8192 }]);
	});
});

describe('vnets', () => {
	it('a new vnet copies the reference copy, then runs the registered constructors', () => {
		const iattach = [{ variable: 'b', value: { kind: 'computed' as const, statement: 'V_b  =  ticks;' } }];
		const a = new VnetAllocator('amd64', { ...kernel('amd64'), subsystems: [{ name: 'net', iattach }] });
		const v = a.createVnet();
		expect(a.valueOf(v, 'a')).toEqual(concrete(bytes(1, 0, 0, 0)));
		expect(a.valueOf(v, 'b')).toEqual(computed(8, 'V_b = ticks;'));
		expect(a.valueOf(v, 'c')).toEqual(concrete(bytes(7)));
		expect(a.valueOf('reference', 'b')).toEqual(concrete(new Uint8Array(8)));
	});
	it('a module loaded after vnets exist gives each of them its initial values, exactly as a vnet created afterwards', () => {
		for (const arch of ['amd64', 'i386'] as const) {
			const a = alloc(arch, { reserve: 'later' });
			const early = [a.createVnet(), a.createVnet()];
			expect(a.loadModule(moduleM(arch)).ok).toBe(true);
			const late = a.createVnet();
			const long = arch === 'amd64' ? 8 : 4;
			const expected: Record<string, Snapshot> = {
				x: concrete(bytes(5)),
				y: concrete(intBytes(0x1122334455667788n, long)),
				z: concrete(bytes(9, 0)), // the constructor ran for the existing vnets too
				w: computed(4, 'V_w = arc4random();'),
			};
			for (const v of [...early, late]) {
				for (const [name, value] of Object.entries(expected)) expect([arch, v.id, name, a.valueOf(v, name)]).toEqual([arch, v.id, name, value]);
			}
			expect(a.valueOf('reference', 'z')).toEqual(concrete(bytes(0xfe, 0xff)));
			expect(a.freshValue('w')).toEqual(expected.w);
		}
	});
	it('a link-time constant initializer (an address) reaches every vnet as a symbol', () => {
		const a = new VnetAllocator('i386', { variables: [{ name: 'head', size: 4, align: 4, init: { kind: 'symbol', expr: '&V_ifnet' } }] }, { reserve: 'later' });
		const early = a.createVnet();
		a.loadModule({ name: 'L', variables: [{ name: 'hook', size: 4, align: 4, init: { kind: 'symbol', expr: 'l_input' } }] });
		const late = a.createVnet();
		for (const v of [early, late]) {
			expect(a.valueOf(v, 'head')).toEqual({ bytes: new Uint8Array(4), symbolic: [{ offset: 0, size: 4, tag: '`&V_ifnet`' }] });
			expect(a.valueOf(v, 'hook')).toEqual({ bytes: new Uint8Array(4), symbolic: [{ offset: 0, size: 4, tag: '`l_input`' }] });
		}
	});
	it('r195699: a module placed in the page-rounding slack reaches existing vnets but not later ones', () => {
		const a = new VnetAllocator('amd64', { variables: [{ name: 'a', size: 4, align: 4 }] });
		expect([a.setBytes, a.reserveBytes]).toEqual([8196, 12284]);
		const early = a.createVnet();
		expect(a.loadModule(blob('A', 8192)).diagnostics).toEqual([]);
		const r = a.loadModule({ name: 'B', variables: [{ name: 'q', size: 8, align: 8, init: { kind: 'int', value: 42 } }] });
		expect(r.ok && r.offset).toBe(8196);
		expect(codes(r.diagnostics)).toEqual(['allocator/misaligned', 'allocator/beyond-set']);
		const late = a.createVnet();
		expect(a.valueOf(early, 'q')).toEqual(concrete(intBytes(42, 8)));
		expect(a.valueOf(late, 'q')).toEqual({ bytes: new Uint8Array(8), symbolic: [{ offset: 0, size: 8, tag: INDETERMINATE }] });
	});
	it('r195699 with modspace not last: a module can overwrite a kernel variable', () => {
		const spec = kernel('amd64');
		spec.variables[1].init = { kind: 'int', value: 3 };
		const a = new VnetAllocator('amd64', spec, { modspaceIndex: 1 });
		a.loadModule(blob('A', 8192));
		const r = a.loadModule({ name: 'B', variables: [{ name: 'q', size: 8, align: 8, init: { kind: 'int', value: 42 } }] });
		expect(r.diagnostics.map((d) => d.message)).toContain('module B: its block [8196, 8204) overlaps kernel variables b');
		expect(a.freshValue('b')).toEqual(concrete(bytes(0, 0, 0, 0, 0, 0, 0, 0)));
	});
	it('unload frees the block, stops the constructors, and leaves stale bytes in the vnets', () => {
		const a = alloc('amd64', { reserve: 'later' });
		const v = a.createVnet();
		const m = { ...moduleM('amd64'), iattach: [{ variable: 'c', value: { kind: 'int' as const, value: 99 } }] };
		a.loadModule(m);
		expect(a.freshValue('c')).toEqual(concrete(bytes(99)));
		expect(a.unloadModule('M')).toEqual({ ok: true, freedBytes: 24, diagnostics: [] });
		expect(a.freeList()).toEqual([{ start: 24, len: 8192 }]);
		expect(a.loadedModules()).toEqual([]);
		expect(a.symbolOffset('x')).toBeUndefined();
		expect(a.freshValue('c')).toEqual(concrete(bytes(7)));
		expect(v.memory.read(24, 1).bytes).toEqual(bytes(5));
		// The next module reuses the block; vnet_data_copy overwrites the stale bytes in the existing vnet.
		a.loadModule({ name: 'N', variables: [{ name: 'n1', size: 4, align: 4, init: { kind: 'int', value: 0x01020304 } }] });
		expect(a.symbolOffset('n1')).toBe(24);
		expect(a.valueOf(v, 'n1')).toEqual(concrete(bytes(4, 3, 2, 1)));
		expect(codes(a.unloadModule('nothing').diagnostics)).toEqual(['allocator/not-loaded']);
	});
	it('constructor assignments to unknown variables or outside one are reported', () => {
		const a = alloc('amd64');
		a.loadModule({
			name: 'K',
			variables: [{ name: 'k', size: 4, align: 4 }],
			iattach: [
				{ variable: 'ghost', value: { kind: 'int', value: 1 } },
				{ variable: 'k', offset: 2, size: 4, value: { kind: 'int', value: 1 } },
				{ variable: 'k', value: { kind: 'string', value: 'toolong' } },
			],
		});
		a.createVnet();
		expect(codes(a.diagnostics)).toEqual(['allocator/misaligned', 'allocator/unknown-variable', 'allocator/effect-range', 'allocator/bad-value']);
	});
});

describe('VNET_VNET_PTR', () => {
	it('is vnet_data_base + &VNET_NAME(n), landing in the vnet own memory', () => {
		const a = alloc('amd64', { reserve: 'later', setStart: 0x1000n, heapStart: 0x100000n });
		const [v0, v1] = [a.createVnet(), a.createVnet()];
		expect([v0.dataMem, v0.dataBase, v1.dataMem, v1.dataBase]).toEqual([0x100000n, 0xff000n, 0x103000n, 0x102000n]);
		expect(a.symbolAddress('c')).toBe(0x1010n);
		expect([a.vnetPtr(v0, 'c'), a.vnetPtr(v1, 'c')]).toEqual([0x100010n, 0x103010n]);
	});
	it('wraps in uintptr_t when the vnet memory lies below the set', () => {
		const a = alloc('amd64');
		const v = a.createVnet();
		expect(v.dataBase).toBe(0xffffff0080200000n);
		expect(a.vnetPtr(v, 'b')).toBe(0xffffff0001000008n);
		const i = alloc('i386', { setStart: 0xc1000000n, heapStart: 0xc0800000n });
		const w = i.createVnet();
		expect(w.dataBase).toBe(0xff800000n);
		expect(i.vnetPtr(w, 'b')).toBe(0xc0800004n);
		expect(i.valueOf(w, 'a')).toEqual(concrete(bytes(1, 0, 0, 0)));
	});
	it('module variables are addressed through their relocated block', () => {
		const a = alloc('i386', { reserve: 'later', setStart: 0x2000n, heapStart: 0x40000n });
		a.loadModule(moduleM('i386'));
		const v = a.createVnet();
		expect(a.symbolAddress('z')).toBe(0x2000n + 12n + 8n);
		expect(a.vnetPtr(v, 'z')).toBe(0x40000n + 20n);
	});
});

describe('report and types', () => {
	it('reports bytes used and free for the kernel, the reserve and each module', () => {
		const a = alloc('amd64', { reserve: 'later' });
		a.loadModule(moduleM('amd64'));
		a.loadModule({ name: 'Z', variables: [] });
		const r = a.report();
		expect(r.kernel).toMatchObject({ variableBytes: 13, paddingBytes: 11, setBytes: 8216, vnetSize: 12288, slackBytes: 4072 });
		expect(r.kernel.variables.map((p) => p.name)).toEqual(['a', 'b', 'c']);
		expect(r.reserve).toEqual({ start: 24, initialBytes: 8192, usedBytes: 24, freeBytes: 8168, largestFree: 8168, extents: [{ start: 48, len: 8168 }] });
		expect(r.modules.map((m) => [m.name, m.offset, m.setBytes, m.allocatedBytes, m.paddingBytes])).toEqual([
			['M', 24, 24, 24, 9],
			['Z', undefined, 0, 0, 0],
		]);
		expect(a.describeVariable('reference', 'z')).toBe('z @40 (2 bytes) = 65534 (fe ff)');
	});
	it('builds variables from C types, or says why it cannot', () => {
		const env = layoutEnv({ constants: { IPREASS_NHASH: 64 } });
		expect(vnetVariable('ipq', cArray(cQueue('TAILQ_HEAD', 'ipq', 'ipqhead'), 'IPREASS_NHASH'), 'i386', env)).toEqual({ name: 'ipq', size: 512, align: 4 });
		expect(vnetVariable('nd6_timer_ch', cStruct('callout'), 'amd64', env)).toEqual({ unknown: 'nd6_timer_ch: struct callout is not defined in the tree' });
	});
});
