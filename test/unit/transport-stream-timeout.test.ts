// What Request Options → Timeout bounds once the headers have come (docs/request-options.md): each silence
// between the chunks of a streamed body (Speech audio, linked files), never the whole of a body that keeps
// flowing. And an attempt leaves nothing on the execution's signal once it is over (issue 21, items 11, 15).
import { getEventListeners } from 'events';
import type { ServerResponse } from 'http';

import { AiConnect } from '../../nodes/AIConnect/AiConnect.node';
import type { AttemptClock, FollowedStream } from '../../nodes/AIConnect/transport/attemptSignal';
import { BodyStalled, attemptSignal } from '../../nodes/AIConnect/transport/attemptSignal';
import { createExecuteContext, readBinary, runNode, useBinaryMode } from '../support/execute-context';
import type { ScriptedServer } from '../support/scripted-server';
import { sendJson, startScriptedServer } from '../support/scripted-server';

/** A clock the test moves by hand; `after` signals abort when the test's time passes them. */
function simulatedClock() {
	let time = 0;
	const pending: Array<{ at: number; controller: AbortController }> = [];
	const clock: AttemptClock & { advance(ms: number): void; armed(): number } = {
		now: () => time,
		after: (ms) => {
			const controller = new AbortController();
			pending.push({ at: time + ms, controller });
			return controller.signal;
		},
		advance: (ms) => {
			time += ms;
			for (const entry of [...pending]) {
				if (entry.at <= time) {
					pending.splice(pending.indexOf(entry), 1);
					entry.controller.abort();
				}
			}
		},
		armed: () => pending.filter((entry) => !entry.controller.signal.aborted).length,
	};
	return clock;
}

/** A stand-in for a response body: records how it was destroyed; `chunk()` hands a chunk to its reader. */
function fakeStream() {
	const closers: Array<() => void> = [];
	const stream = {
		destroyed: false,
		readableEnded: false,
		destroyedWith: undefined as Error | undefined,
		emit: (_event: string | symbol, ..._args: unknown[]) => true,
		once: (_event: 'close', listener: () => void) => closers.push(listener),
		destroy(error?: Error) {
			this.destroyed = true;
			this.destroyedWith = error;
			closers.forEach((close) => close());
		},
		chunk() {
			this.emit('data', Buffer.from('x'));
		},
	};
	return stream as typeof stream & FollowedStream;
}

/** Node 20 keeps AbortSignal.any's dependants in a set on the source signal (nodejs/node#55351). */
const dependants = (signal: AbortSignal) => {
	const symbol = Object.getOwnPropertySymbols(signal).find((s) => s.description === 'kDependantSignals');
	return symbol ? ((signal as unknown as Record<symbol, Set<unknown> | undefined>)[symbol]?.size ?? 0) : 0;
};

describe('attempt signal (simulated clock)', () => {
	test('before the headers, the Timeout aborts the attempt', () => {
		const clock = simulatedClock();
		const attempt = attemptSignal(undefined, 1000, clock);
		clock.advance(999);
		expect(attempt.signal.aborted).toBe(false);
		clock.advance(1);
		expect(attempt.signal.aborted).toBe(true);
		expect(attempt.timedOut()).toBe(true);
	});

	test('a streamed body that keeps flowing is never cut, however long it takes; a silence of the Timeout ends it', () => {
		const clock = simulatedClock();
		const attempt = attemptSignal(undefined, 1000, clock);
		const body = attempt.follow(fakeStream(), 'http://127.0.0.1/audio');
		// 60 simulated seconds of chunks, one every 900 ms: sixty times the Timeout in all.
		for (let i = 0; i < 66; i++) {
			clock.advance(900);
			body.chunk();
		}
		expect(body.destroyed).toBe(false);
		expect(clock.armed()).toBe(1); // one timer at a time, not one per chunk
		clock.advance(999);
		expect(body.destroyed).toBe(false);
		clock.advance(1);
		expect(body.destroyed).toBe(true);
		expect(body.destroyedWith).toBeInstanceOf(BodyStalled);
		expect(body.destroyedWith!.message).toBe(
			'The answer from http://127.0.0.1/audio stopped arriving: nothing came for 1000 ms (Request Options → Timeout)',
		);
		// The stream's close ended the attempt: no timer left.
		expect(clock.armed()).toBe(0);
	});

	test('Timeout 0: no timer, a silent stream is not cut', () => {
		const clock = simulatedClock();
		const attempt = attemptSignal(undefined, 0, clock);
		const body = attempt.follow(fakeStream(), 'http://127.0.0.1/audio');
		clock.advance(10_000_000);
		expect(body.destroyed).toBe(false);
		expect(clock.armed()).toBe(0);
	});

	test('cancelling the execution aborts the attempts in flight; ended ones leave nothing on its signal', () => {
		const execution = new AbortController();
		const attempts = Array.from({ length: 1000 }, () => attemptSignal(execution.signal, 1000, simulatedClock()));
		// One listener however many attempts are in flight (Node warns past ten).
		expect(getEventListeners(execution.signal, 'abort')).toHaveLength(1);
		attempts.slice(2).forEach((attempt) => attempt.end());
		expect(dependants(execution.signal)).toBe(0);
		execution.abort();
		expect(attempts.map((attempt) => attempt.signal.aborted)).toEqual([true, true, ...new Array(998).fill(false)]);
		expect(attempts[0].timedOut()).toBe(false);
	});

	test('after N attempts end, the execution signal has no listener left', () => {
		const execution = new AbortController();
		for (let i = 0; i < 1000; i++) attemptSignal(execution.signal, 1000, simulatedClock()).end();
		const inFlight = [attemptSignal(execution.signal, 0), attemptSignal(execution.signal, 0)];
		inFlight.forEach((attempt) => attempt.end());
		expect(getEventListeners(execution.signal, 'abort')).toHaveLength(0);
		expect(dependants(execution.signal)).toBe(0);
	});

	test('end() closes a followed body nobody read to its end, and not one that ended', () => {
		const half = fakeStream();
		const attempt = attemptSignal(undefined, 1000, simulatedClock());
		attempt.follow(half, 'u');
		attempt.end();
		expect(half.destroyed).toBe(true);
		const whole = fakeStream();
		whole.readableEnded = true;
		const other = attemptSignal(undefined, 1000, simulatedClock());
		other.follow(whole, 'u');
		other.end();
		expect(whole.destroyed).toBe(false);
	});
});

describe('a server that stalls mid-body (real sockets, short Timeout)', () => {
	let api: ScriptedServer;
	let files: ScriptedServer;
	/** Resolves when the connection of the stalled answer is closed, with whether the answer was ever finished. */
	let closed: Promise<boolean>;
	const stallAfter = (contentType: string, first: Buffer) => (_request: unknown, response: ServerResponse) => {
		closed = new Promise((done) => response.once('close', () => done(response.writableFinished)));
		response.writeHead(200, { 'Content-Type': contentType, 'Content-Length': String(first.length * 10) });
		response.write(first);
		// …and nothing more, ever: only the client can end this.
	};

	beforeAll(async () => {
		await useBinaryMode();
		api = await startScriptedServer();
		files = await startScriptedServer();
		api.on('/stall/v1/audio/speech', stallAfter('audio/mpeg', Buffer.alloc(4096, 1)));
		files.on('/img/stalled.png', stallAfter('image/png', Buffer.from('89504e470d0a1a0a', 'hex')));
		api.on('/stall/v1/images/generations', (request, response) =>
			sendJson(200, { created: 1, data: [{ url: `${files.origin}/img/stalled.png` }] })(request, response),
		);
		// 24 chunks, 40 ms apart: about a second in all, well over the 400 ms Timeout, never 400 ms silent.
		api.on('/flow/v1/audio/speech', (_request, response) => {
			response.writeHead(200, { 'Content-Type': 'audio/mpeg' });
			let sent = 0;
			const next = () => {
				if (sent === 24) {
					response.end();
					return;
				}
				response.write(Buffer.alloc(1000, sent++));
				AbortSignal.timeout(40).addEventListener('abort', next);
			};
			next();
		});
	});
	afterAll(async () => {
		await api.close();
		await files.close();
	});

	const credentials = (path: string) => ({ apiKey: 'sk-stall-test-0123456789', baseUrl: `${api.origin}${path}` });
	const speech = (path: string, timeout: number) =>
		runNode({
			parameters: { resource: 'audio', operation: 'speech', model: 'tts-1', input: 'hi', voice: 'alloy', options: {}, requestOptions: { timeout, maxRetries: 0 } },
			credentials: credentials(path),
		});

	test('Speech: the item fails naming the Timeout, and the connection is closed', async () => {
		const error = await speech('/stall/v1', 300).catch((e) => e);
		expect(error.message).toBe(`The answer from ${api.origin}/stall/v1/audio/speech stopped arriving: nothing came for 300 ms (Request Options → Timeout)`);
		expect(error.description).toMatch(/Timeout under Request Options also bounds each pause/);
		expect(await closed).toBe(false);
	});

	test('a linked file (image URL): the item fails naming the Timeout, and the connection is closed', async () => {
		const error = await runNode({
			parameters: {
				resource: 'image', operation: 'create', model: 'dall-e-2', prompt: 'p', n: 1, size: '256x256', responseFormat: 'url', simplify: true,
				options: { binaryPropertyOutput: 'data' }, requestOptions: { timeout: 300, maxRetries: 0 },
			},
			credentials: credentials('/stall/v1'),
		}).catch((e) => e);
		expect(error.message).toContain(`stopped arriving: nothing came for 300 ms (Request Options → Timeout)`);
		expect(error.message).toContain(`${files.origin}/img/stalled.png`);
		expect(await closed).toBe(false);
	});

	test('Speech audio that keeps flowing longer than the Timeout arrives whole', async () => {
		const { output } = await speech('/flow/v1', 400);
		const audio = await readBinary(output[0]);
		expect(audio.length).toBe(24_000);
		expect(audio[23_999]).toBe(23);
	});
});

describe('the execution signal after many attempts', () => {
	let api: ScriptedServer;
	beforeAll(async () => {
		api = await startScriptedServer();
		api.on('/v1/chat/completions', sendJson(200, { choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] }));
		api.on('/v1/audio/speech', (_request, response) => response.writeHead(200, { 'Content-Type': 'audio/mpeg' }).end(Buffer.alloc(100, 7)));
	});
	afterAll(async () => await api.close());

	test.each([
		['Chat', { resource: 'chat', operation: 'complete', model: 'm', prompt: { messages: [{ role: 'user', content: 'hi' }] } }],
		['Speech (streamed)', { resource: 'audio', operation: 'speech', model: 'tts-1', input: 'hi', voice: 'alloy', options: {} }],
	])('%s: 200 attempts leave no listener and no dependant signal on it', async (_name, parameters) => {
		await useBinaryMode();
		const { context } = createExecuteContext({
			parameters: { ...parameters, requestOptions: { timeout: 60_000 } },
			items: Array.from({ length: 200 }, () => ({ json: {} })),
			credentials: { apiKey: 'sk-listeners', baseUrl: `${api.origin}/v1` },
		});
		const output = await new AiConnect().execute.call(context);
		expect(output[0]).toHaveLength(200);
		const execution = context.getExecutionCancelSignal()!;
		expect(getEventListeners(execution, 'abort')).toHaveLength(0);
		expect(dependants(execution)).toBe(0);
	});
});
