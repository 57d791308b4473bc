import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts'],
		// The native tree-sitter binding is safest in child processes.
		pool: 'forks',
		testTimeout: 60_000,
		hookTimeout: 60_000,
	},
});
