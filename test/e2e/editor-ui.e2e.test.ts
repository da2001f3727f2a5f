// The Editor UI in Debian's chromium (playwright-core, no downloaded browser): AIConnect is found in the nodes
// panel, its icon renders, the Chat/Image/Audio panels open and the Model dropdown fills from the provider, and a
// node executed from its panel shows its output (a chat answer; an image with its binary preview).
// Screenshots go to test-artifacts/, each taken once the editor has settled (no animation running, no spinner,
// no toast); docs/editor-chat.png and docs/editor-image.png in the README are copies of two of them.
import * as fs from 'fs';
import * as path from 'path';
import { chromium, Browser, Locator, Page } from 'playwright-core';
import { OWNER } from '../../harness/n8n';
import { aiconnect, manualTrigger } from './support/workflows';
import { e2eContext, E2EContext, n8nUrl } from './support/n8n-session';

const CHROMIUM = process.env.AICONNECT_CHROMIUM || '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts');
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

// Element Plus's loading mask and spinning icons, and n8n's own "…-loading" placeholders.
const LOADING = '.el-loading-mask, .is-loading, [data-test-id$="-loading"]';

let ctx: E2EContext;
let browser: Browser | undefined;
let page: Page;
let workflowId: string;

beforeAll(async () => {
	if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install chromium) or set AICONNECT_CHROMIUM`);
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	ctx = await e2eContext();
	const trigger = manualTrigger();
	const nodes = [
		aiconnect(
			{ resource: 'chat', operation: 'complete', model: 'gpt-4o-mini', prompt: { messages: [{ role: 'system', content: 'Answer in one sentence.' }, { role: 'user', content: 'What is n8n?' }] }, simplify: true, options: {} },
			'Chat',
		),
		aiconnect({ resource: 'image', operation: 'create', model: 'dall-e-2', prompt: 'A lighthouse at dusk', n: 1, size: '256x256', responseFormat: 'url', simplify: true, options: { binaryPropertyOutput: 'data' } }, 'Image'),
		aiconnect({ resource: 'audio', operation: 'speech', model: 'tts-1', input: 'Hello' }, 'Audio'),
	];
	trigger.position = [0, 300];
	nodes.forEach((n, i) => (n.position = [300, 100 + i * 200]));
	const connections = { [trigger.name]: { main: [nodes.map((n) => ({ node: n.name, type: 'main', index: 0 }))] } };
	workflowId = (await ctx.n8n.importWorkflow({ name: 'E2E Editor UI', nodes: [trigger, ...nodes], connections }, { credentials: ctx.credential })).id;

	browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	page = await context.newPage();
	// Logging in through the API shares the auth cookie with the page (same browser context).
	const login = await page.request.post(`${n8nUrl()}/rest/login`, { data: { emailOrLdapLoginId: OWNER.email, password: OWNER.password } });
	expect(login.status()).toBe(200);
}, 120000);

afterAll(async () => {
	await browser?.close();
	await ctx?.close();
});

/**
 * Waits until the editor is still: toasts closed, no loading spinner, no CSS animation or transition running (a
 * dropdown fading in is drawn half over the fields until its transition ends).
 */
async function settle() {
	for (const close of await page.locator('.el-notification__closeBtn').all()) await close.click().catch(() => undefined);
	await page.locator('.el-notification').first().waitFor({ state: 'detached', timeout: 10000 });
	await page.waitForFunction(
		(selector) => Array.from(document.querySelectorAll<HTMLElement>(selector)).every((e) => e.offsetParent === null),
		LOADING,
		{ timeout: 15000 },
	);
	await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), undefined, { timeout: 10000 });
}

const shot = async (name: string) => {
	await settle();
	await page.screenshot({ path: path.join(ARTIFACTS, `editor-${name}.png`) });
};

async function openNode(name: string): Promise<Locator> {
	// A fresh page each time, so one failed panel cannot leave a dialog over the next test.
	await page.goto(`${n8nUrl()}/workflow/${workflowId}`);
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).dblclick();
	const ndv = page.locator('[data-test-id="ndv"]');
	await ndv.waitFor({ state: 'visible', timeout: 15000 });
	return ndv;
}

test('the nodes panel finds AIConnect by name', async () => {
	await page.goto(`${n8nUrl()}/workflow/new`);
	await page.locator('[data-test-id="node-creator-plus-button"]').click();
	const search = page.locator('input[data-test-id="node-creator-search-bar"], [data-test-id="node-creator-search-bar"] input').first();
	await search.fill('AIConnect');
	const item = page.locator('[data-test-id="node-creator-item-name"]', { hasText: 'AIConnect' }).first();
	await item.waitFor({ state: 'visible', timeout: 15000 });
	await shot('node-search');
	expect(await item.innerText()).toContain('AIConnect');
});

test('the node icon renders on the canvas', async () => {
	await page.goto(`${n8nUrl()}/workflow/${workflowId}`);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 30000 });
	await page.waitForFunction(
		() => Array.from(document.querySelectorAll('img')).filter((i) => i.src.includes('/icons/n8n-nodes-aiconnect/') && i.complete && i.naturalWidth > 0).length >= 3,
		undefined,
		{ timeout: 15000 },
	);
	await shot('canvas');
});

test.each([
	['Chat', 'Complete'],
	['Image', 'Create'],
	['Audio', 'Speech'],
])('the %s panel opens and its Model dropdown lists the provider models', async (name, operation) => {
	ctx.provider.clearRequests();
	const ndv = await openNode(name);
	// Select inputs hold the shown label as their value.
	await expect(ndv.locator('[data-test-id="parameter-input-resource"] input').first().inputValue()).resolves.toBe(name);
	await expect(ndv.locator('[data-test-id="parameter-input-operation"] input').first().inputValue()).resolves.toBe(operation);

	await ndv.locator('[data-test-id="parameter-input-model"]').click();
	// llama3.2:3b only exists in the provider's /models answer, so seeing it proves the list was loaded.
	const option = page.locator('.el-select-dropdown__item:visible, [role="option"]:visible', { hasText: 'llama3.2:3b' }).first();
	await option.waitFor({ state: 'visible', timeout: 15000 });
	await shot(`${name.toLowerCase()}-models`);
	expect(ctx.provider.requests.some((r) => r.path === '/v1/models')).toBe(true);

	await page.keyboard.press('Escape'); // closes the dropdown
	await page.locator('[data-test-id="ndv-close-button"]').click();
	await ndv.waitFor({ state: 'hidden', timeout: 10000 });
});

test('Chat → Complete executed from its panel shows the answer beside the parameters', async () => {
	const ndv = await openNode('Chat');
	await ndv.locator('[data-test-id="node-execute-button"]').first().click();
	const output = ndv.locator('[data-test-id="output-panel"]');
	await output.locator('[data-test-id="radio-button-json"]').first().click();
	await output.getByText('Echo: What is n8n?').first().waitFor({ state: 'visible', timeout: 30000 });
	await shot('chat');
	// The JSON view spreads keys and values over lines with visible-space markers, so compare without whitespace.
	expect((await output.innerText()).replace(/[\s·]+/g, '')).toContain('"finish_reason":"stop"');
});

test('Image → Create executed from its panel previews the image from n8n\'s binary data', async () => {
	const ndv = await openNode('Image');
	await ndv.locator('[data-test-id="node-execute-button"]').first().click();
	const output = ndv.locator('[data-test-id="output-panel"]');
	await output.locator('[data-test-id="radio-button-binary"]').first().click({ timeout: 30000 });
	await output.locator('[data-test-id="ndv-view-binary-data"]').first().click();
	// The preview is an <img> served by n8n's binary-data endpoint; a decoded 256×256 PNG proves the bytes arrived.
	const preview = output.locator('img[src*="/rest/binary-data"]').first();
	await preview.waitFor({ state: 'visible', timeout: 15000 });
	await page.waitForFunction(
		() => {
			const img = document.querySelector<HTMLImageElement>('[data-test-id="output-panel"] img[src*="/rest/binary-data"]');
			return img !== null && img.complete && img.naturalWidth > 0;
		},
		undefined,
		{ timeout: 15000 },
	);
	// What the screen shows: the image decoded at the size asked for, and the colour the provider painted.
	const shown = await preview.evaluate((img: HTMLImageElement) => {
		const canvas = document.createElement('canvas');
		canvas.width = img.naturalWidth;
		canvas.height = img.naturalHeight;
		const g = canvas.getContext('2d')!;
		g.drawImage(img, 0, 0);
		return { width: img.naturalWidth, height: img.naturalHeight, centre: Array.from(g.getImageData(img.naturalWidth >> 1, img.naturalHeight >> 1, 1, 1).data) };
	});
	expect([shown.width, shown.height]).toEqual([256, 256]);
	expect(shown.centre[3]).toBe(255); // opaque: a painted pixel, not an empty or broken image
	await shot('image');
});
