import type { ChatModel } from '@n8n/ai-node-sdk';
import type { IDataObject, IExecuteFunctions, ISupplyDataFunctions } from 'n8n-workflow';

import { credentialSecrets } from '../../credentials/credentialRules';
import { chatRequestBody } from '../AIConnect/actions/chat/requestBody';
import { readAdditionalBodyFields, readModel } from '../AIConnect/helpers';
import { credentialsOf, getBaseUrl } from '../AIConnect/transport';
import { createChatModel } from './model';
import { ReasoningMemory } from './reasoningMemory';
import type { AiNodeSdk } from './sdk';

/**
 * The model the node supplies for one item: its parameters read and checked now, so a wrong option stops the
 * agent before any request, naming the field.
 */
export async function chatModelFor(supplyContext: ISupplyDataFunctions, itemIndex: number, sdk: AiNodeSdk): Promise<ChatModel> {
	// The transport and the Chat options are written for an execution context; a sub-node's context offers what
	// they use of it (parameters, credentials, the request helpers, the cancel signal, the logger).
	const context = supplyContext as unknown as IExecuteFunctions;
	const model = readModel(context, itemIndex);
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const { messages: _messages, ...body } = chatRequestBody(context, itemIndex, model, [], options);
	const extra = readAdditionalBodyFields(context, itemIndex, options.additionalBodyFields);
	const baseUrl = await getBaseUrl.call(context, itemIndex);
	return createChatModel(sdk, {
		context,
		itemIndex,
		model,
		body,
		extra,
		dropUnsupported: options.dropUnsupportedParameters !== false,
		scope: ReasoningMemory.scopeOf(baseUrl, credentialSecrets(await credentialsOf(context, itemIndex))),
	});
}
