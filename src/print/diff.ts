/** Unified diffs for the terminal: coloured only when asked to (a TTY). */
import type { Colors } from 'picocolors/types';

export function colourDiff(patch: string, c: Colors): string {
	return patch
		.split('\n')
		.map((line) => {
			if (line.startsWith('+++') || line.startsWith('---')) return c.bold(line);
			if (line.startsWith('@@')) return c.cyan(line);
			if (line.startsWith('+')) return c.green(line);
			if (line.startsWith('-')) return c.red(line);
			return line;
		})
		.join('\n');
}
