import { sleepWithAbort } from 'n8n-workflow';

/**
 * Shared by the concurrent requests of one execution: when the provider says "slow down"
 * (429/503 with a wait), every request waits, not only the one that was told.
 */
export class RequestPacer {
	private pausedUntil = 0;

	pauseFor(ms: number) {
		this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
	}

	async ready(signal?: AbortSignal) {
		for (;;) {
			const wait = this.pausedUntil - Date.now();
			if (wait <= 0) return;
			await sleepWithAbort(wait, signal);
		}
	}
}
