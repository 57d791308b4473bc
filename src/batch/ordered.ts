/**
 * Runs an async function over items with bounded concurrency and hands the
 * results to `emit` in input order (a reorder buffer). At most `window`
 * items are in flight or waiting to be emitted, so memory stays bounded
 * whatever the number of items, and the output order never depends on
 * scheduling.
 */
export async function mapOrdered<T, R>(
	items: readonly T[],
	window: number,
	run: (item: T, index: number) => Promise<R>,
	emit: (result: R, index: number) => void | Promise<void>,
): Promise<void> {
	const done = new Map<number, R>();
	let next = 0; // next item to start
	let emitted = 0; // next item to emit
	await new Promise<void>((resolve, reject) => {
		let failed = false;
		const fail = (e: unknown) => {
			failed = true;
			reject(e);
		};
		const flush = async () => {
			while (done.has(emitted)) {
				const r = done.get(emitted)!;
				done.delete(emitted);
				await emit(r, emitted);
				emitted++;
			}
		};
		let flushing: Promise<void> = Promise.resolve();
		const start = () => {
			while (!failed && next < items.length && next - emitted < window) {
				const k = next++;
				run(items[k], k).then(
					(r) => {
						done.set(k, r);
						flushing = flushing.then(flush).then(() => {
							if (emitted === items.length) resolve();
							else start();
						}, fail);
					},
					fail,
				);
			}
		};
		if (items.length === 0) resolve();
		else start();
	});
}
