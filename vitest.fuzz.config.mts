import { defineConfig } from 'vitest/config';

// `npm run fuzz`: the long property-based campaign (FUZZ_RUNS cases, default 10,000), not part of `npm test`.
export default defineConfig({
	test: {
		include: ['test/**/*.fuzz.ts'],
		pool: 'forks',
		testTimeout: 0,
		hookTimeout: 60_000,
	},
});
