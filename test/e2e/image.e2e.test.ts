// Image → Create / Edit / Variation inside real n8n: JSON items and real PNG binaries in n8n's binary store.
import { createHash } from 'crypto';
import { actions } from './support/workflows';
import { binaryBytes, isPng, useE2EContext } from './support/n8n-session';
import { fixtures } from './support/workflows';

const ctx = useE2EContext();

const pngSize = (b: Buffer) => [b.readUInt32BE(16), b.readUInt32BE(20)];
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('Create downloads URL images into binary fields', async () => {
	const items = (await ctx.runOk(actions.imageCreate())).items();
	expect(items).toHaveLength(2);
	const pictures: Buffer[] = [];
	for (const item of items) {
		expect(item.json.url).toMatch(new RegExp(`^${ctx.provider.origin}/files/img-[0-9a-f]+\\.png$`));
		expect(item.json.revised_prompt).toBe('A picture of: A red square on white');
		const binary = item.binary!.data;
		expect(binary.mimeType).toBe('image/png');
		expect(binary.fileName).toMatch(/\.png$/);
		const bytes = await binaryBytes(ctx.n8n, binary);
		expect(isPng(bytes)).toBe(true);
		expect(pngSize(bytes)).toEqual([256, 256]);
		pictures.push(bytes);
	}
	expect(pictures[0].equals(pictures[1])).toBe(false);
	const gen = ctx.provider.requests.find((r) => r.path === '/v1/images/generations')!;
	expect(gen.json).toMatchObject({ model: 'dall-e-2', prompt: 'A red square on white', n: 2, size: '256x256', response_format: 'url' });
	expect(ctx.provider.requests.filter((r) => r.path.startsWith('/files/'))).toHaveLength(2);
});

test('Create decodes base64 images (GPT image models) without base64 left in the JSON', async () => {
	const items = (await ctx.runOk(actions.imageCreate({ model: 'gpt-image-1', parameters: { n: 1, size: '1024x1024' } }))).items();
	expect(items).toHaveLength(1);
	expect(items[0].json.b64_json).toBeUndefined();
	const bytes = await binaryBytes(ctx.n8n, items[0].binary!.data);
	expect(isPng(bytes)).toBe(true);
	expect(pngSize(bytes)).toEqual([1024, 1024]);
	// GPT image models refuse response_format, so the node must not send it.
	expect(ctx.provider.requests[0].json.response_format).toBeUndefined();
});

test('Edit uploads the input image as multipart and returns the edited PNG', async () => {
	const items = (await ctx.runOk(actions.imageEdit())).items();
	expect(items).toHaveLength(1);
	const bytes = await binaryBytes(ctx.n8n, items[0].binary!.data);
	expect(isPng(bytes)).toBe(true);
	const req = ctx.provider.requests.find((r) => r.path === '/v1/images/edits')!;
	const parts = Object.fromEntries(req.parts!.map((p) => [p.name, p]));
	expect(parts.model.value).toBe('dall-e-2');
	expect(parts.prompt.value).toBe('Add a blue circle');
	expect(parts.response_format.value).toBe('b64_json');
	expect(parts.image).toMatchObject({ filename: 'square.png', contentType: 'image/png', size: fixtures.png.length, sha256: sha(fixtures.png) });
});

test('Variation returns one item per image', async () => {
	const items = (await ctx.runOk(actions.imageVariation())).items();
	expect(items).toHaveLength(2);
	for (const item of items) expect(isPng(await binaryBytes(ctx.n8n, item.binary!.data))).toBe(true);
	const req = ctx.provider.requests.find((r) => r.path === '/v1/images/variations')!;
	const image = req.parts!.find((p) => p.name === 'image')!;
	expect(image.sha256).toBe(sha(fixtures.png));
	expect(req.parts!.find((p) => p.name === 'n')!.value).toBe('2');
});
