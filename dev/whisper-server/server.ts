// Starts the real whisper.cpp whisper-server (built by build.ts) on 127.0.0.1 with the tiny model from model.ts,
// serving one OpenAI-style path, and stops it by PID.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Log } from '../../harness/n8n';
import { freePort, spawnGroup, waitUntil } from '../../harness/processes';
import { ensureWhisperServer } from './build';
import { tinyWhisperModel } from './model';

export interface WhisperServer {
	/** Base URL for an AIConnect credential, e.g. http://127.0.0.1:PORT/v1 */
	baseUrl: string;
	pid: number;
	/** what the server printed (the last 64 KB of stdout and stderr; whisper.cpp logs each request to stderr) */
	output(): string;
	close(): Promise<void>;
}

export interface WhisperServerOptions {
	/**
	 * The one path whisper-server answers (it has a single inference route): `/audio/transcriptions` or
	 * `/audio/translations`, under `/v1` — how users put it behind an OpenAI-compatible Base URL.
	 */
	inferencePath: '/audio/transcriptions' | '/audio/translations';
	log?: Log;
}

const READY_TIMEOUT_MS = 30000;

/** Writes the tiny model once per process into a temp folder (deterministic bytes, so once is enough). */
let modelFile: string | undefined;
function tinyModelFile(): string {
	if (modelFile && fs.existsSync(modelFile)) return modelFile;
	// Under a test run's own temporary folder when there is one (its teardown removes it; exit handlers may not run).
	const dir = fs.mkdtempSync(path.join(process.env.AICONNECT_TEST_TMP || os.tmpdir(), 'aiconnect-whisper-model-'));
	modelFile = path.join(dir, 'ggml-tiny-test.bin');
	fs.writeFileSync(modelFile, tinyWhisperModel());
	process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
	return modelFile;
}

export async function startWhisperServer({ inferencePath, log }: WhisperServerOptions): Promise<WhisperServer> {
	const { bin } = await ensureWhisperServer({ log });
	const port = await freePort();
	const server = spawnGroup(
		bin,
		// One thread: the model is tiny, and CI machines are small and shared.
		['--model', tinyModelFile(), '--host', '127.0.0.1', '--port', String(port), '--request-path', '/v1', '--inference-path', inferencePath, '--threads', '1'],
		{ cwd: os.tmpdir() },
	);
	const close = () => server.stop(5000);
	const baseUrl = `http://127.0.0.1:${port}/v1`;
	try {
		// The model loads before the port opens, so the first answer from /health means ready.
		await waitUntil(async () => (await fetch(`${baseUrl}/health`)).ok, {
			timeoutMs: READY_TIMEOUT_MS,
			intervalMs: 100,
			isDead: server.isDead,
			what: 'whisper-server',
		});
	} catch (e) {
		await close();
		throw new Error(`${(e as Error).message} (${server.exitInfo() || 'still running'}):\n${server.output()}`);
	}
	return { baseUrl, pid: server.pid, output: server.output, close };
}
