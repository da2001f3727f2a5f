/**
 * whisper.cpp's server (examples/server/server.cpp) answers each response_format with its own Content-Type:
 * text as `text/html; charset=utf-8`, srt as `application/x-subrip`, vtt as `text/vtt`, json as
 * `application/json`; a silent recording gives an empty body (text, srt), `WEBVTT\n\n` (vtt) or
 * `{"text":""}` (json). The bodies below are what a real whisper-server sent (notes in the e2e suite).
 */
import { randomBytes } from 'crypto';
import type { IBinaryData } from 'n8n-workflow';

import { runNode, storeBinary } from '../support/execute-context';
import type { ScriptedServer } from '../support/scripted-server';
import { startScriptedServer } from '../support/scripted-server';

const ANSWERS: Record<string, Record<string, [string, string]>> = {
	speech: {
		text: ['text/html; charset=utf-8', ' Hello world\n'],
		srt: ['application/x-subrip', '1\n00:00:00,000 --> 00:00:01,000\n Hello world\n\n'],
		vtt: ['text/vtt', 'WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n Hello world\n\n'],
		json: ['application/json', '{"text":" Hello world\\n"}'],
	},
	silence: {
		text: ['text/html; charset=utf-8', ''],
		srt: ['application/x-subrip', ''],
		vtt: ['text/vtt', 'WEBVTT\n\n'],
		json: ['application/json', '{"text":""}'],
	},
	webpage: {
		text: ['text/html', '<!DOCTYPE html>\n<html><head><title>Whisper.cpp Server</title></head><body>…</body></html>'],
		srt: ['text/plain', '\n<html>\n<head><title>Login</title></head></html>'],
	},
};

describe("whisper.cpp's server", () => {
	let server: ScriptedServer;
	let audio: IBinaryData;
	const transcribe = (kind: string, format: string) =>
		runNode({
			parameters: {
				resource: 'audio', operation: 'transcribe', model: 'whisper-1', binaryPropertyName: 'data', simplify: true,
				options: { responseFormat: format }, requestOptions: { maxRetries: 0 },
			},
			items: [{ json: {}, binary: { data: audio } }],
			credentials: { apiKey: '', baseUrl: `${server.origin}/${kind}/${format}/v1` },
		});

	beforeAll(async () => {
		server = await startScriptedServer();
		audio = await storeBinary(randomBytes(4000), 'clip.wav', 'audio/wav');
		for (const [kind, formats] of Object.entries(ANSWERS)) {
			for (const [format, [type, body]] of Object.entries(formats)) {
				server.on(`/${kind}/${format}/v1/audio/transcriptions`, (_request, response) =>
					response.writeHead(200, { 'Content-Type': type, Server: 'whisper.cpp' }).end(body),
				);
			}
		}
	});
	afterAll(async () => await server.close());

	test.each(['text', 'srt', 'vtt'])('%s: the transcript is output as sent, whatever its Content-Type', async (format) => {
		const { output } = await transcribe('speech', format);
		expect(output[0].json).toEqual({ text: ANSWERS.speech[format][1] });
	});

	test('json: the transcript', async () => {
		const { output } = await transcribe('speech', 'json');
		expect(output[0].json).toEqual({ text: ' Hello world\n' });
	});

	test.each(['text', 'srt', 'vtt', 'json'])('%s: a silent recording gives its (empty) transcript, not an error', async (format) => {
		const { output } = await transcribe('silence', format);
		// VTT included: whisper.cpp sends the header alone, a file without cues, which is an empty transcript.
		expect(output[0].json).toEqual({ text: '' });
	});

	test.each(['text', 'srt'])('%s: a web page instead of the API is still refused, by its body', async (format) => {
		const error = await transcribe('webpage', format).catch((e) => e);
		expect(error.message).toMatch(/^The provider sent an HTML page/);
	});
});
