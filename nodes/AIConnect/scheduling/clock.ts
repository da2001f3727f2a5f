import { sleepWithAbort } from './sleep';

/** Time as the pacer sees it; tests pass a simulated clock. */
export interface Clock {
	now(): number;
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
	/**
	 * Milliseconds this process's event loop has spent working (n8n's and the nodes' own work) and waiting for
	 * events, so far. Time it was busy while an answer had come can delay reading it: that is not the
	 * provider's latency.
	 */
	eventLoop(): { busyMs: number; idleMs: number };
}

/** Node's own addition to the global `performance` (perf_hooks); the DOM typings in use don't declare it. */
const nodePerformance = performance as unknown as { eventLoopUtilization?: () => { active: number; idle: number } };

export const systemClock: Clock = {
	now: () => Date.now(),
	sleep: sleepWithAbort,
	eventLoop: () => {
		const use = nodePerformance.eventLoopUtilization?.();
		return { busyMs: use?.active ?? 0, idleMs: use?.idle ?? 0 };
	},
};
