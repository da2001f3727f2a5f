/**
 * Part headers stay one line each whatever a binary's MIME type, file name or a field name holds: an input
 * binary with a line break in its MIME type fails its item before any request, and the encoder writes what
 * fetch (undici) writes for the same form (names and file names escaped, a type with a control character
 * dropped as a Blob drops it).
 */
import type { InputFile } from '../../nodes/AIConnect/helpers/binary';
import { encodeMultipart } from '../../nodes/AIConnect/helpers/multipart';
import { runNode, storeBinary } from '../support/execute-context';
import type { ScriptedServer } from '../support/scripted-server';
import { sendJson, startScriptedServer } from '../support/scripted-server';

const INJECTED = 'audio/mpeg\r\nX-Injected: yes';
const audio = Buffer.alloc(400, 3);

const memoryFile = (fileName: string, mimeType: string): InputFile => ({
	property: 'data',
	fileName,
	mimeType,
	size: audio.length,
	open: async () => audio,
	toBuffer: async () => audio,
});

/** The header lines of every part of a form body. */
const partHeaderLines = (body: Buffer, boundary: string) =>
	body
		.toString('latin1')
		.split(`--${boundary}`)
		.slice(1, -1)
		.flatMap((part) => part.slice(2, part.indexOf('\r\n\r\n')).split('\r\n'));

test('encodeMultipart writes fetch\'s bytes for a MIME type, file name and field name holding line breaks and quotes', async () => {
	const fileName = 'note\r\nX-Evil: 1 "x".mp3';
	const field = 'file\r\nX-Field: 2"';
	const { body, contentType } = await encodeMultipart({ model: 'whisper-1' }, [{ field, file: memoryFile(fileName, INJECTED) }]);
	const ours = body as Buffer;
	const boundary = /boundary=(.+)$/.exec(contentType)![1];

	const form = new FormData();
	form.append('model', 'whisper-1');
	form.append(field, new Blob([new Uint8Array(audio)], { type: INJECTED }), fileName);
	const response = new Response(form);
	const reference = Buffer.from(await response.arrayBuffer());
	const referenceBoundary = /boundary=(.+)$/.exec(response.headers.get('content-type') ?? '')![1];
	expect(ours.toString('latin1').split(boundary).join(referenceBoundary)).toBe(reference.toString('latin1'));

	const lines = partHeaderLines(ours, boundary);
	expect(lines).toEqual([
		'Content-Disposition: form-data; name="model"',
		'Content-Disposition: form-data; name="file%0D%0AX-Field: 2%22"; filename="note%0D%0AX-Evil: 1 %22x%22.mp3"',
		'Content-Type: application/octet-stream',
	]);
});

describe('an input binary whose MIME type holds a line break', () => {
	let server: ScriptedServer;
	beforeAll(async () => {
		server = await startScriptedServer();
		server.on('/v1/audio/transcriptions', sendJson(200, { text: 'hello' }));
	});
	afterAll(async () => await server.close());

	test('fails its item before any request, naming the item, the field and the binary property', async () => {
		const good = await storeBinary(audio, 'note.mp3', 'audio/mpeg');
		const bad = { ...good, mimeType: INJECTED };
		const { output } = await runNode({
			parameters: { resource: 'audio', operation: 'transcribe', model: 'whisper-1', binaryPropertyName: 'data', simplify: true, options: {} },
			items: [{ json: {}, binary: { data: good } }, { json: {}, binary: { data: bad } }],
			credentials: { apiKey: 'sk-unit', baseUrl: `${server.origin}/v1` },
			continueOnFail: true,
		});
		expect(output[0].json).toEqual({ text: 'hello' });
		expect(output[1].json.error).toBe('Input Data Field Name: binary property "data" has an invalid MIME type "audio/mpeg\\r\\nX-Injected: yes"');
		expect(output[1].json.description).toMatch(/^Item 1\. A MIME type is type\/subtype/);
		expect(server.requests).toHaveLength(1);
		expect(server.requests[0].body.toString('latin1')).not.toContain('X-Injected');
	});
});
