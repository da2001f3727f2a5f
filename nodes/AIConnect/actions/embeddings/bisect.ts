/**
 * Sending many inputs in one request means one bad input fails them all. sendBisecting finds the bad ones:
 * a batch the provider refuses in a way that may be one input's fault is sent again in halves, recursively,
 * until each refused input stands alone. An input fails only with the error of a request that held it
 * alone, so every input the provider takes on its own gets its result — wherever the bad inputs lie,
 * however many there are, and whatever the refusal says (it need not name the input).
 *
 * Cost: a refused request of more than one input costs two more. With b inputs that the provider refuses
 * alone among n, at most b requests are refused on each of the ⌈log2 n⌉ levels of halving, so a batch costs
 * at most 1 + 2·b·⌈log2 n⌉ requests, and never more than 2n − 1 (every input alone, plus the halvings).
 *
 * One exception keeps a refusal of the request as a whole (a model that takes no `dimensions`) from costing
 * 2n − 1 requests: when the refusal's words say nothing about inputs (`aboutWholeRequest`), and the whole
 * batch, both halves and the first input alone are all refused with exactly the same message, every input
 * fails with it after four requests.
 */

/** Outcome of one request for its inputs: one result per input, in order, or the request's error. */
export type Sent<R> = { ok: true; results: R[] } | { ok: false; error: Error };

export interface BisectOptions {
	/** Whether a refused request may be the fault of one of its inputs, so that halving it can help. */
	splittable(error: Error): boolean;
	/**
	 * Whether a refusal reads as being about the request as a whole, not about any input (its words name no
	 * input, token count, length or size). Without it every refused input is tried alone.
	 */
	aboutWholeRequest?(error: Error): boolean;
}

/** The upper bound on requests for a batch of `n` inputs of which `bad` are refused alone (see above). */
export function maxBisectRequests(n: number, bad: number): number {
	if (n <= 1 || bad === 0) return 1;
	return Math.min(2 * n - 1, 1 + 2 * bad * Math.ceil(Math.log2(n)));
}

/**
 * Sends `entries` in one request and, if the provider refuses them, in halves, recursively. Returns one
 * result or error per entry, in order. Requests run one after another: the caller holds one pool slot.
 */
export async function sendBisecting<E, R>(
	entries: E[],
	send: (entries: E[]) => Promise<R[]>,
	options: BisectOptions,
): Promise<Array<R | Error>> {
	// What a single entry got when sent alone, so no entry is sent alone twice.
	const alone = new Map<E, Sent<R>>();
	const attempt = async (part: E[]): Promise<Sent<R>> => {
		const known = part.length === 1 ? alone.get(part[0]) : undefined;
		if (known) return known;
		let sent: Sent<R>;
		try {
			sent = { ok: true, results: await send(part) };
		} catch (error) {
			sent = { ok: false, error: error as Error };
		}
		if (part.length === 1) alone.set(part[0], sent);
		return sent;
	};
	const sameRefusal = (sent: Sent<R>, error: Error) => !sent.ok && sent.error.message === error.message;

	const settle = async (part: E[], outcome: Sent<R>): Promise<Array<R | Error>> => {
		if (outcome.ok) return outcome.results;
		const { error } = outcome;
		if (part.length === 1 || !options.splittable(error)) return part.map(() => error);
		const middle = Math.ceil(part.length / 2);
		const [left, right] = [part.slice(0, middle), part.slice(middle)];
		const leftOutcome = await attempt(left);
		const rightOutcome = await attempt(right);
		if (
			options.aboutWholeRequest?.(error) &&
			sameRefusal(leftOutcome, error) &&
			sameRefusal(rightOutcome, error) &&
			sameRefusal(await attempt([part[0]]), error)
		) {
			return part.map(() => error);
		}
		return [...(await settle(left, leftOutcome)), ...(await settle(right, rightOutcome))];
	};

	return await settle(entries, await attempt(entries));
}
