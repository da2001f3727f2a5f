/**
 * The run's slots: how many tasks (items, batches, extra pieces of an item) may run at once, under the
 * concurrency limit, and pools that start tasks as slots come free.
 */

/** Gives a slot back. */
export type Release = () => void;

/** What takes a slot: a task of the router, or an extra piece of an item that already holds one. */
export type SlotKind = 'item' | 'piece';

interface Waiter {
	kind: SlotKind;
	grant: (release: Release) => void;
}

/**
 * Slots under a limit that may change at any time (`limit.current` is read whenever a slot is asked for or
 * comes back). Pieces of items already running are served before new items: finishing what was started
 * frees memory and gives the earlier items their answers first.
 */
export class Slots {
	private used = 0;

	private readonly waiters: Waiter[] = [];

	constructor(private readonly limit: { readonly current: number }) {}

	/** Slots taken now. */
	get inUse() {
		return this.used;
	}

	/**
	 * Asks for a slot; `grant` is called with its release once there is one. Returns a cancel function for a
	 * request still waiting (it does nothing once granted).
	 */
	request(kind: SlotKind, grant: (release: Release) => void): () => void {
		const waiter: Waiter = { kind, grant };
		// Pieces go before every waiting item, after the pieces already waiting.
		const at = kind === 'piece' ? this.waiters.findIndex((other) => other.kind === 'item') : -1;
		if (at < 0) this.waiters.push(waiter);
		else this.waiters.splice(at, 0, waiter);
		this.pump();
		return () => {
			const index = this.waiters.indexOf(waiter);
			if (index >= 0) this.waiters.splice(index, 1);
		};
	}

	/** A slot, when there is one. */
	async acquire(kind: SlotKind): Promise<Release> {
		return await new Promise<Release>((resolve) => this.request(kind, resolve));
	}

	private pump() {
		while (this.waiters.length && this.used < Math.max(1, this.limit.current)) {
			const waiter = this.waiters.shift()!;
			this.used++;
			let released = false;
			waiter.grant(() => {
				if (released) return;
				released = true;
				this.used--;
				this.pump();
			});
		}
	}
}

/**
 * Runs `task` for indexes 0..count-1 in order of index, each while holding a slot from `take`. Stops starting
 * tasks once `shouldStop` says so or a task has failed: nothing new starts after a failure (a piece that would
 * be billed and thrown away). Resolves when every started task has ended; rejects with the first failure then.
 */
export async function runPool(
	count: number,
	take: () => Promise<Release>,
	task: (index: number) => Promise<void>,
	shouldStop: () => boolean = () => false,
): Promise<void> {
	const running = new Set<Promise<void>>();
	let failure: { error: unknown } | undefined;
	for (let index = 0; index < count && !failure && !shouldStop(); index++) {
		const release = await take();
		// A failure or a stop may have come while waiting for the slot.
		if (failure || shouldStop()) {
			release();
			break;
		}
		const run: Promise<void> = task(index)
			.catch((error: unknown) => {
				failure ??= { error };
			})
			.finally(() => {
				release();
				running.delete(run);
			});
		running.add(run);
	}
	await Promise.all(running);
	if (failure) throw failure.error;
}
