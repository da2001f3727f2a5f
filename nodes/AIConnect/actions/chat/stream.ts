import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { StreamTextMask } from '../../transport';
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

/**
 * Answer text on its way to n8n: without a leading <think> block, with echoed secrets masked even when split
 * across pieces, framed by `begin` and `end` as n8n's own streaming nodes frame an item.
 */
class AnswerOut {
	private readonly think = new ThinkFilter();

	private begun = false;

	constructor(
		private readonly context: IExecuteFunctions,
		private readonly itemIndex: number,
		private readonly mask: StreamTextMask,
		private readonly live: boolean,
	) {}

	private send(type: ChunkType, content?: string) {
		if (this.live) (this.context as unknown as Required<StreamingContext>).sendChunk(type, this.itemIndex, content);
	}

	begin() {
		if (!this.begun) this.send('begin');
		this.begun = true;
	}

	text(piece: string) {
		if (piece === '') return;
		const out = this.mask.push(this.think.push(piece));
		if (out !== '') this.send('item', out);
	}

	end() {
		const rest = this.mask.push(this.think.end()) + this.mask.end();
		if (rest !== '') this.send('item', rest);
		this.send('end');
	}

	error(message: string) {
		if (this.begun) this.send('error', message);
	}
}

const snippet = (text: string, length = 300) => (text.length > length ? `…${text.slice(-length)}` : text);

/**
 * Sends the request with `stream` set and returns the whole answer as a request without it would have, after
 * handing its text on piece by piece when the workflow streams (`live`).
 */
export async function streamCompletion(context: IExecuteFunctions, itemIndex: number, body: IDataObject, live: boolean): Promise<IDataObject> {
	const answer = await apiStream.call(context, { path: '/chat/completions', body, itemIndex });
	const out = new AnswerOut(context, itemIndex, answer.textMask(), live);
	if (answer.kind === 'json') {
		// The provider ignored `stream`: its whole answer is one piece.
		const first = ((answer.body.choices as IDataObject[] | undefined) ?? [])[0];
		const content = (first?.message as IDataObject | undefined)?.content;
		out.begin();
		if (typeof content === 'string') out.text(content);
		out.end();
		return answer.body;
	}

	const assembler = new ChatStreamAssembler();
	const brokeOff = (reason: string, detail?: string) => {
		const soFar = answer.mask(assembler.contentSoFar);
		return new NodeOperationError(context.getNode(), `The streamed answer from ${answer.url} broke off: ${reason}`, {
			itemIndex,
			description: `${detail ? `The connection reported: ${detail}. ` : ''}${assembler.chunks} chunks had arrived${soFar ? `, with this answer text: "${snippet(soFar)}"` : ', with no answer text'}. Nothing was retried, as the part that arrived may already have been sent on. Try again, or raise Request Options → Timeout.`,
		});
	};
	out.begin();
	try {
		let done = false;
		/** An event that was not JSON: the provider's words if more follows, a cut-off last event if not. */
		let unreadable: string | undefined;
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
			out.text(assembler.add(chunk as IDataObject));
		}
		if (unreadable !== undefined) throw brokeOff(`its last event was cut off ("${snippet(answer.mask(unreadable), 200)}")`);
		if (!done && !assembler.finished) throw brokeOff('the stream ended without a finish_reason or [DONE]');
	} catch (error) {
		const failure = error instanceof StreamInterrupted ? brokeOff(error.message, error.detail) : error;
		out.error((failure as Error).message);
		throw failure;
	}
	out.end();
	return answer.mask(assembler.result());
}
