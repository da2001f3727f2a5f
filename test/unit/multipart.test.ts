/**
 * The multipart encoder: the bytes fetch (and so OpenAI's SDK) sends for the same form, a Content-Length
 * known before reading, stored files streamed with backpressure through n8n-core's own request helper.
 * Runs unchanged on Node 20 and Node 24 (whose FormData takes only real Blobs).
 */
import { createHash } from 'crypto';
import { createReadStream, writeFileSync } from 'fs';
import type { ReadStream } from 'fs';
import type { AddressInfo } from 'net';
import { createServer } from 'http';
import type { Server } from 'http';
import { join } from 'path';
import { Readable } from 'stream';
import { httpRequest } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions';
import type { IHttpRequestOptions } from 'n8n-workflow';

import type { InputFile, StoredStream } from '../../nodes/AIConnect/helpers/binary';
import type { BodySink } from '../../nodes/AIConnect/helpers/bodyStream';
import { BodyStream } from '../../nodes/AIConnect/helpers/bodyStream';
import type { MultipartBody } from '../../nodes/AIConnect/helpers/multipart';
import { encodeMultipart } from '../../nodes/AIConnect/helpers/multipart';
import { testTempDir } from '../support/tempDir';

const folder = testTempDir('aiconnect-multipart-');

/** An input file held in memory, as n8n's default binary mode keeps it. */
const memoryFile = (property: string, fileName: string, mimeType: string, bytes: Buffer): InputFile => ({
	property,
	fileName,
	mimeType,
	size: bytes.length,
	open: async () => bytes,
	toBuffer: async () => bytes,
});

/** An input file on disk, streamed as n8n's filesystem binary mode streams it; records what it opened. */
function storedFile(property: string, fileName: string, mimeType: string, bytes: Buffer, opened: StoredStream[] = [], size = bytes.length): InputFile {
	const path = join(folder, `${property}-${bytes.length}`);
	writeFileSync(path, bytes);
	return {
		property,
		fileName,
		mimeType,
		size,
		open: async () => {
			const stream = createReadStream(path) as unknown as StoredStream;
			opened.push(stream);
			return stream;
		},
		toBuffer: async () => bytes,
	};
}

async function bytesOf(body: MultipartBody['body']): Promise<Buffer> {
	if (Buffer.isBuffer(body)) return body;
	const chunks: Buffer[] = [];
	for await (const chunk of body) chunks.push(Buffer.from(chunk));
	return Buffer.concat(chunks);
}

/** What fetch sends for a FormData — the body OpenAI's SDK hands to fetch — and its boundary. */
async function fetchEncoding(fields: Array<[string, string]>, files: Array<[string, Buffer, string, string]>) {
	const form = new FormData();
	for (const [name, value] of fields) form.append(name, value);
	for (const [name, bytes, fileName, type] of files) form.append(name, new Blob([new Uint8Array(bytes)], { type }), fileName);
	const response = new Response(form);
	const boundary = /boundary=(.+)$/.exec(response.headers.get('content-type') ?? '')![1];
	return { bytes: Buffer.from(await response.arrayBuffer()), boundary };
}

type Transfer = (this: ArrayBuffer, length?: number) => ArrayBuffer;
const prototype = ArrayBuffer.prototype as ArrayBuffer & { transfer?: Transfer };

/**
 * Records every ArrayBuffer detached through `transfer` while `run` runs. Node 20 has no `transfer` (the node
 * then frees nothing): there a stand-in detaches as Node 22+ does, so the same checks run on every Node.
 */
async function recordingTransfers<T>(run: () => Promise<T>): Promise<{ result: T; detached: ArrayBuffer[]; freedBytes: number }> {
	const detached: ArrayBuffer[] = [];
	let freedBytes = 0;
	const original = prototype.transfer;
	prototype.transfer = function (this: ArrayBuffer, length?: number) {
		detached.push(this);
		freedBytes += this.byteLength;
		if (original) return original.call(this, length);
		structuredClone(this, { transfer: [this] });
		return new ArrayBuffer(length ?? 0);
	};
	try {
		return { result: await run(), detached, freedBytes };
	} finally {
		if (original) prototype.transfer = original;
		else delete prototype.transfer;
	}
}

/** Stands in for http.ClientRequest: a write's callback comes once the "socket" has taken the bytes. */
class ClientRequest {
	written: number[] = [];
	constructor(private readonly failWrites = false) {}
	write(chunk: Uint8Array, sent?: (error?: Error | null) => void) {
		this.written.push(chunk.byteLength);
		setImmediate(() => sent?.(this.failWrites ? new Error('socket hang up') : null));
		return true;
	}
	end() {}
	once() {}
	removeListener() {}
}

const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(300, 7)]);
const jpeg = Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), Buffer.from('\r\n--not-a-boundary\r\n'), Buffer.alloc(50, 1)]);

describe('encodeMultipart', () => {
	test('writes the bytes fetch writes for the same form: text parts, then files, CRLFs, [] names, quoted names', async () => {
		const prompt = 'Line one\nline two\r\nline "three"';
		const { body, contentType, contentLength } = await encodeMultipart(
			{ model: 'gpt-image-1', prompt, n: 2, quality: undefined, user: '', 'timestamp_granularities[]': ['word', 'segment'] },
			[
				{ field: 'image[]', file: memoryFile('photo', 'photo.png', 'image/png', png) },
				{ field: 'image[]', file: storedFile('logo', 'logo "v2".jpg', 'image/jpeg', jpeg) },
				{ field: 'mask', file: memoryFile('mask', 'mask.png', '', png) },
			],
		);
		const ours = await bytesOf(body);
		const reference = await fetchEncoding(
			[
				['model', 'gpt-image-1'],
				['prompt', prompt],
				['n', '2'],
				['timestamp_granularities[]', 'word'],
				['timestamp_granularities[]', 'segment'],
			],
			[
				['image[]', png, 'photo.png', 'image/png'],
				['image[]', jpeg, 'logo "v2".jpg', 'image/jpeg'],
				['mask', png, 'mask.png', ''],
			],
		);
		const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(contentType)![1];
		expect(boundary).toMatch(/^[-\w]{27,70}$/);
		// Same bytes once both use one boundary; fetch draws its own at random.
		const normalised = Buffer.from(ours.toString('latin1').split(boundary).join(reference.boundary), 'latin1');
		expect(normalised.toString('latin1')).toBe(reference.bytes.toString('latin1'));
		expect(contentLength).toBe(ours.length);
	});

	test('only in-memory parts: one Buffer; with a stored file: a stream whose length is known before reading', async () => {
		const memory = await encodeMultipart({ model: 'm' }, [{ field: 'file', file: memoryFile('a', 'a.wav', 'audio/wav', png) }]);
		expect(Buffer.isBuffer(memory.body)).toBe(true);
		const opened: StoredStream[] = [];
		const stored = await encodeMultipart({ model: 'm' }, [{ field: 'file', file: storedFile('b', 'b.wav', 'audio/wav', jpeg, opened) }]);
		expect(stored.body).toBeInstanceOf(BodyStream);
		expect(opened).toHaveLength(1);
		expect((opened[0] as unknown as ReadStream).bytesRead).toBe(0);
		expect(stored.contentLength).toBe(memory.contentLength - png.length + jpeg.length);
		expect((await bytesOf(stored.body)).length).toBe(stored.contentLength);
		expect(opened[0].destroyed).toBe(true);
	});

	test('a stored file whose size differs from what storage said fails the body instead of sending a wrong length', async () => {
		const short = await encodeMultipart({}, [{ field: 'file', file: storedFile('short', 's.wav', 'audio/wav', jpeg, [], jpeg.length + 10) }]);
		await expect(bytesOf(short.body)).rejects.toThrow(
			`binary property "short" changed while being sent: n8n's binary storage said ${jpeg.length + 10} bytes, ${jpeg.length} were read`,
		);
		const long = await encodeMultipart({}, [{ field: 'file', file: storedFile('long', 'l.wav', 'audio/wav', jpeg, [], 10) }]);
		await expect(bytesOf(long.body)).rejects.toThrow(/said 10 bytes, more were read/);
	});

	test('destroying a body that was never sent closes the stored files it opened', async () => {
		const opened: StoredStream[] = [];
		const { body } = await encodeMultipart({}, [
			{ field: 'image[]', file: storedFile('one', '1.png', 'image/png', png, opened) },
			{ field: 'image[]', file: storedFile('two', '2.png', 'image/png', jpeg, opened) },
		]);
		expect(opened.map((stream) => stream.destroyed)).toEqual([false, false]);
		(body as BodyStream).destroy();
		expect(opened.map((stream) => stream.destroyed)).toEqual([true, true]);
		expect(() => (body as BodyStream).pipe({} as BodySink)).toThrow(/only once/);
	});
});

describe('freeing sent chunks', () => {
	const settleAll = () => new Promise((resolve) => setTimeout(resolve, 50));

	test('chunks read from a stored file are freed once sent; bytes another storage hands out are left alone', async () => {
		const content = Buffer.alloc(300_000, 5);
		const fromFile = await encodeMultipart({}, [{ field: 'file', file: storedFile('disk', 'a.wav', 'audio/wav', content) }]);
		const toFile = new ClientRequest();
		const onDisk = await recordingTransfers(async () => {
			(fromFile.body as BodyStream).pipe(toFile);
			await settleAll();
		});
		expect(toFile.written.reduce((a, b) => a + b, 0)).toBe(fromFile.contentLength);
		expect(onDisk.freedBytes).toBe(content.length);

		// A storage that streams bytes it keeps (here: one Buffer, as a database row or a cache would be).
		const kept = Buffer.alloc(300_000, 6);
		const keptFile: InputFile = { ...memoryFile('db', 'b.wav', 'audio/wav', kept), open: async () => Readable.from([kept]) as unknown as StoredStream };
		const fromStore = await encodeMultipart({}, [{ field: 'file', file: keptFile }]);
		const toStore = new ClientRequest();
		const elsewhere = await recordingTransfers(async () => {
			(fromStore.body as BodyStream).pipe(toStore);
			await settleAll();
		});
		expect(toStore.written.reduce((a, b) => a + b, 0)).toBe(fromStore.contentLength);
		expect(elsewhere.detached).toEqual([]);
		expect(kept.equals(Buffer.alloc(300_000, 6))).toBe(true);
	});
});

describe('BodyStream', () => {
	/** A sink that takes `capacity` chunks, then asks to wait until drained. */
	function slowSink(capacity: number) {
		const listeners: Record<string, Array<() => void>> = {};
		const sink = {
			written: [] as number[],
			ended: false,
			write(chunk: Uint8Array) {
				sink.written.push(chunk[0]);
				return sink.written.length % capacity !== 0;
			},
			end: () => (sink.ended = true),
			once: (event: string, listener: () => void) => (listeners[event] ??= []).push(listener),
			removeListener: (event: string, listener: () => void) => (listeners[event] = (listeners[event] ?? []).filter((l) => l !== listener)),
			emit: (event: string) => [...(listeners[event] ?? [])].forEach((listener) => listener()),
		};
		return sink;
	}
	const settle = () => new Promise((resolve) => setImmediate(resolve));

	test('pulls the next chunk only after the sink drained (backpressure), then ends the sink', async () => {
		let pulled = 0;
		async function* numbered() {
			for (let index = 0; index < 10; index++) {
				pulled++;
				yield { bytes: Uint8Array.of(index), disposable: false };
			}
		}
		let released = 0;
		const events: string[] = [];
		const body = new BodyStream(numbered(), () => released++);
		body.on('end', () => events.push('end')).on('close', () => events.push('close'));
		const sink = slowSink(3);
		body.pipe(sink);
		await settle();
		expect(sink.written).toEqual([0, 1, 2]);
		expect(pulled).toBe(3);
		sink.emit('drain');
		await settle();
		expect(sink.written).toEqual([0, 1, 2, 3, 4, 5]);
		expect(pulled).toBe(6);
		sink.emit('drain');
		await settle();
		sink.emit('drain');
		await settle();
		sink.emit('drain');
		await settle();
		expect(sink.written).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
		expect(sink.ended).toBe(true);
		expect(events).toEqual(['end', 'close']);
		expect(released).toBe(1);
	});

	test('a sink that goes away stops the reading silently (the client reports its own error) and releases the files', async () => {
		let pulled = 0;
		async function* endless() {
			for (;;) {
				pulled++;
				yield { bytes: Uint8Array.of(1), disposable: false };
			}
		}
		let released = 0;
		const events: string[] = [];
		const body = new BodyStream(endless(), () => released++);
		body.on('end', () => events.push('end')).on('error', () => events.push('error')).on('close', () => events.push('close'));
		const sink = slowSink(2);
		body.pipe(sink);
		await settle();
		sink.emit('close');
		await settle();
		expect(pulled).toBe(2);
		expect(events).toEqual([]);
		expect(released).toBe(1);
		expect(body.destroyed).toBe(true);
	});

	test("frees a disposable chunk once the request has sent it: never bytes someone else holds, a shared ArrayBuffer, or an unsent one", async () => {
		const fileChunk = Buffer.allocUnsafeSlow(64).fill(1);
		const inMemory = Buffer.allocUnsafeSlow(64).fill(2);
		const shared = Buffer.alloc(128, 3).subarray(0, 64);
		const chunks = [
			{ bytes: fileChunk, disposable: true },
			{ bytes: inMemory, disposable: false },
			{ bytes: shared, disposable: true },
		];
		const send = async (sink: BodySink) => {
			async function* source() {
				yield* chunks;
			}
			new BodyStream(source(), () => undefined).pipe(sink);
			await settle();
			await settle();
		};

		const request = new ClientRequest();
		const { detached } = await recordingTransfers(() => send(request));
		expect(request.written).toEqual([64, 64, 64]);
		expect(detached).toEqual([fileChunk.buffer]);
		expect(fileChunk.buffer.byteLength).toBe(0);
		expect(inMemory.equals(Buffer.alloc(64, 2))).toBe(true);
		expect(shared.equals(Buffer.alloc(64, 3))).toBe(true);
	});

	test('frees nothing when the sink is not the request itself (a redirect follower or a transform may still read it) or the write failed', async () => {
		const collect = async (sink: BodySink) => {
			const chunk = Buffer.allocUnsafeSlow(64).fill(1);
			async function* source() {
				yield { bytes: chunk, disposable: true };
			}
			const { detached } = await recordingTransfers(async () => {
				new BodyStream(source(), () => undefined).pipe(sink);
				await settle();
				await settle();
			});
			return { detached, chunk };
		};
		const inBetween = Object.assign(slowSink(100), {
			write: (chunk: Uint8Array, sent?: (error?: Error | null) => void) => {
				setImmediate(() => sent?.(null));
				return chunk.byteLength > 0;
			},
		});
		const relayed = await collect(inBetween);
		expect(relayed.detached).toEqual([]);
		expect(relayed.chunk.byteLength).toBe(64);
		const failed = await collect(new ClientRequest(true));
		expect(failed.detached).toEqual([]);
		expect(failed.chunk.equals(Buffer.alloc(64, 1))).toBe(true);
	});

	test('a failing source emits error then close, once', async () => {
		async function* failing() {
			yield { bytes: Uint8Array.of(1), disposable: false };
			throw new Error('disk gone');
		}
		const events: string[] = [];
		const body = new BodyStream(failing(), () => undefined);
		body.once('error', (error) => events.push(`error: ${(error as Error).message}`)).on('close', () => events.push('close'));
		body.pipe(slowSink(100));
		await settle();
		expect(events).toEqual(['error: disk gone', 'close']);
	});
});

describe('through n8n-core\'s request helper to a server', () => {
	let server: Server;
	let url: string;
	const received: Array<{ headers: Record<string, unknown>; bytes: number; sha256: string; maxAhead: number }> = [];
	/** Bytes the body had read from the file when each chunk arrived, minus bytes arrived: what was in flight. */
	let readSoFar = 0;

	beforeAll(async () => {
		server = createServer((request, response) => {
			const hash = createHash('sha256');
			let bytes = 0;
			let maxAhead = 0;
			request.on('data', (chunk: Buffer) => {
				hash.update(chunk);
				bytes += chunk.length;
				maxAhead = Math.max(maxAhead, readSoFar - bytes);
				// A slow reader: the client has to wait, which is where a buffering body would pile up.
				request.pause();
				setImmediate(() => request.resume());
			});
			request.on('end', () => {
				received.push({ headers: request.headers, bytes, sha256: hash.digest('hex'), maxAhead });
				response.setHeader('Content-Type', 'application/json');
				response.end('{"ok":true}');
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/audio/transcriptions`;
	});
	afterAll(async () => await new Promise((resolve) => server.close(resolve)));

	test('a 32 MB stored file streams with its Content-Length, byte for byte, never far ahead of the connection, each chunk freed once sent', async () => {
		const size = 32 * 1024 * 1024;
		const audio = Buffer.alloc(size);
		for (let offset = 0; offset < size; offset += 4096) audio.writeUInt32BE(offset, offset);
		const opened: StoredStream[] = [];
		const file = storedFile('big', 'big.wav', 'audio/wav', audio, opened);
		const countingFile: InputFile = {
			...file,
			open: async () => {
				const stream = await file.open();
				(stream as StoredStream).on('data', (chunk: Buffer) => (readSoFar += chunk.length));
				return stream;
			},
		};
		const multipart = await encodeMultipart({ model: 'whisper-1', response_format: 'json' }, [{ field: 'file', file: countingFile }]);
		const options: IHttpRequestOptions = {
			method: 'POST',
			url,
			body: multipart.body as unknown as IHttpRequestOptions['body'],
			headers: { 'Content-Type': multipart.contentType, 'Content-Length': String(multipart.contentLength) },
			returnFullResponse: true,
			disableFollowRedirect: true,
			encoding: 'arraybuffer',
		};
		const { result, freedBytes } = await recordingTransfers(async () => (await httpRequest(options)) as { statusCode: number });
		expect(result.statusCode).toBe(200);
		// Every chunk read from the file was freed once sent (n8n-core's helper pipes the body into the request
		// itself), and the bytes that arrived are still the file's: nothing was freed before the socket had it.
		expect(freedBytes).toBe(size);
		const [request] = received;
		expect(request.headers['content-length']).toBe(String(multipart.contentLength));
		expect(request.headers['content-type']).toBe(multipart.contentType);
		expect(request.headers['transfer-encoding']).toBeUndefined();
		expect(request.bytes).toBe(multipart.contentLength);
		expect(readSoFar).toBe(size);
		// The whole file would be 32 MB ahead; a streamed one stays within the socket's buffers.
		expect(request.maxAhead).toBeLessThan(8 * 1024 * 1024);
		expect(opened[0].destroyed).toBe(true);
		const head = `--${/boundary=(.+)$/.exec(multipart.contentType)![1]}`;
		const before =
			`${head}\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper-1\r\n` +
			`${head}\r\nContent-Disposition: form-data; name="response_format"\r\n\r\njson\r\n` +
			`${head}\r\nContent-Disposition: form-data; name="file"; filename="big.wav"\r\nContent-Type: audio/wav\r\n\r\n`;
		const after = `\r\n${head}--\r\n`;
		expect(request.sha256).toBe(createHash('sha256').update(before).update(audio).update(after).digest('hex'));
		expect(multipart.contentLength).toBe(before.length + size + after.length);
	});
});
