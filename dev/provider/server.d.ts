// Types for the plain-JS provider so TypeScript tests can import it with checking.
/// <reference types="node" />

export interface ProviderOptions {
	/** 0 or absent = random free port */
	port?: number;
	/** delay before every answer */
	latencyMs?: number;
	/** when set, requests need `Authorization: Bearer <apiKey>`; unset = any or no key accepted */
	apiKey?: string | null;
	/** GET /models answers 404, like providers without a models endpoint */
	noModels?: boolean;
	/** more than rps accepted API requests in any 1 s window → 429 with Retry-After: 1 */
	rateLimit?: { rps: number } | null;
	/** work on this many requests at once (each takes latencyMs); the others wait in a first-come queue; unset = no limit */
	slots?: number | null;
	/** override the model ids listed by GET /models */
	models?: string[] | null;
	/** answer as one real server does (dev/provider/profiles): ollama, llamacpp, vllm, lmstudio, litellm, localai, openrouter, groq, deepseek, azure; '' or 'openai' = OpenAI */
	profile?: string | null;
}

export interface RecordedPart {
	name: string;
	filename?: string;
	contentType?: string;
	/** text parts (no filename) only */
	value?: string;
	size: number;
	sha256: string;
	/** raw bytes (Buffer in-process; base64 string in GET /__requests); empty when `streamed` */
	data: Buffer;
	/** set for bodies over 64 MB, parsed while streaming in: size and sha256 only, no data */
	streamed?: boolean;
}

export interface RecordedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
	json?: any;
	parts?: RecordedPart[];
	bodySize: number;
	at: number;
	/** API requests in progress when it arrived, itself included */
	inFlight: number;
}

export interface Provider {
	origin: string;
	baseUrl: string;
	port: number;
	requests: RecordedRequest[];
	clearRequests(): void;
	configure(partial: Omit<ProviderOptions, 'port'>): Record<string, unknown>;
	close(): Promise<void>;
}

export function startProvider(options?: ProviderOptions): Promise<Provider>;
export function parseMultipart(body: Buffer, contentType: string): RecordedPart[];
export function makePng(width: number, height: number, rgb: [number, number, number]): Buffer;
export function makeWavFile(seconds?: number, freq?: number): Buffer;
export function crc32(buf: Buffer): number;
