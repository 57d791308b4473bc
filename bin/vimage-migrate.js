#!/usr/bin/env node
'use strict';
// Launcher: runs the compiled CLI (built by `npm ci`/`npm install` through the prepare script).
let cli;
try {
	cli = require('../dist/src/cli.js');
} catch (e) {
	if (e && e.code === 'MODULE_NOT_FOUND' && String(e.message).includes('dist/src/cli.js')) {
		process.stderr.write('vimage-migrate: not built yet; run `npm ci` (or `npm run build`) in the checkout\n');
		process.exit(2);
	}
	throw e;
}
cli.main(process.argv);
