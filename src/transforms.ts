/**
 * The transforms, in the fixed order the default run applies them. Each
 * only deletes or replaces its own constructs, so their edits never overlap
 * (the pipeline checks).
 */
import { transform as removeInitVnet } from '../transforms/remove-init-vnet';
import { transform as staticInit } from '../transforms/static-init';
import { transform as sysctl } from '../transforms/sysctl';
import { transform as vnetDefine } from '../transforms/vnet-define';
import type { Transform } from './transform';

export const TRANSFORMS: readonly Transform[] = [removeInitVnet, vnetDefine, sysctl, staticInit];

export class UnknownTransformError extends Error {}

export function resolveTransforms(names?: string[]): Transform[] {
	if (!names || names.length === 0) return TRANSFORMS.filter((t) => !t.experimental);
	for (const n of names) {
		if (!TRANSFORMS.some((t) => t.name === n)) {
			throw new UnknownTransformError(`unknown transform '${n}' (known: ${TRANSFORMS.map((t) => t.name).join(', ')})`);
		}
	}
	return TRANSFORMS.filter((t) => names.includes(t.name));
}
