/**
 * The validating mock of OpenAI's spec (../shared/openai-spec): a request that breaks the spec is
 * answered 422 with the violations, which the node turns into an error the test sees.
 */
import { spawn } from 'child_process';
import { existsSync } from 'fs';
import { createServer } from 'net';
import { join, resolve } from 'path';

export const SPEC = resolve(__dirname, '../../../shared/openai-spec/openai.v1.yaml');

async function freePort(): Promise<number> {
	return await new Promise((done, fail) => {
		const server = createServer();
		server.once('error', fail);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => done(port));
		});
	});
}

export interface Prism {
	/** Base URL with /v1, for the credential. */
	baseUrl: string;
	stop(): Promise<void>;
}

export async function startPrism(spec = SPEC): Promise<Prism> {
	if (!existsSync(spec)) throw new Error(`OpenAI spec not found at ${spec} (../shared beside the repo)`);
	const port = await freePort();
	const bin = join(__dirname, '../../node_modules/.bin/prism');
	const child = spawn(bin, ['mock', spec, '-h', '127.0.0.1', '-p', String(port)], {
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	let log = '';
	child.stdout!.on('data', (chunk) => (log += chunk));
	child.stderr!.on('data', (chunk) => (log += chunk));
	const stop = async () => {
		if (child.exitCode !== null) return;
		const exited = new Promise((done) => child.once('exit', done));
		try {
			process.kill(-child.pid!, 'SIGTERM');
		} catch {
			// already gone
		}
		await exited;
	};
	const deadline = Date.now() + 60_000;
	while (!/Prism is listening/.test(log)) {
		if (child.exitCode !== null || Date.now() > deadline) {
			await stop();
			throw new Error(`Prism did not start:\n${log}`);
		}
		await new Promise((done) => setTimeout(done, 100));
	}
	return { baseUrl: `http://127.0.0.1:${port}/v1`, stop };
}
