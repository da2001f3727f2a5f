import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { RejectedParameter } from '../../transport';
import { rejectedParameter } from '../../transport';

/**
 * Chat → Drop Unsupported Parameters: a 400 that says a parameter is unsupported for the model
 * (transport/rejectedParameter.ts) is answered by sending the request once more without it, or under the
 * name the provider asks for, and the item's `warnings` says so. A model can refuse several in turn (an
 * o-series model behind a deployment name that doesn't show its family: first `max_tokens`, then
 * `temperature`), so this goes on while each refusal names a parameter not handled before, up to
 * MAX_RESENDS times.
 */

/** How many refusals one item answers by resending; a sixth is the item's error. */
export const MAX_RESENDS = 5;

/**
 * Fields never dropped, whatever the provider says: they make the request what it is (`model`, `messages`)
 * or say what the answer must be — its format, its tools, how many answers, where it stops, which tokens it
 * may not use. Without them the provider would answer a different request, and the node would hand that
 * back as a success. A refusal of one of these is the item's error, in the provider's words.
 */
export const NEVER_DROPPED = new Set(['model', 'messages', 'response_format', 'tools', 'tool_choice', 'n', 'stop', 'logit_bias']);

/**
 * The two names of the answer-length limit. A provider that refuses one without naming a replacement
 * (Azure's older API versions: "Unrecognized request argument supplied: max_completion_tokens") gets the
 * other, so the limit — and what it caps, the cost — is kept rather than dropped.
 */
const LENGTH_LIMIT_TWIN: Record<string, string> = { max_tokens: 'max_completion_tokens', max_completion_tokens: 'max_tokens' };

const quoted = (names: string[]) => names.map((name) => `"${name}"`).join(', ');

/** Adds a sentence to the provider's error, which stays the item's error as it is. */
function withNote(error: unknown, note: string): unknown {
	if (error instanceof NodeApiError) error.description = [error.description, note].filter(Boolean).join(' ');
	return error;
}

/** The body with the refused fields dropped or renamed; what was done goes to `warnings` and `handled`. */
function resendBody(body: IDataObject, refused: RejectedParameter, warnings: string[], handled: Set<string>): IDataObject {
	const { names, message, replacement } = refused;
	const next = { ...body };
	const renames: string[] = [];
	const drops: string[] = [];
	for (const name of names) {
		const target = (names.length === 1 ? replacement : undefined) ?? LENGTH_LIMIT_TWIN[name];
		handled.add(name);
		const value = next[name];
		delete next[name];
		if (target !== undefined && next[target] === undefined) {
			next[target] = value;
			// A refusal of the new name later is a refusal of the same limit.
			handled.add(target);
			renames.push(target === replacement ? `Sent "${name}" as "${target}", as the provider asked: ${message}` : `Sent "${name}" as "${target}" (the other name of the same limit), after the provider refused it: ${message}`);
		} else {
			drops.push(name);
		}
	}
	warnings.push(...renames);
	if (drops.length) warnings.push(`Dropped ${quoted(drops)}, which the provider refused: ${message}`);
	return next;
}

/**
 * Sends `body` with `send`; with `drop` on, each 400 naming new unsupported parameters is answered by
 * resending without them. Any other failure, a refusal of a field in NEVER_DROPPED, a second refusal of a
 * field already handled, or a sixth refusal is thrown as the provider's error.
 */
export async function resendWithoutRefused<T = IDataObject>(
	send: (body: IDataObject) => Promise<T>,
	body: IDataObject,
	drop: boolean,
	warnings: string[],
): Promise<T> {
	const handled = new Set<string>();
	const before = warnings.length;
	const done = () => (warnings.length > before ? ` Before this answer the node had already resent the request: ${warnings.slice(before).join(' ')}` : '');
	let current = body;
	for (let resends = 0; ; resends++) {
		let failure: unknown;
		try {
			return await send(current);
		} catch (error) {
			failure = error;
		}
		const refused = drop ? rejectedParameter(failure, current) : undefined;
		// Anything else is the transport's NodeApiError, already in the provider's words.
		if (!refused) throw withNote(failure, done().trim());
		const kept = refused.names.filter((name) => NEVER_DROPPED.has(name));
		if (kept.length) {
			throw withNote(failure, `Drop Unsupported Parameters never drops ${quoted(kept)}: without it the provider would answer a different request. Change or remove it, or choose a model that supports it.${done()}`);
		}
		const again = refused.names.filter((name) => handled.has(name));
		if (again.length) throw withNote(failure, `The provider refused ${quoted(again)} again after the node had changed it, so it stops here.${done()}`);
		if (resends >= MAX_RESENDS) throw withNote(failure, `The node stops after resending ${MAX_RESENDS} times without refused parameters.${done()}`);
		current = resendBody(current, refused, warnings, handled);
	}
}
