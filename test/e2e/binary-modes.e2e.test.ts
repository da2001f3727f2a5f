// Binary data in n8n's filesystem mode (what users get by default) and in memory mode: files made by one
// AIConnect node are read back by the next one (Speech → Transcribe) and by n8n's binary-data endpoint.
import * as fs from 'fs';
import * as path from 'path';
import * as harness from '../../harness/n8n';
import { aiconnect, chain, manualTrigger } from './support/workflows';
import { binaryBytes, e2eContext, E2EContext, e2eState, isPng } from './support/n8n-session';
import { actions } from './support/workflows';

const speechToText = () =>
	chain('E2E Speech to Text', [
		manualTrigger(),
		aiconnect({ resource: 'audio', operation: 'speech', model: 'tts-1', input: 'Round trip through binary storage.', voice: 'nova', options: { responseFormat: 'wav' } }, 'Speak'),
		aiconnect({ resource: 'audio', operation: 'transcribe', model: 'whisper-1', binaryPropertyName: 'data', simplify: true, options: {} }, 'Transcribe'),
	]);

describe('filesystem mode (the shared n8n)', () => {
	let ctx: E2EContext;
	beforeAll(async () => {
		ctx = await e2eContext();
	});
	afterAll(async () => {
		await ctx?.close();
	});

	test('binary items are references to files on disk', async () => {
		const [item] = (await ctx.runOk(actions.imageCreate({ parameters: { n: 1 } }))).items();
		const binary = item.binary!.data;
		expect(binary.data).not.toMatch(/^iVBOR/); // no inline base64 PNG
		expect(binary.id).toMatch(/^filesystem(-v2)?:/);
		const relative = binary.id!.slice(binary.id!.indexOf(':') + 1);
		// n8n 2.x stores new installs under .n8n/storage (.n8n/binaryData only for folders made by 1.x).
		const onDisk = ['storage', 'binaryData'].map((dir) => path.join(e2eState().main.userFolder, '.n8n', dir, relative)).find((p) => fs.existsSync(p));
		expect(onDisk).toBeDefined();
		const bytes = await binaryBytes(ctx.n8n, binary);
		expect(isPng(bytes)).toBe(true);
		expect(fs.readFileSync(onDisk!).equals(bytes)).toBe(true);
	});

	test('a file written by one node is uploaded by the next', async () => {
		const outcome = await ctx.runOk(speechToText());
		const spoken = outcome.items('Speak')[0];
		expect(spoken.binary!.data.id).toMatch(/^filesystem/);
		const upload = ctx.provider.requests.find((r) => r.path === '/v1/audio/transcriptions')!.parts!.find((p) => p.name === 'file')!;
		expect(upload.data.equals(await binaryBytes(ctx.n8n, spoken.binary!.data))).toBe(true);
		expect(outcome.items('Transcribe')[0].json.text).toBe(`Transcript of speech.wav (${upload.size} bytes)`);
	});
});

describe('memory mode (a second n8n with N8N_DEFAULT_BINARY_DATA_MODE=default)', () => {
	let instance: harness.N8nInstance | undefined;
	let ctx: E2EContext | undefined;
	beforeAll(async () => {
		const state = e2eState();
		const userFolder = path.join(state.root, 'memory-mode');
		await harness.installPackage(userFolder, { tgz: state.tgz, log: () => undefined });
		instance = await harness.startN8n({ userFolder, n8n: state.n8n, binaryMode: 'default', log: () => undefined });
		await new harness.N8nClient(instance.url).setupOwner();
		process.env.AICONNECT_E2E_URL_OVERRIDE = instance.url;
		ctx = await e2eContext();
	}, 180000);
	afterAll(async () => {
		delete process.env.AICONNECT_E2E_URL_OVERRIDE;
		await ctx?.close();
		await instance?.stop();
	});

	test('binary items carry their bytes inline and still chain', async () => {
		const [image] = (await ctx!.runOk(actions.imageCreate({ parameters: { n: 1 } }))).items();
		expect(image.binary!.data.id).toBeUndefined();
		expect(isPng(Buffer.from(image.binary!.data.data!, 'base64'))).toBe(true);
		const outcome = await ctx!.runOk(speechToText());
		expect(outcome.items('Transcribe')[0].json.text).toMatch(/^Transcript of speech\.wav \(\d+ bytes\)$/);
	});
});
