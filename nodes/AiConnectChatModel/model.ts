import type { ChatModel, ChatModelConfig, GenerateResult, Message, StreamChunk, Tool } from '@n8n/ai-node-sdk';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { mergeBodyFields } from '../AIConnect/helpers';
import { sendDroppingUnsupported } from '../AIConnect/actions/chat/send';
import { readChatStream, STREAM_FIELDS } from '../AIConnect/actions/chat/stream';
import type { StreamAnswer } from '../AIConnect/transport';
import { apiStream } from '../AIConnect/transport';
import { finishReasonOf, toGenerateResult, toOpenAiMessages, usageOf } from './messages';
import { reasoningMemory } from './reasoningMemory';
import type { AiNodeSdk } from './sdk';

/** What the model sends with every request, read and checked once when n8n asks the node for its model. */
export interface ModelSettings {
	/** The execution context the node was asked in: the transport reads its credential and Request Options. */
	context: IExecuteFunctions;
	itemIndex: number;
	model: string;
	/** The body from the node's options (temperature, max tokens, …), without messages. */
	body: IDataObject;
	/** Additional Body Fields, merged last. */
	extra: IDataObject | undefined;
	dropUnsupported: boolean;
	/** The credential's scope for the reasoning memory (reasoningMemory.ts). */
	scope: string;
}

/** The tools the agent gives the model, as OpenAI's function tools. */
function openAiTools(sdk: AiNodeSdk, tools: Tool[]): IDataObject[] {
	return tools.flatMap((tool): IDataObject[] => {
		if (tool.type !== 'function') return [];
		return [
			{
				type: 'function',
				function: {
					name: tool.name,
					...(tool.description ? { description: tool.description } : {}),
					parameters: sdk.getParametersJsonSchema(tool) as IDataObject,
					...(tool.strict === true ? { strict: true } : {}),
				},
			},
		];
	});
}

const modelClasses = new WeakMap<AiNodeSdk, new (settings: ModelSettings) => ChatModel>();

/**
 * The AIConnect chat model: n8n's BaseChatModel sending through the AIConnect node's own transport (retries,
 * pacing, redirects kept on the Base URL's origin, masking, Drop Unsupported Parameters). The class is made
 * from the SDK n8n provides at run time, so this file loads on an n8n without the SDK (sdk.ts).
 */
export function createChatModel(sdk: AiNodeSdk, settings: ModelSettings): ChatModel {
	let ModelClass = modelClasses.get(sdk);
	if (!ModelClass) {
		ModelClass = class AiConnectChatModel extends sdk.BaseChatModel {
			constructor(private readonly settings: ModelSettings) {
				super('aiconnect', settings.model);
			}

			private request(messages: Message[], streamed: boolean): IDataObject {
				const { body, extra, scope } = this.settings;
				const tools = openAiTools(sdk, this.tools);
				const request: IDataObject = {
					...body,
					messages: toOpenAiMessages(messages, reasoningMemory, scope),
					...(tools.length ? { tools } : {}),
					...(streamed ? STREAM_FIELDS : {}),
				};
				return mergeBodyFields(request, extra).body;
			}

			async generate(messages: Message[], _config?: ChatModelConfig): Promise<GenerateResult> {
				const { context, itemIndex, dropUnsupported, scope } = this.settings;
				const warnings: string[] = [];
				const response = await sendDroppingUnsupported(context, itemIndex, this.request(messages, false), dropUnsupported, warnings);
				for (const warning of warnings) context.logger.warn(`AIConnect Chat Model: ${warning}`);
				return toGenerateResult(response, reasoningMemory, scope, warnings);
			}

			async *stream(messages: Message[], _config?: ChatModelConfig): AsyncIterable<StreamChunk> {
				const { context, itemIndex, dropUnsupported, scope } = this.settings;
				const warnings: string[] = [];
				const answer = await sendDroppingUnsupported<StreamAnswer>(context, itemIndex, this.request(messages, true), dropUnsupported, warnings, async (ctx, index, body) =>
					await apiStream.call(ctx, { path: '/chat/completions', body, itemIndex: index }),
				);
				for (const warning of warnings) context.logger.warn(`AIConnect Chat Model: ${warning}`);
				for await (const piece of readChatStream(context, itemIndex, answer)) {
					if (piece.type === 'text') yield { type: 'text-delta', delta: piece.text };
					else if (piece.type === 'reasoning') yield { type: 'reasoning-delta', delta: piece.text };
					else {
						// Tool calls go to n8n whole, once the answer is complete: their arguments are only JSON then.
						const result = toGenerateResult(piece.response, reasoningMemory, scope, warnings);
						for (const block of result.message.content) {
							if (block.type === 'tool-call') yield { type: 'tool-call-delta', id: block.toolCallId, name: block.toolName, argumentsDelta: block.input };
						}
						const choice = ((piece.response.choices as IDataObject[] | undefined) ?? [])[0] ?? {};
						yield { type: 'finish', finishReason: finishReasonOf(choice.finish_reason), usage: usageOf(piece.response.usage) };
					}
				}
			}
		};
		modelClasses.set(sdk, ModelClass);
	}
	return new ModelClass(settings);
}
