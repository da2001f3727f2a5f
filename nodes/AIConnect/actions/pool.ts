import type { ConcurrencyLimit } from '../transport/concurrency';

/**
 * Runs `task` for indexes 0..count-1 in order of index, with at most `limit.current` running at once; the
 * limit is read again whenever a task ends, so an adaptive limit takes effect at once. Stops starting new
 * tasks once `shouldStop` says so; the ones already running finish. `task` handles its own errors.
 */
export async function runPool(
	count: number,
	limit: Pick<ConcurrencyLimit, 'current'>,
	task: (index: number) => Promise<void>,
	shouldStop: () => boolean = () => false,
): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		let next = 0;
		let running = 0;
		const pump = () => {
			while (next < count && running < Math.max(1, limit.current) && !shouldStop()) {
				const index = next++;
				running++;
				task(index).then(() => {
					running--;
					pump();
				}, reject);
			}
			if (running === 0) resolve();
		};
		pump();
	});
}
