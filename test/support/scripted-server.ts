/**
 * A tiny HTTP server on 127.0.0.1 whose answers a test scripts per path, recording every request with
 * its headers: for behaviour the local provider doesn't have (redirects between origins, echoed keys).
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'http';
import { createServer } from 'http';

export interface Recorded {
	method: string;
	path: string;
	headers: IncomingHttpHeaders;
	body: Buffer;
}

export type Handler = (request: Recorded, response: ServerResponse) => void;

export interface ScriptedServer {
	origin: string;
	requests: Recorded[];
	on(path: string, handler: Handler): void;
	close(): Promise<void>;
}

export async function startScriptedServer(): Promise<ScriptedServer> {
	const routes = new Map<string, Handler>();
	const requests: Recorded[] = [];
	const server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
		const chunks: Buffer[] = [];
		incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
		incoming.on('end', () => {
			const request = { method: incoming.method ?? '', path: incoming.url ?? '', headers: incoming.headers, body: Buffer.concat(chunks) };
			requests.push(request);
			const handler = routes.get(request.path.split('?')[0]);
			if (handler) return handler(request, response);
			response.writeHead(404, { 'Content-Type': 'application/json' }).end('{"error":{"message":"no such route"}}');
		});
	});
	await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
	const { port } = server.address() as { port: number };
	return {
		origin: `http://127.0.0.1:${port}`,
		requests,
		on: (path, handler) => routes.set(path, handler),
		close: async () => await new Promise<void>((done) => server.close(() => done())),
	};
}

export const redirect = (status: number, location: string): Handler => (_request, response) =>
	response.writeHead(status, { Location: location }).end();

export const sendJson = (status: number, body: unknown): Handler => (_request, response) =>
	response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
