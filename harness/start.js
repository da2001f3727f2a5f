#!/usr/bin/env node
'use strict';
/**
 * `npm start`: a working n8n with AIConnect installed, an owner account, an AIConnect credential and the
 * example workflows, at http://127.0.0.1:5678. Stays in the foreground; Ctrl-C stops everything.
 *
 * The credential points at a real provider when AICONNECT_BASE_URL (and usually AICONNECT_API_KEY) is set,
 * otherwise at the local fake provider (dev/provider) on port 8787.
 */
const fs = require('fs');
const path = require('path');
const harness = require('./n8n');
const { startProvider } = require('../dev/provider/server');
const { stepper } = require('../scripts/lib/steps');

const ROOT = harness.REPO_ROOT;
const USER_FOLDER = path.join(ROOT, '.n8n-dev'); // persistent between runs, gitignored
const N8N_PORT = Number(process.env.AICONNECT_N8N_PORT || 5678);
const PROVIDER_PORT = Number(process.env.AICONNECT_PROVIDER_PORT || 8787);
const CREDENTIAL_NAME = 'AIConnect account';
const EXAMPLES = path.join(ROOT, 'examples');

const log = (msg) => console.log(`[start] ${msg}`);

async function portFree(port) {
	const net = require('net');
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
}

/** Owner account, the credential (pointed at this run's provider) and the example workflows, imported once. */
async function prepareWorkspace(client, credentialData) {
	const owner = await client.setupOwner();

	// One credential, kept across runs (workflows refer to it) and pointed at this run's provider.
	const existing = (await client.get('/rest/credentials')).find((c) => c.name === CREDENTIAL_NAME && c.type === harness.CREDENTIAL_TYPE);
	const credential = existing
		? await client.request('PATCH', `/rest/credentials/${existing.id}`, { name: CREDENTIAL_NAME, type: harness.CREDENTIAL_TYPE, data: credentialData })
		: await client.createCredential({ name: CREDENTIAL_NAME, data: credentialData });

	// Examples are imported once; later runs keep the user's edits.
	const workflows = await client.get('/rest/workflows');
	const byName = new Map(workflows.map((w) => [w.name, w]));
	const imported = [];
	for (const file of fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.json')).sort()) {
		const workflow = JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'));
		let saved = byName.get(workflow.name);
		if (!saved) saved = await client.importWorkflow(workflow, { credentials: credential });
		imported.push({ file, name: workflow.name, id: saved.id, webhook: workflow.nodes.find((n) => n.type === 'n8n-nodes-base.webhook') });
	}
	// The chained example is webhook-driven: make its URL live so the curl line below works at once.
	for (const w of imported.filter((i) => i.webhook)) {
		const current = await client.get(`/rest/workflows/${w.id}`);
		if (!current.active) await client.activateWorkflow(current).catch((e) => log(`could not activate "${w.name}": ${e.message}`));
	}
	return { owner, imported };
}

async function main() {
	const started = Date.now();
	const step = stepper();
	/** @type {import('../dev/provider/server').Provider | undefined} */
	let provider;
	let n8n;
	let stopping = false;
	const stopAll = async (code) => {
		if (stopping) return;
		stopping = true;
		log('stopping…');
		if (n8n) await n8n.stop().catch(() => undefined);
		if (provider) await provider.close().catch(() => undefined);
		process.exit(code);
	};
	process.on('SIGINT', () => stopAll(0));
	process.on('SIGTERM', () => stopAll(0));
	process.on('SIGHUP', () => stopAll(0));

	try {
		if (!(await portFree(N8N_PORT))) {
			throw new Error(`port ${N8N_PORT} is already in use (another n8n or npm start?). Stop it, or set AICONNECT_N8N_PORT.`);
		}
		const install = await step('install n8n into its cache folder (first run only)', () => harness.ensureN8n({ log }));
		log(`n8n ${install.version} from ${install.dir}`);

		await step('build AIConnect and install it into .n8n-dev/.n8n/nodes (as a community package)', () => harness.installPackage(USER_FOLDER, { log }));

		const realBaseUrl = (process.env.AICONNECT_BASE_URL || '').trim();
		let credentialData;
		if (realBaseUrl) {
			credentialData = { apiKey: process.env.AICONNECT_API_KEY || '', baseUrl: realBaseUrl, organizationId: process.env.AICONNECT_ORGANIZATION_ID || '', extraHeaders: process.env.AICONNECT_EXTRA_HEADERS || '{}' };
		} else {
			if (!(await portFree(PROVIDER_PORT))) {
				throw new Error(`port ${PROVIDER_PORT} for the local provider is in use. Stop what uses it, or set AICONNECT_PROVIDER_PORT.`);
			}
			provider = await step(`start the local provider on port ${PROVIDER_PORT}`, () => startProvider({ port: PROVIDER_PORT }));
			credentialData = { apiKey: '', baseUrl: /** @type {import('../dev/provider/server').Provider} */ (provider).baseUrl, organizationId: '', extraHeaders: '{}' };
		}

		n8n = await step(`start n8n ${install.version} on port ${N8N_PORT}`, () => harness.startN8n({ userFolder: USER_FOLDER, port: N8N_PORT, n8n: install, log }));
		const client = new harness.N8nClient(n8n.url);
		const { owner, imported } = await step('owner account, credential and example workflows', () => prepareWorkspace(client, credentialData));

		const line = '─'.repeat(78);
		console.log(`\n${line}`);
		console.log(`  n8n with AIConnect is running: ${n8n.url}   (ready in ${Math.round((Date.now() - started) / 1000)} s)`);
		console.log(line);
		console.log(`  Sign in:     ${owner.email}  /  ${owner.password}`);
		if (realBaseUrl) {
			console.log(`  Credential:  "${CREDENTIAL_NAME}" → YOUR provider ${realBaseUrl}`);
			console.log(`               (AICONNECT_BASE_URL${process.env.AICONNECT_API_KEY ? ' + AICONNECT_API_KEY' : ', no API key set'}). Runs cost whatever your provider charges.`);
		} else {
			console.log(`  Credential:  "${CREDENTIAL_NAME}" → LOCAL FAKE provider ${provider && provider.baseUrl}`);
			console.log('               Deterministic test double, not a model: chat answers "Echo: <your text>", images are');
			console.log('               solid-colour PNGs, speech is a tone. For a real provider, restart with');
			console.log('               AICONNECT_BASE_URL=https://api.openai.com/v1 AICONNECT_API_KEY=sk-... npm start');
		}
		console.log('  Example workflows (open, then "Execute workflow"):');
		for (const w of imported) console.log(`    ${w.name.padEnd(58)} ${n8n.url}/workflow/${w.id}`);
		const hook = imported.find((i) => i.webhook);
		if (hook) {
			console.log(`  Voice note → spoken summary (active webhook):`);
			console.log(`    curl -F voice=@note.mp3 ${n8n.url}/webhook/${hook.webhook.parameters.path} -o summary.mp3`);
		}
		console.log(`  Data: ${path.relative(process.cwd(), USER_FOLDER) || USER_FOLDER} (delete it to start over)   Log: ${n8n.logFile}`);
		console.log('  Ctrl-C stops n8n' + (provider ? ' and the local provider.' : '.'));
		console.log(`${line}\n`);

		// n8n dying on its own ends this process too, with its last words.
		n8n.waitForExit().then(({ code, signal }) => {
			if (stopping) return;
			console.error(`n8n exited unexpectedly (${signal || `code ${code}`}); last output:\n${n8n.output().split('\n').slice(-30).join('\n')}`);
			stopAll(1);
		});
	} catch (e) {
		console.error(`\nnpm start failed: ${e.message}`);
		await stopAll(1);
	}
}

main();
