/**
 * Sending many inputs in one request means one bad input fails them all. These helpers find it: a batch
 * the provider rejects as invalid (400) is sent again in halves until the rejected inputs stand alone,
 * so only they fail. A rejection of the request as a whole (a bad model option, a field the server does
 * not know) would otherwise cost 2n-1 requests; it is recognised when both halves are rejected whole
 * with the parent's message, and then every input of the batch fails with it after three requests.
 */

/** Outcome of one request for its inputs: one result per input, in order, or the request's error. */
export type Sent<R> = { ok: true; results: R[] } | { ok: false; error: Error };

export interface BisectOptions {
	/** Whether a failed request may be due to one of its inputs (for OpenAI: a 400 not about another field). */
	splittable(error: Error): boolean;
}

const messageOf = (error: Error) => error.message;

async function attempt<E, R>(entries: E[], send: (entries: E[]) => Promise<R[]>): Promise<Sent<R>> {
	try {
		return { ok: true, results: await send(entries) };
	} catch (error) {
		return { ok: false, error: error as Error };
	}
}

/**
 * Sends `entries` in one request and, if the provider rejects them, in halves, recursively. Returns one
 * result or error per entry, in order. Requests run one after another: the caller holds one pool slot.
 */
export async function sendBisecting<E, R>(
	entries: E[],
	send: (entries: E[]) => Promise<R[]>,
	options: BisectOptions,
	known?: Sent<R>,
): Promise<Array<R | Error>> {
	const outcome = known ?? (await attempt(entries, send));
	if (outcome.ok) return outcome.results;
	const { error } = outcome;
	if (entries.length === 1 || !options.splittable(error)) return entries.map(() => error);

	const middle = Math.ceil(entries.length / 2);
	const [left, right] = [entries.slice(0, middle), entries.slice(middle)];
	const leftOutcome = await attempt(left, send);
	const rightOutcome = await attempt(right, send);
	const sameAsParent = (sent: Sent<R>) => !sent.ok && messageOf(sent.error) === messageOf(error);
	if (sameAsParent(leftOutcome) && sameAsParent(rightOutcome)) return entries.map(() => error);
	return [
		...(await sendBisecting(left, send, options, leftOutcome)),
		...(await sendBisecting(right, send, options, rightOutcome)),
	];
}
