import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { mergeBodyFields, readAdditionalBodyFields, replacedFieldsWarning } from '../../helpers/bodyFields';
import { reportTokenUsage } from '../../helpers/tokenUsage';
import { readModel } from '../../helpers/validation';
import type { ApiResponse } from '../../transport';
import { apiRequest, providerAnswerError, rejectedParameter } from '../../transport';
import type { ChatMessage, PromptEntry } from './messages';
import { attachImages, messagesFromJson, messagesFromPrompt } from './messages';
import { chatRequestBody } from './requestBody';
import { simplifyChoices } from './simplify';
import { STREAM_FIELDS, streamCompletion, workflowStreams } from './stream';

export { description } from './complete.description';

/** Fields that make the request what it is; never dropped as "unsupported". */
const ESSENTIAL = new Set(['model', 'messages']);

async function readMessages(context: IExecuteFunctions, itemIndex: number, options: IDataObject): Promise<ChatMessage[]> {
	const mode = context.getNodeParameter('inputMode', itemIndex, 'list') as string;
	const messages =
		mode === 'json'
			? messagesFromJson(context, itemIndex, context.getNodeParameter('messagesJson', itemIndex, '[]'))
			: messagesFromPrompt(context, itemIndex, (context.getNodeParameter('prompt', itemIndex, {}) as { messages?: PromptEntry[] }).messages ?? []);
	return await attachImages(context, itemIndex, messages, options);
}

/**
 * One request. A body asking for `stream` (set when the workflow streams, or by Additional Body Fields) is read
 * as a stream and put back together; its text goes on to n8n piece by piece only when the workflow streams.
 */
const send = async (context: IExecuteFunctions, itemIndex: number, body: IDataObject) =>
	body.stream === true
		? await streamCompletion(context, itemIndex, body, workflowStreams(context))
		: ((await apiRequest.call(context, { method: 'POST', path: '/chat/completions', body, itemIndex })) as ApiResponse<IDataObject>).body;

/**
 * Sends the request; with Drop Unsupported Parameters, a 400 that names a parameter the user set is
 * answered by sending once more without it (or under the name the provider asks for), and said in `warnings`.
 */
async function sendDroppingUnsupported(
	context: IExecuteFunctions,
	itemIndex: number,
	body: IDataObject,
	drop: boolean,
	warnings: string[],
): Promise<IDataObject> {
	const first = await send(context, itemIndex, body).then(
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
		return await send(context, itemIndex, { ...rest, [rejected.replacement]: value });
	}
	warnings.push(`Dropped "${rejected.name}", which the provider refused: ${rejected.message}`);
	return await send(context, itemIndex, rest);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const model = readModel(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const extra = readAdditionalBodyFields(this, itemIndex, options.additionalBodyFields);
	const messages = await readMessages(this, itemIndex, options);
	const request = chatRequestBody(this, itemIndex, model, messages, options);
	// Set before the Additional Body Fields, so a user can still take stream_options out for a server that refuses it.
	if (workflowStreams(this)) Object.assign(request, STREAM_FIELDS);
	const { body, replaced } = mergeBodyFields(request, extra);
	const warnings = [replacedFieldsWarning(replaced)].filter((warning): warning is string => warning !== undefined);

	const response = await sendDroppingUnsupported(this, itemIndex, body, options.dropUnsupportedParameters !== false, warnings);
	reportTokenUsage(this, response.usage);
	if (!simplify) return [{ json: warnings.length ? { ...response, warnings } : response }];

	const choices = Array.isArray(response.choices) ? (response.choices as IDataObject[]) : [];
	if (choices.length === 0) {
		throw providerAnswerError(this.getNode(), itemIndex, 'the provider returned no choices', 'Turn off Simplify Output to see the whole response.');
	}
	const wantsJson = body.response_format !== undefined && (body.response_format as IDataObject).type !== 'text';
	return simplifyChoices(response, choices, { wantsJson, wantsLogprobs: body.logprobs === true, warnings }).map((json) => ({ json }));
}
