import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { StreamAnswer, StreamTextMask } from '../../transport';
import { apiStream, StreamInterrupted } from '../../transport';
import { ChatStreamAssembler, streamedError } from './streamAssembler';
import { ThinkFilter } from './thinkFilter';

/**
 * Chat → Complete in a workflow that streams (a Chat Trigger, or a Webhook with Response Mode "Streaming";
 * n8n ≥ 1.101): the request asks for `stream: true`, every piece of answer text is handed to n8n as it
 * arrives (`sendChunk`), and the pieces are put back together into the usual answer for the output item.
 */

type ChunkType = 'begin' | 'item' | 'end' | 'error';

interface StreamingContext {
	isStreaming?: () => boolean;
	sendChunk?: (type: ChunkType, itemIndex: number, content?: IDataObject | string) => void;
}

/** Whether n8n streams this run's answer to its caller; n8n before 1.101 has no streaming and says nothing. */
export function workflowStreams(context: IExecuteFunctions): boolean {
	const streaming = context as unknown as StreamingContext;
	return typeof streaming.isStreaming === 'function' && typeof streaming.sendChunk === 'function' && streaming.isStreaming() === true;
}

/** The body fields that ask for a streamed answer with its token usage at the end. */
export const STREAM_FIELDS: IDataObject = { stream: true, stream_options: { include_usage: true } };

const snippet = (text: string, length = 300) => (text.length > length ? `…${text.slice(-length)}` : text);

/** What reading a streamed answer gives: answer text and reasoning as they come (masked), then the whole answer. */
export type ChatStreamPiece = { type: 'text'; text: string } | { type: 'reasoning'; text: string } | { type: 'answer'; response: IDataObject };

/** Answer text through the <think> filter and the mask, and reasoning through a mask of its own. */
class Pieces {
	private readonly think = new ThinkFilter();

	private readonly reasoning: StreamTextMask;

	constructor(
		private readonly text: StreamTextMask,
		answer: StreamAnswer,
	) {
		this.reasoning = answer.textMask();
	}

	answerText(piece: string): ChatStreamPiece[] {
		return this.wrap('text', piece === '' ? '' : this.text.push(this.think.push(piece)));
	}

	reasoningText(piece: string): ChatStreamPiece[] {
		return this.wrap('reasoning', piece === '' ? '' : this.reasoning.push(piece));
	}

	end(): ChatStreamPiece[] {
		return [...this.wrap('text', this.text.push(this.think.end()) + this.text.end()), ...this.wrap('reasoning', this.reasoning.end())];
	}

	private wrap(type: 'text' | 'reasoning', text: string): ChatStreamPiece[] {
		return text === '' ? [] : [{ type, text }];
	}
}

const firstMessage = (response: IDataObject) => ((((response.choices as IDataObject[] | undefined) ?? [])[0]?.message ?? {}) as IDataObject);

/**
 * Reads a streamed chat answer: its text and reasoning piece by piece, then the whole answer as a request
 * without `stream` returns it. A provider that ignored `stream` gives its whole answer as one piece; a stream
 * that stops early, or carries the provider's error, throws the item's error.
 */
export async function* readChatStream(context: IExecuteFunctions, itemIndex: number, answer: StreamAnswer): AsyncGenerator<ChatStreamPiece> {
	const pieces = new Pieces(answer.textMask(), answer);
	if (answer.kind === 'json') {
		const message = firstMessage(answer.body);
		if (typeof message.content === 'string') yield* pieces.answerText(message.content);
		yield* pieces.end();
		yield { type: 'answer', response: answer.body };
		return;
	}
	const assembler = new ChatStreamAssembler();
	const brokeOff = (reason: string, detail?: string) => {
		const soFar = answer.mask(assembler.contentSoFar);
		return new NodeOperationError(context.getNode(), `The streamed answer from ${answer.url} broke off: ${reason}`, {
			itemIndex,
			description: `${detail ? `The connection reported: ${detail}. ` : ''}${assembler.chunks} chunks had arrived${soFar ? `, with this answer text: "${snippet(soFar)}"` : ', with no answer text'}. Nothing was retried, as the part that arrived may already have been sent on. Try again, or raise Request Options → Timeout.`,
		});
	};
	let done = false;
	/** An event that was not JSON: the provider's words if more follows, a cut-off last event if not. */
	let unreadable: string | undefined;
	try {
		for await (const event of answer.events) {
			if (unreadable !== undefined) throw answer.providerError(unreadable);
			const data = event.data.trim();
			if (data === '[DONE]') {
				done = true;
				break;
			}
			let chunk: unknown;
			try {
				chunk = JSON.parse(data);
			} catch {
				unreadable = event.data;
				continue;
			}
			if (typeof chunk !== 'object' || chunk === null || Array.isArray(chunk)) {
				unreadable = event.data;
				continue;
			}
			if (event.event === 'error' || streamedError(chunk as IDataObject) !== undefined) throw answer.providerError(event.data);
			const added = assembler.add(chunk as IDataObject);
			yield* pieces.reasoningText(added.reasoning);
			yield* pieces.answerText(added.content);
		}
	} catch (error) {
		throw error instanceof StreamInterrupted ? brokeOff(error.message, error.detail) : error;
	}
	if (unreadable !== undefined) throw brokeOff(`its last event was cut off ("${snippet(answer.mask(unreadable), 200)}")`);
	if (!done && !assembler.finished) throw brokeOff('the stream ended without a finish_reason or [DONE]');
	yield* pieces.end();
	yield { type: 'answer', response: answer.mask(assembler.result()) };
}

/**
 * Sends the request with `stream` set and returns the whole answer as a request without it would have, after
 * handing its text to n8n piece by piece when the workflow streams (`live`): `begin`, an `item` per piece,
 * `end`, as n8n's own streaming nodes frame an item (`error` instead of `end` when it fails).
 */
export async function streamCompletion(context: IExecuteFunctions, itemIndex: number, body: IDataObject, live: boolean): Promise<IDataObject> {
	const answer = await apiStream.call(context, { path: '/chat/completions', body, itemIndex });
	const send = (type: ChunkType, content?: string) => {
		if (live) (context as unknown as Required<StreamingContext>).sendChunk(type, itemIndex, content);
	};
	send('begin');
	let response: IDataObject | undefined;
	try {
		for await (const piece of readChatStream(context, itemIndex, answer)) {
			if (piece.type === 'text') send('item', piece.text);
			else if (piece.type === 'answer') response = piece.response;
		}
	} catch (error) {
		const failure = error instanceof NodeApiError || error instanceof NodeOperationError ? error : new NodeOperationError(context.getNode(), error as Error, { itemIndex });
		send('error', failure.message);
		throw failure;
	}
	send('end');
	return response!;
}
