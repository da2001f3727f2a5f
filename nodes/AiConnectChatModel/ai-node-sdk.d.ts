/**
 * The part of n8n's `@n8n/ai-node-sdk` (0.31, as n8n 2.41 ships it) this package uses, declared here rather
 * than installed: the SDK is a peer that n8n provides at run time, and installing it for its types would bring
 * LangChain and a native module (isolated-vm, Node ≥ 22) into every development install. Only types: nothing
 * of this file is in the build. The end-to-end tests run the model in real n8n 2.41.1 against the real SDK.
 */
declare module '@n8n/ai-node-sdk' {
	import type { ISupplyDataFunctions, SupplyData } from 'n8n-workflow';

	export interface ContentMetadata {
		providerMetadata?: Record<string, unknown>;
	}
	export type ContentText = ContentMetadata & { type: 'text'; text: string };
	export type ContentReasoning = ContentMetadata & { type: 'reasoning'; text: string };
	export type ContentFile = ContentMetadata & { type: 'file'; mediaType?: string; data: string | Uint8Array };
	export type ContentToolCall = ContentMetadata & { type: 'tool-call'; toolCallId?: string; toolName: string; input: string };
	export type ContentToolResult = ContentMetadata & { type: 'tool-result'; toolCallId: string; result: unknown; isError?: boolean };
	export type ContentOther = ContentMetadata & { type: 'invalid-tool-call' | 'citation' | 'provider' };
	export type MessageContent = ContentText | ContentReasoning | ContentFile | ContentToolCall | ContentToolResult | ContentOther;
	export type MessageRole = 'system' | 'user' | 'assistant' | 'tool';
	export interface Message {
		role: MessageRole;
		content: MessageContent[];
		name?: string;
		id?: string;
	}

	export type FinishReason = 'stop' | 'length' | 'content-filter' | 'tool-calls' | 'error' | 'other';
	export interface TokenUsage {
		promptTokens: number;
		completionTokens: number;
		totalTokens: number;
		inputTokenDetails?: { cacheRead?: number };
		outputTokenDetails?: { reasoning?: number };
	}
	export interface GenerateResult {
		id?: string;
		finishReason?: FinishReason;
		usage?: TokenUsage;
		message: Message;
		providerMetadata?: Record<string, unknown>;
	}
	export type StreamChunk = ContentMetadata &
		(
			| { type: 'text-delta'; id?: string; delta: string }
			| { type: 'reasoning-delta'; id?: string; delta: string }
			| { type: 'tool-call-delta'; id?: string; name?: string; argumentsDelta?: string }
			| { type: 'finish'; finishReason: FinishReason; usage?: TokenUsage }
			| { type: 'error'; error: unknown }
			| { type: 'content'; content: MessageContent; id?: string }
		);

	export interface FunctionTool {
		type: 'function';
		name: string;
		description?: string;
		inputSchema: unknown;
		strict?: boolean;
	}
	export interface ProviderTool {
		type: 'provider';
		name: string;
		args?: Record<string, unknown>;
	}
	export type Tool = FunctionTool | ProviderTool;

	export interface ChatModelConfig {
		maxTokens?: number;
		temperature?: number;
		abortSignal?: AbortSignal;
	}
	export interface ChatModel {
		provider: string;
		modelId: string;
		generate(messages: Message[], config?: ChatModelConfig): Promise<GenerateResult>;
		stream(messages: Message[], config?: ChatModelConfig): AsyncIterable<StreamChunk>;
		withTools(tools: Tool[]): ChatModel;
	}
	export abstract class BaseChatModel implements ChatModel {
		provider: string;
		modelId: string;
		protected tools: Tool[];
		constructor(provider: string, modelId: string, defaultConfig?: ChatModelConfig, tools?: Tool[]);
		abstract generate(messages: Message[], config?: ChatModelConfig): Promise<GenerateResult>;
		abstract stream(messages: Message[], config?: ChatModelConfig): AsyncIterable<StreamChunk>;
		withTools(tools: Tool[]): ChatModel;
	}

	/** A function tool's parameters as JSON Schema (the agent's tools come with Zod schemas). */
	export function getParametersJsonSchema(tool: FunctionTool): Record<string, unknown>;
	export function supplyModel(context: ISupplyDataFunctions, model: ChatModel): SupplyData;
}
