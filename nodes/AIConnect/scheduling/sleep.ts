import { sleep } from 'n8n-workflow';

/**
 * Waits `ms`, or rejects as soon as `signal` aborts (a cancelled execution must not wait out a retry delay
 * or the pacer's spacing).
 *
 * Not n8n-workflow's sleepWithAbort: 2.8's adds an 'abort' listener to the execution's signal and never
 * removes it, so every wait of a long run leaked one (Node warns past ten: MaxListenersExceededWarning), and
 * 2.41 dropped it. Plain `sleep(ms)` exists in both; the listener here is removed when the wait ends.
 */
export async function sleepWithAbort(ms: number, signal?: AbortSignal): Promise<void> {
	if (!signal) return await sleep(ms);
	if (signal.aborted) throw new Error('The execution was cancelled');
	let onAbort = () => {};
	const aborted = new Promise<never>((_, reject) => {
		onAbort = () => reject(new Error('The execution was cancelled'));
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		await Promise.race([sleep(ms), aborted]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}
