import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ApiResponse } from '../../transport';
import { apiRequest } from '../../transport';
import { resendWithoutRefused } from './dropUnsupported';
import { streamCompletion, workflowStreams } from './stream';

/**
 * Sending one /chat/completions body, for Chat → Complete and the AIConnect Chat Model alike: streamed or
 * not, and with Drop Unsupported Parameters.
 */

/**
 * One request. A body asking for `stream` (set when the workflow streams, or by Additional Body Fields) is read
 * as a stream and put back together; its text goes on to n8n piece by piece only when the workflow streams.
 */
export const send = async (context: IExecuteFunctions, itemIndex: number, body: IDataObject) =>
	body.stream === true
		? await streamCompletion(context, itemIndex, body, workflowStreams(context))
		: ((await apiRequest.call(context, { method: 'POST', path: '/chat/completions', body, itemIndex })) as ApiResponse<IDataObject>).body;

/**
 * Sends the request with Drop Unsupported Parameters (dropUnsupported.ts): a 400 saying a parameter the user
 * set is unsupported is answered by resending without it (or under the name the provider asks for), in turn
 * while each refusal names a new one, and said in `warnings`.
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
	return await resendWithoutRefused((next) => sender(context, itemIndex, next), body, drop, warnings);
}
