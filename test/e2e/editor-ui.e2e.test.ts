// The Editor UI in Debian's chromium (playwright-core, no downloaded browser): AIConnect is found in the nodes
// panel, its icon renders, the Chat/Image/Audio panels open and the Model dropdown fills from the provider.
// Screenshots go to test-artifacts/.
import * as fs from 'fs';
import * as path from 'path';
import { chromium, Browser, Page } from 'playwright-core';
import { OWNER } from '../../harness/n8n';
import { aiconnect } from './support/workflows';
import { e2eContext, E2EContext, n8nUrl } from './support/n8n-session';

const CHROMIUM = process.env.AICONNECT_CHROMIUM || '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts');
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let ctx: E2EContext;
let browser: Browser | undefined;
let page: Page;
let workflowId: string;

beforeAll(async () => {
	if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install chromium) or set AICONNECT_CHROMIUM`);
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	ctx = await e2eContext();
	const nodes = [
		aiconnect({ resource: 'chat', operation: 'complete', model: 'gpt-4o-mini', prompt: { messages: [{ role: 'user', content: 'Hello' }] } }, 'Chat'),
		aiconnect({ resource: 'image', operation: 'create', model: 'dall-e-3', prompt: 'A lighthouse' }, 'Image'),
		aiconnect({ resource: 'audio', operation: 'speech', model: 'tts-1', input: 'Hello' }, 'Audio'),
	];
	nodes.forEach((n, i) => (n.position = [200 + i * 300, 200]));
	workflowId = (await ctx.n8n.importWorkflow({ name: 'E2E Editor UI', nodes, connections: {} }, { credentials: ctx.credential })).id;

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

const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `editor-${name}.png`) });

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
	// A fresh page each time, so one failed panel cannot leave a dialog over the next test.
	await page.goto(`${n8nUrl()}/workflow/${workflowId}`);
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).dblclick();
	const ndv = page.locator('[data-test-id="ndv"]');
	await ndv.waitFor({ state: 'visible', timeout: 15000 });
	// Select inputs hold the shown label as their value.
	await expect(ndv.locator('[data-test-id="parameter-input-resource"] input').first().inputValue()).resolves.toBe(name);
	await expect(ndv.locator('[data-test-id="parameter-input-operation"] input').first().inputValue()).resolves.toBe(operation);

	await ndv.locator('[data-test-id="parameter-input-model"]').click();
	// llama3.2:3b only exists in the provider's /models answer, so seeing it proves the list was loaded.
	const option = page.locator('.el-select-dropdown__item:visible, [role="option"]:visible', { hasText: 'llama3.2:3b' }).first();
	await option.waitFor({ state: 'visible', timeout: 15000 });
	await shot(name.toLowerCase());
	expect(ctx.provider.requests.some((r) => r.path === '/v1/models')).toBe(true);

	await page.keyboard.press('Escape'); // closes the dropdown
	await page.locator('[data-test-id="ndv-close-button"]').click();
	await ndv.waitFor({ state: 'hidden', timeout: 10000 });
});
