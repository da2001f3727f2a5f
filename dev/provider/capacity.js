'use strict';
/**
 * How many requests the provider works on at once, like a local server: Ollama and LM Studio work on one
 * at a time by default (llama.cpp's server on its `--parallel` slots) and keep the rest waiting in a queue,
 * first come, first served. Also counts the API requests in progress, which the benchmark reports as the
 * client's requests in flight.
 */
function createCapacity() {
	let inProgress = 0;
	let busy = 0;
	/** @type {Array<() => void>} */
	let waiting = [];
	return {
		/** A request arrived: how many are in progress now, itself included. */
		arrive() {
			return ++inProgress;
		},
		/** A request was answered (or its connection closed). */
		leave() {
			inProgress = Math.max(0, inProgress - 1);
		},
		/**
		 * Waits for one of `slots` to be free (no wait when `slots` is unset); resolves to the function that
		 * frees it again.
		 * @param {number | undefined} slots
		 * @returns {Promise<() => void>}
		 */
		async slot(slots) {
			if (!slots) return () => {};
			if (busy >= slots) await new Promise((resolve) => waiting.push(() => resolve(undefined)));
			else busy++;
			let freed = false;
			return () => {
				if (freed) return;
				freed = true;
				const next = waiting.shift();
				if (next) next();
				else busy--;
			};
		},
		/** Lets every waiting request go (the option was switched off). */
		release() {
			const all = waiting;
			waiting = [];
			busy = 0;
			for (const next of all) next();
		},
	};
}

module.exports = { createCapacity };
