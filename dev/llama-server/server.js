'use strict';
/**
 * Starts the real llama.cpp llama-server (built by build.js) on 127.0.0.1 with the tiny model from model.js, and
 * stops it by PID. Used by the end-to-end test (test/e2e/llama-server.e2e.test.ts) and the bench (bench/llama-*.js).
 * Node built-ins and the harness only.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { freePort, spawnGroup, waitUntil } = require('../../harness/processes');
const { ensureLlamaServer } = require('./build');
const { tinyLlamaModel } = require('./model');

/** Loading a 16 MB model takes well under a second on a free machine; a busy one is slower. */
const READY_TIMEOUT_MS = 120000;

/**
 * @typedef {object} LlamaServer
 * @property {string} baseUrl Base URL for an AIConnect credential, e.g. http://127.0.0.1:PORT/v1
 * @property {string} origin http://127.0.0.1:PORT, for llama-server's own routes (/health, /slots, /props)
 * @property {string} modelFile the model's path, which llama-server gives as the model ID
 * @property {number} pid
 * @property {() => string} output what the server printed (the last 64 KB of stdout and stderr)
 * @property {() => Promise<void>} close
 */

/**
 * @typedef {object} LlamaServerOptions
 * @property {'deepseek' | 'none' | 'auto'} [reasoningFormat] --reasoning-format (llama-server's default: auto)
 * @property {number} [parallel] --parallel: slots, requests decoded at once (default 1)
 * @property {number} [ctxSize] --ctx-size: the context shared by all slots (default 2048)
 * @property {boolean} [embeddings] --embeddings --pooling mean: /v1/embeddings answers
 * @property {number} [batchSize] --batch-size and --ubatch-size: the most tokens one input may have for embeddings
 * @property {string} [apiKey] --api-key: requests without `Authorization: Bearer <key>` get 401
 * @property {string[]} [extraArgs]
 * @property {import('../../harness/n8n').Log} [log]
 */

/** @type {string | undefined} */
let modelFile;
/** @type {number | undefined} */
let modelMs;
/**
 * Writes the tiny model once per process into a temp folder (deterministic bytes, so once is enough).
 * @param {{ vocabFile: string, templateFile: string }} sources
 */
function tinyModelFile(sources) {
	if (modelFile && fs.existsSync(modelFile)) return modelFile;
	// Under a test run's own temporary folder when there is one (its teardown removes it; exit handlers may not run).
	const dir = fs.mkdtempSync(path.join(process.env.AICONNECT_TEST_TMP || os.tmpdir(), 'aiconnect-llama-model-'));
	const started = Date.now();
	const file = path.join(dir, 'tiny-qwen3.gguf');
	fs.writeFileSync(file, tinyLlamaModel(sources));
	modelMs = Date.now() - started;
	process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
	modelFile = file;
	return file;
}

/** Milliseconds the tiny model took to generate in this process (undefined before the first server). */
const modelGenerationMs = () => modelMs;

/**
 * @param {LlamaServerOptions} [options]
 * @returns {Promise<LlamaServer>}
 */
async function startLlamaServer({ reasoningFormat, parallel = 1, ctxSize = 2048, embeddings = false, batchSize, apiKey, extraArgs = [], log } = {}) {
	const build = await ensureLlamaServer(log ? { log } : {});
	const model = tinyModelFile(build);
	const port = await freePort();
	const args = ['--model', model, '--host', '127.0.0.1', '--port', String(port), '--ctx-size', String(ctxSize), '--parallel', String(parallel)];
	// One thread: the model is tiny, and CI machines are small and shared.
	args.push('--threads', '1', '--threads-batch', '1', '--no-webui');
	if (reasoningFormat) args.push('--reasoning-format', reasoningFormat);
	if (embeddings) args.push('--embeddings', '--pooling', 'mean');
	if (batchSize) args.push('--batch-size', String(batchSize), '--ubatch-size', String(batchSize));
	if (apiKey) args.push('--api-key', apiKey);
	args.push(...extraArgs);
	const server = spawnGroup(build.bin, args, { cwd: os.tmpdir() });
	const close = () => server.stop(5000);
	const origin = `http://127.0.0.1:${port}`;
	try {
		// /health answers 503 while the model loads and 200 once it is ready (it needs no API key).
		await waitUntil(async () => (await fetch(`${origin}/health`)).ok, { timeoutMs: READY_TIMEOUT_MS, intervalMs: 100, isDead: server.isDead, what: 'llama-server' });
	} catch (e) {
		await close();
		throw new Error(`${/** @type {Error} */ (e).message} (${server.exitInfo() || 'still running'}):\n${server.output()}`);
	}
	return { baseUrl: `${origin}/v1`, origin, modelFile: model, pid: server.pid, output: server.output, close };
}

module.exports = { startLlamaServer, modelGenerationMs };
