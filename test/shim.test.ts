/*
 * gcc differential harness (test/shim/): the old-design corpus (corpus/sys,
 * corpus/modules) built against the old-framework shims and the hand-written
 * full migration (corpus/expected/full) built against the new-framework shims,
 * each with and without -DVIMAGE, must print the same per-vnet state: every
 * virtualized variable and every sysctl, after boot, after the timers and after
 * sysctl writes (spec section 4, "initial value of every variable ... is the
 * same as before").
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { compileAndRun, containerMembers } from './shim/harness';
import { ROOT } from './helpers/run';

const OLD = path.join(ROOT, 'corpus');
const FULL = path.join(ROOT, 'corpus/expected/full');

/*
 * Dead container members (spec section 3.2: nothing defines, assigns or reads
 * them).  The expected migration drops them (corpus/README.md), so they exist
 * only on the old side and are left out of the comparison.
 */
// (icmplim_output and ngtag_debug are dead too, but sit under options the
// harness does not set, so neither side prints them.)
const DEAD_MEMBERS = ['icmp_rfi_unused', 'ngtag_spare'];

function withoutDead(out: string): string {
	return out
		.split('\n')
		.filter((l) => !DEAD_MEMBERS.some((d) => l.startsWith(`var ${d} [`)))
		.join('\n');
}

const cache = new Map<string, string>();
function output(tree: string, design: 'old' | 'new', vimage: boolean): string {
	const key = `${tree}:${design}:${vimage}`;
	if (!cache.has(key)) cache.set(key, compileAndRun(tree, design, { vimage }).stdout);
	return cache.get(key)!;
}

describe('gcc differential harness', () => {
	const members = containerMembers(OLD);

	it('finds the container members of the old corpus', () => {
		expect(members.length).toBeGreaterThanOrEqual(100);
		expect(new Set(members.map((m) => m.container))).toEqual(
			new Set(['vnet_net', 'vnet_inet', 'vnet_inet6', 'vnet_ipsec', 'vnet_pfilt', 'vnet_ngtag']),
		);
	});

	for (const vimage of [true, false]) {
		const label = vimage ? 'VIMAGE' : 'no VIMAGE';
		it(`old corpus builds with -Wall -Werror and runs (${label})`, () => {
			const out = output(OLD, 'old', vimage);
			const nvnets = vimage ? 3 : 1;
			const phases = ['== after boot', '== after timers', '== after code paths', '== after writes'];
			for (const phase of phases) expect(out).toContain(phase);
			expect(out).not.toMatch(/no container|unimplemented|panic/);
			// Every member that the build defines is printed once per vnet and phase.
			const printed = new Set([...out.matchAll(/^var (\w+) \[(\d+)\]/gm)].map((m) => m[1]));
			if (vimage) for (const m of members) if (m.conditions.length === 0) expect(printed, m.member).toContain(m.member);
			expect(printed.size).toBeGreaterThanOrEqual(vimage ? members.length - 5 : 60);
			const lines = out.split('\n').filter((l) => l.startsWith('var '));
			expect(lines.length).toBe(printed.size * nvnets * phases.length);
			// the code paths leave different state in each vnet
			if (vimage) expect(out).toMatch(/var pfilt_nrules \[0\]: 1\nvar pfilt_nrules \[1\]: 2\nvar pfilt_nrules \[2\]: 3/);
			// sysctls: every SYSCTL_V_* is readable in every vnet
			expect(out).not.toMatch(/^sysctl .*error/m);
			expect(out.match(/^sysctl /gm)!.length).toBeGreaterThan(40 * nvnets);
		});
	}

	// Spec section 3 (all rewrites) by hand: corpus/expected/full.
	const fullPresent = existsSync(path.join(FULL, 'sys'));
	if (fullPresent) {
		it('expected/full holds no old-design construct (spec 2, 3.6)', () => {
			const files: string[] = [];
			const walk = (d: string) => {
				for (const n of readdirSync(d)) {
					const p = path.join(d, n);
					if (statSync(p).isDirectory()) walk(p);
					else if (/\.[ch]$/.test(n)) files.push(p);
				}
			};
			walk(path.join(FULL, 'sys'));
			walk(path.join(FULL, 'modules'));
			expect(files.length).toBeGreaterThanOrEqual(30);
			const old = /\b(INIT_VNET_\w+|VSYM|VIMAGE_GLOBALS|SYSCTL_V_\w+|vnet_symmap|vmi_size|vmi_symmap|VIMAGE_CTASSERT|INIT_FROM_VNET|vnet_\w+_0|mod_data|VNET_(NET|INET6?|IPSEC|PFILT|NGTAG)\()/;
			for (const f of files) {
				// sys/sys/vimage.h is the framework header: out of the migration's scope
				if (f.endsWith(path.join('sys', 'sys', 'vimage.h'))) continue;
				const code = readFileSync(f, 'latin1').replace(/\/\*[\s\S]*?\*\//g, '');
				expect(code, path.relative(ROOT, f)).not.toMatch(old);
			}
			// the INET container header, left with nothing but includes, is gone
			expect(existsSync(path.join(FULL, 'sys/netinet/vinet.h'))).toBe(false);
		});
		it('dead members exist on the old side only', () => {
			const oldOut = output(OLD, 'old', true);
			const newOut = output(FULL, 'new', true);
			for (const d of DEAD_MEMBERS) {
				expect(oldOut).toContain(`var ${d} [0]`);
				expect(newOut).not.toContain(`var ${d} [0]`);
			}
		});
	}
	for (const vimage of [true, false]) {
		const label = vimage ? 'VIMAGE' : 'no VIMAGE';
		if (fullPresent) {
			it(`expected/full builds against the new shims and prints what the old corpus printed (${label})`, () => {
				expect(withoutDead(output(FULL, 'new', vimage))).toBe(withoutDead(output(OLD, 'old', vimage)));
			});
		} else {
			// Rule: spec sections 3.2-3.6 (definitions, declarations, static
			// initializers, sysctls, clean-up) applied by hand to the whole corpus.
			it.todo(`expected/full (spec 3.2-3.6 by hand) prints what the old corpus printed (${label})`);
		}
	}
});
