import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ApiResponse } from '../../transport';
import { apiRequest, rejectedParameter } from '../../transport';
import { streamCompletion, workflowStreams } from './stream';

/**
 * Sending one /chat/completions body, for Chat → Complete and the AIConnect Chat Model alike: streamed or
 * not, and with Drop Unsupported Parameters.
 */

/** Fields that make the request what it is; never dropped as "unsupported". */
const ESSENTIAL = new Set(['model', 'messages']);

/**
 * One request. A body asking for `stream` (set when the workflow streams, or by Additional Body Fields) is read
 * as a stream and put back together; its text goes on to n8n piece by piece only when the workflow streams.
 */
export const send = async (context: IExecuteFunctions, itemIndex: number, body: IDataObject) =>
	body.stream === true
		? await streamCompletion(context, itemIndex, body, workflowStreams(context))
		: ((await apiRequest.call(context, { method: 'POST', path: '/chat/completions', body, itemIndex })) as ApiResponse<IDataObject>).body;

/**
 * Sends the request; with Drop Unsupported Parameters, a 400 that names a parameter the user set is
 * answered by sending once more without it (or under the name the provider asks for), and said in `warnings`.
 */
export async function sendDroppingUnsupported<T = IDataObject>(
	context: IExecuteFunctions,
	itemIndex: number,
	body: IDataObject,
	drop: boolean,
	warnings: string[],
	// The AIConnect Chat Model's stream() opens its stream with this, and reads it itself.
	sender: (context: IExecuteFunctions, itemIndex: number, body: IDataObject) => Promise<T> = send as never,
): Promise<T> {
	const first = await sender(context, itemIndex, body).then(
		(answer) => ({ answer }),
		(error: unknown) => ({ error }),
	);
	if ('answer' in first) return first.answer;
	const rejected = drop ? rejectedParameter(first.error, body) : undefined;
	// Anything else is the transport's NodeApiError, already in the provider's words.
	if (!rejected || ESSENTIAL.has(rejected.name)) throw first.error;
	const { [rejected.name]: value, ...rest } = body;
	if (rejected.replacement && rest[rejected.replacement] === undefined) {
		warnings.push(`Sent "${rejected.name}" as "${rejected.replacement}", as the provider asked: ${rejected.message}`);
		return await sender(context, itemIndex, { ...rest, [rejected.replacement]: value });
	}
	warnings.push(`Dropped "${rejected.name}", which the provider refused: ${rejected.message}`);
	return await sender(context, itemIndex, rest);
}

