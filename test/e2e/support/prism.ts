// Prism (validating mock of ../shared/openai-spec/openai.v1.yaml) behind a small recording proxy, so a test
// can see every status Prism answered, 422 (request violates the spec) above all.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { freePort, REPO_ROOT } from '../../../harness/n8n';

export const SPEC = path.resolve(REPO_ROOT, '..', 'shared', 'openai-spec', 'openai.v1.yaml');

export interface PrismExchange {
	method: string;
	path: string;
	status: number;
	/** Prism's answer for 4xx (its list of violations for 422) */
	body?: string;
}

export interface Prism {
	/** Base URL for the credential, through the recording proxy */
	baseUrl: string;
	exchanges: PrismExchange[];
	output(): string;
	close(): Promise<void>;
}

export async function startPrism(): Promise<Prism> {
	if (!fs.existsSync(SPEC)) throw new Error(`OpenAI spec not found at ${SPEC} (../shared must sit beside the repo)`);
	const prismPort = await freePort();
	const cli = require.resolve('@stoplight/prism-cli/dist/index.js', { paths: [REPO_ROOT] });
	const child = spawn(process.execPath, [cli, 'mock', SPEC, '-h', '127.0.0.1', '-p', String(prismPort)], {
		cwd: REPO_ROOT,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let log = '';
	child.stdout!.on('data', (d) => (log += d));
	child.stderr!.on('data', (d) => (log += d));
	let exited = false;
	const exit = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));
	const killPrism = async () => {
		if (!exited) {
			try {
				process.kill(-child.pid!, 'SIGTERM');
			} catch {
				/* gone */
			}
			const t = setTimeout(() => {
				try {
					process.kill(-child.pid!, 'SIGKILL');
				} catch {
					/* gone */
				}
			}, 5000);
			await exit;
			clearTimeout(t);
		}
	};

	const exchanges: PrismExchange[] = [];
	const proxy = http.createServer((req, res) => {
		const upstream = http.request(
			{ host: '127.0.0.1', port: prismPort, method: req.method, path: req.url, headers: req.headers },
			(answer) => {
				const chunks: Buffer[] = [];
				answer.on('data', (c) => chunks.push(c));
				answer.on('end', () => {
					const body = Buffer.concat(chunks);
					const status = answer.statusCode ?? 0;
					exchanges.push({ method: req.method!, path: req.url!, status, body: status >= 400 ? body.toString('utf8') : undefined });
					res.writeHead(status, answer.headers);
					res.end(body);
				});
			},
		);
		upstream.on('error', (e) => {
			exchanges.push({ method: req.method!, path: req.url!, status: 599, body: e.message });
			res.destroy();
		});
		req.pipe(upstream);
	});
	await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
	const proxyPort = (proxy.address() as { port: number }).port;
	const close = async () => {
		await new Promise<void>((resolve) => {
			proxy.closeAllConnections();
			proxy.close(() => resolve());
		});
		await killPrism();
	};

	// Ready when it answers a valid request (first start compiles the spec: a few seconds).
	const until = Date.now() + 60000;
	for (;;) {
		if (exited) {
			await close();
			throw new Error(`prism exited:\n${log}`);
		}
		try {
			const res = await fetch(`http://127.0.0.1:${prismPort}/v1/models`, { headers: { authorization: 'Bearer sk-prism' } });
			if (res.ok) break;
		} catch {
			/* not yet */
		}
		if (Date.now() > until) {
			await close();
			throw new Error(`prism not ready within 60 s:\n${log}`);
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	return { baseUrl: `http://127.0.0.1:${proxyPort}/v1`, exchanges, output: () => log, close };
}
