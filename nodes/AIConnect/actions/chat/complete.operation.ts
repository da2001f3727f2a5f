import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { mergeBodyFields, readAdditionalBodyFields, readModel, replacedFieldsWarning, reportTokenUsage } from '../../helpers';
import { providerAnswerError } from '../../transport';
import type { ChatMessage, PromptEntry } from './messages';
import { attachImages, messagesFromJson, messagesFromPrompt } from './messages';
import { chatRequestBody, withoutNullToolStrict } from './requestBody';
import { simplifyChoices } from './simplify';
import { sendDroppingUnsupported } from './send';
import { STREAM_FIELDS, workflowStreams } from './stream';

export const kind = 'item' as const;

export { description } from './complete.description';

async function readMessages(context: IExecuteFunctions, itemIndex: number, options: IDataObject): Promise<ChatMessage[]> {
	const mode = context.getNodeParameter('inputMode', itemIndex, 'list') as string;
	const messages =
		mode === 'json'
			? messagesFromJson(context, itemIndex, context.getNodeParameter('messagesJson', itemIndex, '[]'))
			: messagesFromPrompt(context, itemIndex, (context.getNodeParameter('prompt', itemIndex, {}) as { messages?: PromptEntry[] }).messages ?? []);
	return await attachImages(context, itemIndex, messages, options);
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
	const merged = mergeBodyFields(request, extra);
	const body = withoutNullToolStrict(merged.body);
	const { replaced } = merged;
	const warnings = [replacedFieldsWarning(replaced)].filter((warning): warning is string => warning !== undefined);

	const response = await sendDroppingUnsupported(this, itemIndex, body, options.dropUnsupportedParameters !== false, warnings);
	reportTokenUsage(this, response.usage);
	if (!simplify) return [{ json: warnings.length ? { ...response, warnings } : response }];

	const choices = Array.isArray(response.choices) ? (response.choices as IDataObject[]) : [];
	if (choices.length === 0) {
		throw providerAnswerError(this.getNode(), itemIndex, 'the provider returned no choices', 'Turn off Simplify Output to see the whole response.');
	}
	const responseFormat = (body.response_format as IDataObject | undefined)?.type;
	const wantsJson = body.response_format !== undefined && responseFormat !== 'text';
	return simplifyChoices(response, choices, {
		wantsJson,
		responseFormat: typeof responseFormat === 'string' ? responseFormat : undefined,
		wantsLogprobs: body.logprobs === true,
		warnings,
	}).map((json) => ({ json }));
}
