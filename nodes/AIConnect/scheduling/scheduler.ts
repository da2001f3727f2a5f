import type { Clock } from './clock';
import { systemClock } from './clock';
import type { ConcurrencyLimit } from './limits';
import type { Attempt, AttemptOutcome } from './pacer';
import { RequestPacer } from './pacer';
import type { Release } from './pool';
import { runPool, Slots } from './pool';

/**
 * Everything that decides when a request of one node run may go: the concurrency limit, the slots it
 * governs, and the pacer (rate limits, Retry-After pauses, requests in flight). The router creates one per
 * run and passes it down with the run's context (run.ts); the transport asks it before every attempt and
 * tells it how the attempt ended, so every request of the run — items, batches, pieces of long audio,
 * retries, linked downloads — is counted and paced by the same scheduler.
 *
 * Slots are held by tasks, not by attempts: an item keeps its slot from its first request to its last
 * (including retry waits and downloads), as one item is one unit of work. An item that sends several requests
 * at once (pieces of a long recording) uses its own slot for one of them and takes extra slots for the others
 * only when the limit has room, ahead of items not yet started: the item can always go on with its own slot,
 * so pieces can't starve and no item waits for a slot while holding one it doesn't use.
 */
export class RunScheduler {
	readonly pacer: RequestPacer;

	private readonly slots: Slots;

	constructor(
		readonly limit: ConcurrencyLimit,
		readonly clock: Clock = systemClock,
	) {
		this.pacer = new RequestPacer(clock);
		this.slots = new Slots(limit);
	}

	/** Requests in flight now. */
	get inFlight() {
		return this.pacer.inFlight;
	}

	/** Slots in use now: tasks running plus extra pieces. */
	get slotsInUse() {
		return this.slots.inUse;
	}

	/**
	 * The router's loop: `task(i)` for every task of the run, in order, each holding one slot. `task` handles
	 * its own errors; `shouldStop` ends the starting of new ones (a failed item without Continue On Fail).
	 */
	async runTasks(count: number, task: (index: number) => Promise<void>, shouldStop?: () => boolean): Promise<void> {
		await runPool(count, async () => await this.slots.acquire('item'), task, shouldStop);
	}

	/**
	 * Several requests of one task at once (the pieces of a long recording): `task(i)` for each, the first using
	 * the caller's own slot, the others extra slots while the limit has room. Nothing new starts after a piece
	 * has failed; rejects with that failure once the running ones have ended.
	 */
	async runPieces(count: number, task: (index: number) => Promise<void>): Promise<void> {
		let ownFree = true;
		let ownWaiter: ((release: Release) => void) | undefined;
		const releaseOwn = () => {
			const waiting = ownWaiter;
			ownWaiter = undefined;
			if (waiting) waiting(releaseOwn);
			else ownFree = true;
		};
		// The caller's own slot when it is free, or whichever comes first: the own slot, or an extra one.
		const take = () =>
			new Promise<Release>((resolve) => {
				if (ownFree) {
					ownFree = false;
					return resolve(releaseOwn);
				}
				let cancelExtra = () => {};
				ownWaiter = (release) => {
					cancelExtra();
					resolve(release);
				};
				cancelExtra = this.slots.request('piece', (release) => {
					ownWaiter = undefined;
					resolve(release);
				});
			});
		await runPool(count, take, task);
	}

	/** Waits until the pacer lets a request go (a provider's pause, the learned rate); see RequestPacer. */
	async ready(signal?: AbortSignal): Promise<Attempt> {
		return await this.pacer.ready(signal);
	}

	/** How an attempt ended: the pacer learns from it, and so does the concurrency limit. */
	done(attempt: Attempt, outcome: AttemptOutcome) {
		this.limit.record(this.pacer.done(attempt, outcome));
	}

	/** Waits `ms` on the run's clock, or until `signal` aborts (a retry's wait). */
	async wait(ms: number, signal?: AbortSignal) {
		await this.clock.sleep(ms, signal);
	}
}
