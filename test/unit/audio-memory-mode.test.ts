/**
 * n8n's default binary mode keeps files in memory (base64 in the item) rather than on disk; audio must
 * work there too. Binary mode is set once per test file, hence this file.
 */
import { createHash, randomBytes } from 'crypto';

import type { Provider } from '../../dev/provider/server';
import { startProvider } from '../../dev/provider/server';
import { readBinary, runNode, storeBinary, useBinaryMode } from '../support/execute-context';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('Audio with binary data kept in memory', () => {
	let provider: Provider;
	beforeAll(async () => {
		await useBinaryMode('default');
		provider = await startProvider({ port: 0 });
	});
	afterAll(async () => await provider.close());
	beforeEach(() => provider.clearRequests());

	test('Transcribe uploads an in-memory file intact', async () => {
		const audio = randomBytes(200_000);
		const binary = await storeBinary(audio, 'call.webm', 'audio/webm');
		expect(binary.id).toBeUndefined();
		const { output } = await runNode({
			parameters: { resource: 'audio', operation: 'transcribe', model: 'whisper-1', binaryPropertyName: 'data', simplify: true, options: {} },
			items: [{ json: {}, binary: { data: binary } }],
			credentials: { apiKey: 'sk-unit', baseUrl: provider.baseUrl },
		});
		const file = provider.requests[0].parts!.find((part) => part.name === 'file')!;
		expect(file).toMatchObject({ filename: 'call.webm', contentType: 'audio/webm', size: audio.length, sha256: sha256(audio) });
		expect(output[0].json.text).toBe(`Transcript of call.webm (${audio.length} bytes)`);
	});

	test('Speech stores the audio in the item', async () => {
		const { output } = await runNode({
			parameters: { resource: 'audio', operation: 'speech', model: 'tts-1', input: 'Hello', voice: 'nova', options: { responseFormat: 'flac' } },
			credentials: { apiKey: 'sk-unit', baseUrl: provider.baseUrl },
		});
		const stored = output[0].binary!.data;
		expect(stored.id).toBeUndefined();
		expect(stored).toMatchObject({ mimeType: 'audio/flac', fileName: 'speech.flac' });
		const audio = await readBinary(output[0], 'data');
		expect(audio.subarray(0, 4).toString('latin1')).toBe('fLaC');
		expect(output[0].json).toMatchObject({ format: 'flac', bytes: audio.length });
	});
});
