// The validating mock of OpenAI's spec (../shared/openai-spec, served by Prism) behind a small recording proxy:
// a request that breaks the spec is answered 422 with the violations, and `exchanges` shows every status Prism
// answered. Used by the unit tests (through the node) and the e2e suite (through n8n).
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { freePort, spawnGroup, waitUntil } from '../../harness/processes';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const SPEC = path.resolve(REPO_ROOT, '..', 'shared', 'openai-spec', 'openai.v1.yaml');

export interface PrismExchange {
	method: string;
	path: string;
	status: number;
	/** Prism's answer for 4xx (its list of violations for 422) */
	body?: string;
}

export interface Prism {
	/** Base URL with /v1 for the credential, through the recording proxy */
	baseUrl: string;
	exchanges: PrismExchange[];
	/** Prism's own output */
	output(): string;
	stop(): Promise<void>;
}

export async function startPrism(spec = SPEC): Promise<Prism> {
	if (!fs.existsSync(spec)) throw new Error(`OpenAI spec not found at ${spec} (../shared must sit beside the repo)`);
	const prismPort = await freePort();
	const cli = require.resolve('@stoplight/prism-cli/dist/index.js', { paths: [REPO_ROOT] });
	const prism = spawnGroup(process.execPath, [cli, 'mock', spec, '-h', '127.0.0.1', '-p', String(prismPort)], { cwd: REPO_ROOT });

	const exchanges: PrismExchange[] = [];
	const proxy = http.createServer((req, res) => {
		const upstream = http.request({ host: '127.0.0.1', port: prismPort, method: req.method, path: req.url, headers: req.headers }, (answer) => {
			const chunks: Buffer[] = [];
			answer.on('data', (c: Buffer) => chunks.push(c));
			answer.on('end', () => {
				const body = Buffer.concat(chunks);
				const status = answer.statusCode ?? 0;
				exchanges.push({ method: req.method!, path: req.url!, status, body: status >= 400 ? body.toString('utf8') : undefined });
				res.writeHead(status, answer.headers);
				res.end(body);
			});
		});
		upstream.on('error', (e) => {
			exchanges.push({ method: req.method!, path: req.url!, status: 599, body: e.message });
			res.destroy();
		});
		req.pipe(upstream);
	});
	await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
	const proxyPort = (proxy.address() as { port: number }).port;
	const stop = async () => {
		await new Promise<void>((resolve) => {
			proxy.closeAllConnections();
			proxy.close(() => resolve());
		});
		await prism.stop(5000);
	};

	// Ready when it answers a valid request (the first start compiles the spec: a few seconds).
	try {
		const probe = async () => (await fetch(`http://127.0.0.1:${prismPort}/v1/models`, { headers: { authorization: 'Bearer sk-prism' } })).ok;
		await waitUntil(probe, { timeoutMs: 60000, isDead: prism.isDead, what: 'prism' });
	} catch (e) {
		await stop();
		throw new Error(`${(e as Error).message}:\n${prism.output()}`);
	}
	return { baseUrl: `http://127.0.0.1:${proxyPort}/v1`, exchanges, output: prism.output, stop };
}
