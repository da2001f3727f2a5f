#!/usr/bin/env node
'use strict';
/**
 * AIConnect in n8n queue mode: Redis (the OS package's redis-server) on 127.0.0.1, one `n8n start` main and two
 * `n8n worker` processes sharing one user folder (sqlite database, encryption key, binary store), and a batch of
 * production webhook calls. The main receives each call and queues it; the workers run it: Chat → Speech, and the
 * webhook answers with the audio file. Checks that every execution succeeded, that both workers ran some, and
 * that the audio bytes (in the webhook answer and in n8n's binary store) are exactly what the provider sent.
 *
 *   npm run test:queue                      # builds, then runs (about a minute when n8n is installed)
 *   node test/queue/queue-mode.js [--no-build | --tgz <package.tgz>] [--binary-mode database|filesystem] [--calls 20] [--keep]
 *
 * Ends with "N passed, N failed"; exit code 1 when anything failed. Everything it starts is stopped by PID,
 * also when a check fails or it is interrupted.
 */
const { createHash, randomBytes, randomUUID } = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const harness = require('../../harness/n8n');
const { sleep } = require('../../harness/processes');
const { aiconnect, chain, node } = require('../../harness/workflows');
const { startProvider } = require('../../dev/provider/server');
const { startRedis, startWorker } = require('./processes');
const { scanFiles, scanText, allExecutionsText } = require('../support/secret-scan');

// Run from jest (test/e2e/queue-mode.e2e.test.ts) this inherits NODE_ENV=test, which makes n8n skip its
// production paths (`n8n worker` even exits at once); every n8n here must run as in production.
delete process.env.NODE_ENV;

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name, fallback) => {
	const i = args.indexOf(`--${name}`);
	return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
// n8n's own default in queue mode; filesystem also works here because main and workers share a disk.
const BINARY_MODE = option('binary-mode', process.env.AICONNECT_QUEUE_BINARY_MODE || 'database');
const CALLS = Number(option('calls', '20'));
// Each worker takes at most this many jobs at once, so a burst of calls has to spread over both.
const WORKER_CONCURRENCY = 3;
const KEY = `sk-aiconnect-queue-${randomBytes(12).toString('hex')}`;
const WEBHOOK_PATH = `aiconnect-queue-${randomBytes(4).toString('hex')}`;

const t0 = Date.now();
const log = (m) => process.stderr.write(`[queue ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}\n`);
const sha = (b) => createHash('sha256').update(b).digest('hex');

const results = [];
function check(name, ok, detail = '') {
	results.push({ name, ok: !!ok, detail });
	process.stdout.write(`${ok ? 'PASS' : 'FAIL'}  ${name}${detail ? ` — ${detail}` : ''}\n`);
}

/**
 * The first output item of a node; throws with the node's error when it failed, and when it did not run.
 * @param {Record<string, any[]>} runData
 * @param {string} nodeName
 */
function firstItem(runData, nodeName) {
	const item = (harness.nodeItems(runData, nodeName) || [])[0];
	if (!item) throw new Error(`node "${nodeName}" has no output item`);
	return item;
}

/** @param {{ status: number, body: Buffer } | undefined} call */
const describeCall = (call) => (call ? `${call.status} ${call.body.toString('utf8').slice(0, 200)}` : 'none');

// Ctrl-C / kill: exit normally so the harness's and support's exit hooks kill every process group we started.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

function workflow() {
	// lastNode + firstEntryBinary: the caller gets the audio file itself, straight from the execution.
	const webhook = node(
		'Webhook',
		'n8n-nodes-base.webhook',
		2,
		{ httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'lastNode', responseData: 'firstEntryBinary', options: {} },
		{ webhookId: randomUUID() },
	);
	const chat = aiconnect(
		{
			resource: 'chat',
			operation: 'complete',
			model: 'gpt-4o-mini',
			prompt: { messages: [{ role: 'user', content: '={{ $json.body.text }}' }] },
			simplify: true,
			options: {},
		},
		'Chat',
	);
	const speech = aiconnect(
		{ resource: 'audio', operation: 'speech', model: 'tts-1', input: '={{ $json.content }}', voice: 'alloy', options: { responseFormat: 'wav' } },
		'Speech',
	);
	return chain('AIConnect queue mode', [webhook, chat, speech], { saveDataSuccessExecution: 'all', saveManualExecutions: true });
}

/** What the provider answers for this speech request, asked directly: the bytes n8n must hand back unchanged. */
async function expectedAudio(provider, input) {
	const res = await fetch(`${provider.baseUrl}/audio/speech`, {
		method: 'POST',
		headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
		body: JSON.stringify({ model: 'tts-1', input, voice: 'alloy', response_format: 'wav' }),
	});
	if (!res.ok) throw new Error(`provider /audio/speech → ${res.status}`);
	return Buffer.from(await res.arrayBuffer());
}

/** Execution ids each worker's log says it ran ("Worker started execution 12 (job 3)"). */
function executionsByWorker(worker) {
	const text = fs.existsSync(worker.logFile) ? fs.readFileSync(worker.logFile, 'utf8') : '';
	return new Set([...text.matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]));
}

async function main() {
	const timings = {};
	const n8n = await harness.ensureN8n({ log });
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aiconnect-queue-'));
	const userFolder = path.join(root, 'n8n');
	/** @type {Array<[string, () => Promise<void>]>} run in reverse order in finally */
	const stops = [];
	let provider;
	try {
		let mark = Date.now();
		// --tgz: an already packed package (the e2e suite passes the one its global setup made).
		const tgz = option('tgz') || (await harness.packPackage({ log, build: !flag('no-build'), dest: path.join(root, 'pack') }));
		await harness.installPackage(userFolder, { tgz, log });
		timings.install = Date.now() - mark;

		mark = Date.now();
		const redis = await startRedis({ dir: path.join(root, 'redis') });
		stops.push(['redis', redis.stop]);
		log(`redis-server pid ${redis.pid} on 127.0.0.1:${redis.port}`);
		// Latency makes jobs overlap, so both workers are busy at once rather than one taking everything.
		provider = await startProvider({ port: 0, apiKey: KEY, latencyMs: 150 });

		const queueEnv = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			// Two tests on one machine must not share queues even if they share a Redis.
			QUEUE_BULL_PREFIX: `aiconnect-${randomBytes(3).toString('hex')}`,
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			N8N_LOG_LEVEL: 'debug',
		};
		// The main first: it creates and migrates the database the workers then open.
		const main = await harness.startN8n({ userFolder, n8n, binaryMode: BINARY_MODE, env: queueEnv, log });
		stops.push(['main', main.stop]);
		log(`main pid ${main.pid} at ${main.url} (EXECUTIONS_MODE=queue, binary mode ${BINARY_MODE}, sqlite)`);
		const workers = await Promise.all(
			['worker-1', 'worker-2'].map((name) => startWorker({ n8n, userFolder, name, binaryMode: BINARY_MODE, env: queueEnv, concurrency: WORKER_CONCURRENCY })),
		);
		for (const w of workers) stops.push([`worker pid ${w.pid}`, w.stop]);
		log(`workers pid ${workers.map((w) => w.pid).join(', ')} ready`);
		timings.start = Date.now() - mark;

		const client = new harness.N8nClient(main.url);
		await client.setupOwner();
		const credential = await client.createCredential({ name: 'AIConnect queue', data: { apiKey: KEY, baseUrl: provider.baseUrl, organizationId: '', extraHeaders: '' } });
		const saved = await client.importWorkflow(workflow(), { credentials: credential });
		await client.activateWorkflow(saved);

		// The batch: all calls at once; each text differs, so each answer can be matched to its call.
		mark = Date.now();
		const texts = Array.from({ length: CALLS }, (_, i) => `queue call ${i} ${randomBytes(3).toString('hex')}`);
		const calls = await Promise.all(
			texts.map(async (text) => {
				try {
					const res = await fetch(`${main.url}/webhook/${WEBHOOK_PATH}`, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify({ text }),
						signal: AbortSignal.timeout(120000),
					});
					return { text, status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
				} catch (e) {
					return { text, status: 0, type: '', body: Buffer.from(String(e.message)) };
				}
			}),
		);
		timings.batch = Date.now() - mark;

		const ok = calls.filter((c) => c.status === 200);
		check(`${CALLS} production webhook calls answered 200`, ok.length === CALLS, `${ok.length}/${CALLS}${ok.length < CALLS ? `; first failure: ${describeCall(calls.find((c) => c.status !== 200))}` : ''}`);

		// Each answer is the WAV the provider made for "Echo: <that call's text>", byte for byte.
		let same = 0;
		const expected = new Map();
		for (const c of calls) {
			const audio = await expectedAudio(provider, `Echo: ${c.text}`);
			expected.set(c.text, audio);
			if (c.status === 200 && sha(c.body) === sha(audio)) same++;
		}
		check('webhook answers are the provider\'s audio, byte for byte', same === CALLS, `${same}/${CALLS} identical (WAV, ${expected.get(texts[0]).length} bytes for call 0)`);

		// Executions as n8n stored them.
		const list = (await client.listExecutions(saved.id)).filter((e) => e.mode === 'webhook');
		const finished = [];
		for (const e of list) finished.push(await client.waitForExecution(e.id, { timeoutMs: 30000 }));
		const succeeded = finished.filter((r) => r.status === 'success');
		check(`all ${CALLS} executions stored as success`, list.length === CALLS && succeeded.length === CALLS, `${succeeded.length} success of ${list.length} stored${finished.filter((r) => r.status !== 'success').map((r) => `; #${r.execution.id} ${r.status}: ${r.error && r.error.message}`).join('')}`);

		let chatOk = 0;
		let binaryOk = 0;
		let binaryIds = new Set();
		for (const r of succeeded) {
			const text = r.runData.Webhook && firstItem(r.runData, 'Webhook').json.body.text;
			const chatItem = firstItem(r.runData, 'Chat');
			if (chatItem && chatItem.json.content === `Echo: ${text}`) chatOk++;
			const binary = firstItem(r.runData, 'Speech').binary?.data;
			if (binary && binary.id) {
				binaryIds.add(binary.id.split(':')[0]);
				const stored = await client.binaryData(binary.id);
				if (expected.has(text) && sha(stored) === sha(expected.get(text))) binaryOk++;
			}
		}
		check('Chat output matches each call\'s own text (no state shared between executions)', chatOk === CALLS, `${chatOk}/${CALLS}`);
		check(`stored Speech binaries (${[...binaryIds].join(', ') || 'no id'}) match the provider's bytes`, binaryOk === CALLS, `${binaryOk}/${CALLS} identical via /rest/binary-data`);

		// Which worker ran what, from the workers' own logs; the main runs none of them in queue mode.
		const ids = new Set(list.map((e) => String(e.id)));
		const perWorker = workers.map(executionsByWorker);
		const covered = new Set([...perWorker[0], ...perWorker[1]].filter((id) => ids.has(id)));
		const mainRan = /Worker started execution/.test(main.output());
		check('both workers executed some', perWorker.every((s) => [...s].some((id) => ids.has(id))), `worker-1 ran ${[...perWorker[0]].filter((id) => ids.has(id)).length}, worker-2 ran ${[...perWorker[1]].filter((id) => ids.has(id)).length}`);
		check('every execution ran on a worker, none twice, none on the main', covered.size === ids.size && [...perWorker[0]].every((id) => !perWorker[1].has(id)) && !mainRan, `${covered.size}/${ids.size} found in worker logs`);

		// The key in none of what three processes stored or logged.
		await sleep(500);
		const files = scanFiles([KEY], [userFolder]);
		const rest = scanText([KEY], (await allExecutionsText(client)).text, 'REST');
		check('API key in no stored data or log (main, workers, database, binaries, REST)', files.hits.length === 0 && rest.hits.length === 0, `${files.files} files, ${files.bytes} bytes searched; hits: ${[...files.hits, ...rest.hits].map((h) => path.basename(h.file)).join(', ') || 'none'}`);

		timings.checks = Date.now() - mark - timings.batch;
		log(`install ${(timings.install / 1000).toFixed(1)} s, start redis+main+2 workers ${(timings.start / 1000).toFixed(1)} s, ${CALLS} calls ${(timings.batch / 1000).toFixed(1)} s, checks ${(timings.checks / 1000).toFixed(1)} s`);
		if (flag('keep')) log(`keeping ${root}`);
	} catch (e) {
		check('queue-mode run completed', false, e.stack || e.message);
	} finally {
		for (const [name, stop] of stops.reverse()) {
			try {
				await stop();
			} catch (e) {
				log(`stopping ${name}: ${e.message}`);
			}
		}
		if (provider) await provider.close();
		// Kept for reading on failure; the logs are where the reason is.
		try {
			const artifacts = path.join(harness.REPO_ROOT, 'test-artifacts', 'queue-mode');
			fs.rmSync(artifacts, { recursive: true, force: true }); // only this run's logs
			fs.mkdirSync(artifacts, { recursive: true });
			for (const f of fs.readdirSync(userFolder).filter((f) => f.endsWith('.log'))) fs.copyFileSync(path.join(userFolder, f), path.join(artifacts, f));
		} catch {
			/* nothing to keep */
		}
		if (!flag('keep')) fs.rmSync(root, { recursive: true, force: true });
	}
	const passed = results.filter((r) => r.ok).length;
	process.stdout.write(`\nqueue mode (n8n ${n8n.version}, ${BINARY_MODE} binary data, sqlite, ${CALLS} calls): ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
	process.stdout.write(`${passed} passed, ${results.length - passed} failed\n`);
	return results.length - passed === 0;
}

if (require.main === module) {
	main().then(
		(ok) => process.exit(ok ? 0 : 1),
		(e) => {
			process.stderr.write(`${e.stack || e}\n`);
			process.exit(1);
		},
	);
}

module.exports = { main };
