// Starts the real whisper.cpp whisper-server (built by build.ts) on 127.0.0.1 with the tiny model from model.ts,
// serving one OpenAI-style path, and stops it by PID.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePort } from '../../harness/n8n';
import type { Log } from '../../harness/n8n';
import { ensureWhisperServer } from './build';
import { tinyWhisperModel } from './model';

export interface WhisperServer {
	/** Base URL for an AIConnect credential, e.g. http://127.0.0.1:PORT/v1 */
	baseUrl: string;
	pid: number;
	/** what the server printed (stdout and stderr), for failure messages */
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
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aiconnect-whisper-model-'));
	modelFile = path.join(dir, 'ggml-tiny-test.bin');
	fs.writeFileSync(modelFile, tinyWhisperModel());
	process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
	return modelFile;
}

export async function startWhisperServer({ inferencePath, log }: WhisperServerOptions): Promise<WhisperServer> {
	const { bin } = await ensureWhisperServer({ log });
	const port = await freePort();
	const args = ['--model', tinyModelFile(), '--host', '127.0.0.1', '--port', String(port), '--request-path', '/v1', '--inference-path', inferencePath];
	// One thread: the model is tiny, and CI machines are small and shared.
	args.push('--threads', '1');
	const child = spawn(bin, args, { cwd: os.tmpdir(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	let printed = '';
	const keep = (d: Buffer) => (printed = (printed + d.toString('utf8')).slice(-20000));
	child.stdout!.on('data', keep);
	child.stderr!.on('data', keep);
	let exited = false;
	const exit = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));
	const signal = (sig: NodeJS.Signals) => {
		try {
			process.kill(-child.pid!, sig);
		} catch {
			/* already gone */
		}
	};
	const close = async () => {
		if (exited) return;
		signal('SIGTERM');
		const force = setTimeout(() => signal('SIGKILL'), 5000);
		await exit;
		clearTimeout(force);
	};

	const baseUrl = `http://127.0.0.1:${port}/v1`;
	// The model loads before the port opens, so the first answer from /health means ready.
	for (const until = Date.now() + READY_TIMEOUT_MS; ; ) {
		if (exited) throw new Error(`whisper-server exited before answering:\n${printed}`);
		try {
			const res = await fetch(`${baseUrl}/health`);
			if (res.ok) break;
		} catch {
			/* not listening yet */
		}
		if (Date.now() > until) {
			await close();
			throw new Error(`whisper-server did not answer within ${READY_TIMEOUT_MS / 1000} s:\n${printed}`);
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	return { baseUrl, pid: child.pid!, output: () => printed, close };
}
