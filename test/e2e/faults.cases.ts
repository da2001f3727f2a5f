// The fault matrix's cases: every failure the provider (or the network, or the user's input) can produce, with what
// the user should see and how many requests the provider should get. Run by faults.e2e.test.ts through
// support/fault-runner.ts. Adding a case is one entry in FAULT_CASES.
import { randomBytes } from 'crypto';
import { makeWavFile } from '../../dev/provider/server';
import { CREDENTIAL_HEADERS } from './support/fault-runner';
import type { FaultCase, Observed } from './support/fault-runner';
import { aiconnect, chain, chatBatch, fileInput, fixtures, manualTrigger } from './support/workflows';
import type { WorkflowNode } from './support/workflows';

/** A Base URL host that never resolves (RFC 6761), so nothing is sent anywhere. */
export const DNS_HOST = 'aiconnect-fault-suite.invalid';

/** The `secretHeaders` credential's Organization and Extra Header value (random per run, searched for by the key search). */
export const SECRET_HEADERS = {
	organization: `org-faults-${randomBytes(6).toString('hex')}`,
	gateway: `gw-secret-${randomBytes(12).toString('hex')}`,
};

// ---------------------------------------------------------------------------------------------
// Workflows

const PROMPT = 'Say hello';

const chat = (model: string, more: { options?: Record<string, unknown>; requestOptions?: Record<string, unknown>; content?: string } = {}) =>
	chain(`Fault chat ${model}`, [
		manualTrigger(),
		aiconnect({
			resource: 'chat',
			operation: 'complete',
			model,
			prompt: { messages: [{ role: 'user', content: more.content ?? PROMPT }] },
			simplify: true,
			options: more.options ?? {},
			requestOptions: more.requestOptions ?? {},
		}),
	]);

const transcribe = (model: string, input: WorkflowNode[] = fileInput(fixtures.wav, 'voice.wav', 'audio/wav')) =>
	chain(`Fault transcribe ${model}`, [
		manualTrigger(),
		...input,
		aiconnect({ resource: 'audio', operation: 'transcribe', model, binaryPropertyName: 'data', simplify: true, options: {} }),
	]);

/** Create with URL links, downloaded into the binary field `data` (what `fault-links-*` redirect). */
const imageLinks = (model: string) =>
	chain(`Fault image links ${model}`, [
		manualTrigger(),
		aiconnect({ resource: 'image', operation: 'create', model, prompt: 'A red square', n: 1, size: '256x256', responseFormat: 'url', simplify: true, options: { binaryPropertyOutput: 'data' } }),
	]);

/** Transcribe with a response format, as whisper.cpp's server is asked. */
const transcribeAs = (format: string, wav: Buffer) =>
	chain(`Fault whisper.cpp ${format}`, [
		manualTrigger(),
		...fileInput(wav, 'voice.wav', 'audio/wav'),
		aiconnect({ resource: 'audio', operation: 'transcribe', model: 'whisper-1', binaryPropertyName: 'data', simplify: true, options: { responseFormat: format } }),
	]);
const SILENCE = makeWavFile(1, 0);

const speech = (model: string, requestOptions: Record<string, unknown> = {}) =>
	chain(`Fault speech ${model}`, [
		manualTrigger(),
		aiconnect({ resource: 'audio', operation: 'speech', model, input: 'Hello from the fault suite.', voice: 'alloy', options: { responseFormat: 'wav' }, requestOptions }),
	]);

const imageCreate = (model: string) =>
	chain(`Fault image ${model}`, [
		manualTrigger(),
		aiconnect({ resource: 'image', operation: 'create', model, prompt: 'A red square', n: 1, size: '256x256', responseFormat: 'b64_json', simplify: true, options: { binaryPropertyOutput: 'data' } }),
	]);

// Items finish out of order (item 0 is slowest) so the output order is the router's doing, not luck.
const BATCH = [
	{ model: 'fault-delay-400', text: 'item 0' },
	{ model: 'fault-delay-200', text: 'item 1' },
	{ model: 'gpt-4o-mini', text: '' },
	{ model: 'fault-status-400:batch', text: 'item 3' },
	{ model: 'gpt-4o-mini', text: 'item 4' },
];
const STOP_BATCH = [
	{ model: 'gpt-4o-mini', text: 'item 0' },
	{ model: 'gpt-4o-mini', text: 'item 1' },
	{ model: 'fault-status-400:stop', text: 'item 2' },
	{ model: 'gpt-4o-mini', text: 'item 3' },
	{ model: 'gpt-4o-mini', text: 'item 4' },
];

// ---------------------------------------------------------------------------------------------
// The matrix

const URL_RE = 'http://127\\.0\\.0\\.1:\\d+';
const item0 = (rest: string) => new RegExp(`^Item 0\\. ${rest}`);
const content = (o: Observed) => o.items[0]?.json?.content;
/** Problems when a credential header reached the other origin. */
const noCredentialElsewhere = (o: Observed) =>
	o.elsewhere
		.filter((r) => CREDENTIAL_HEADERS.some((h) => r.headers[h] !== undefined))
		.map((r) => `${r.method} ${r.path} on the other origin got ${CREDENTIAL_HEADERS.filter((h) => r.headers[h] !== undefined).join(', ')}`);
const echo = (o: Observed) => content(o) !== `Echo: ${PROMPT}` && `content is ${JSON.stringify(content(o))}, not "Echo: ${PROMPT}"`;

export const FAULT_CASES: FaultCase[] = [
	// ---- HTTP errors: the provider's own message, the hint, the item, no retry
	{
		group: 'HTTP status',
		name: '400 with param',
		expected: 'provider message + "(parameter: messages)", HTTP 400, 1 request',
		workflow: () => chat('fault-status-400'),
		outcome: 'error',
		message: "Invalid value for 'messages': simulated bad request (model fault-status-400). (parameter: messages)",
		description: item0(`HTTP 400 from ${URL_RE}/v1/chat/completions\\. Check the parameter named above`),
		httpCode: '400',
		requests: 1,
	},
	{
		group: 'HTTP status',
		name: '401 wrong API key',
		expected: 'provider message (masked key), "Check the API key", HTTP 401, 1 request',
		workflow: () => chat('gpt-4o-mini'),
		credential: 'wrongKey',
		outcome: 'error',
		message: /^Incorrect API key provided: sk-\*\*\*\w{4}\. You can find your API key/,
		description: item0('HTTP 401 .*Check the API key in the AIConnect credential'),
		httpCode: '401',
		requests: 1,
	},
	{
		group: 'HTTP status',
		name: '403',
		expected: 'provider message, "lacks access", HTTP 403, 1 request',
		workflow: () => chat('fault-status-403'),
		outcome: 'error',
		message: 'Country, region, or territory not supported.',
		description: item0('HTTP 403 .*lacks access to this model or endpoint'),
		httpCode: '403',
		requests: 1,
	},
	{
		group: 'HTTP status',
		name: '404 unknown model',
		expected: 'provider message, "model ID is not known", HTTP 404, 1 request',
		workflow: () => chat('fault-status-404'),
		outcome: 'error',
		message: 'The model `fault-status-404` does not exist or you do not have access to it.',
		description: item0('HTTP 404 .*The model ID is not known to this provider'),
		httpCode: '404',
		requests: 1,
	},
	{
		group: 'HTTP status',
		name: '404 wrong Base URL',
		expected: 'provider message, names the URL and says check Base URL, HTTP 404, 1 request',
		workflow: () => chat('gpt-4o-mini'),
		credential: 'wrongBase',
		outcome: 'error',
		message: 'Invalid URL (POST /not-the-api/v1/chat/completions)',
		description: item0(`HTTP 404 .*Check the credential's Base URL: ${URL_RE}/not-the-api/v1/chat/completions does not exist`),
		httpCode: '404',
		requests: 1,
	},
	{
		group: 'HTTP status',
		name: '413 (Transcribe upload)',
		expected: 'provider message, "Send a smaller file", HTTP 413, 1 request',
		workflow: () => transcribe('fault-status-413'),
		endpoint: '/audio/transcriptions',
		outcome: 'error',
		message: 'Request too large. The maximum content size is 25 MB.',
		description: item0('HTTP 413 .*Send a smaller file'),
		httpCode: '413',
		requests: 1,
	},
	{
		group: 'HTTP status',
		name: '415 (Transcribe upload)',
		expected: 'provider message, "Check the MIME type", HTTP 415, 1 request',
		workflow: () => transcribe('fault-status-415'),
		endpoint: '/audio/transcriptions',
		outcome: 'error',
		message: 'Unsupported media type.',
		description: item0('HTTP 415 .*Check the MIME type'),
		httpCode: '415',
		requests: 1,
	},
	// ---- Rate limits
	{
		group: 'Rate limit',
		name: '429 ×2 then OK (Retry-After: 1)',
		expected: 'success after 3 requests, ≥ 2 s (Retry-After honoured)',
		workflow: () => chat('fault-flaky429-2'),
		outcome: 'success',
		requests: 3,
		minMs: 2000,
		check: (o) => [echo(o)],
	},
	{
		group: 'Rate limit',
		// With a Timeout, waits the provider asks for are not retries (they go on within the Timeout); with
		// Timeout 0 (no limit) Max Retries bounds them, so nothing waits forever.
		name: '429 exhausts Max Retries 2 with Timeout 0 (retry-after-ms)',
		expected: 'provider message, "Raise Max Retries", HTTP 429, 3 requests',
		workflow: () => chat('fault-429-ms', { requestOptions: { maxRetries: 2, timeout: 0 } }),
		outcome: 'error',
		message: 'Rate limit reached for requests. Please try again in 200ms.',
		description: item0('HTTP 429 .*Raise Max Retries, lower Max Concurrent Requests'),
		httpCode: '429',
		requests: 3,
		minMs: 400,
	},
	{
		group: 'Rate limit',
		name: '429 insufficient_quota',
		expected: 'provider message, "retrying will not help", HTTP 429, 1 request (not retried)',
		workflow: () => chat('fault-quota'),
		outcome: 'error',
		message: 'You exceeded your current quota, please check your plan and billing details.',
		description: item0('HTTP 429 .*retrying will not help'),
		httpCode: '429',
		requests: 1,
	},
	// ---- Server errors
	...[500, 502, 503, 504].map(
		(status): FaultCase => ({
			group: 'Server error',
			name: `${status} then OK`,
			expected: 'success after 2 requests',
			workflow: () => chat(`fault-flaky${status}-1`),
			outcome: 'success',
			requests: 2,
			check: (o) => [echo(o)],
		}),
	),
	{
		group: 'Server error',
		name: '500 exhausts Max Retries 2',
		expected: "provider message, \"provider's side\", HTTP 500, 3 requests",
		workflow: () => chat('fault-status-500', { requestOptions: { maxRetries: 2 } }),
		outcome: 'error',
		message: 'The server had an error while processing your request. Sorry about that!',
		description: item0("HTTP 500 .*This is a problem on the provider's side"),
		httpCode: '500',
		requests: 3,
	},
	{
		group: 'Server error',
		name: 'Transcribe 502 then OK (stored file re-sent)',
		expected: 'success after 2 requests, the whole file in both',
		workflow: () => transcribe('fault-flaky502-1'),
		endpoint: '/audio/transcriptions',
		outcome: 'success',
		requests: 2,
		check: (o) => {
			const sizes = o.received.map((r) => r.parts?.find((p) => p.name === 'file')?.size);
			return [
				o.items[0]?.json?.text !== `Transcript of voice.wav (${fixtures.wav.length} bytes)` && `text is ${JSON.stringify(o.items[0]?.json?.text)}`,
				sizes.some((s) => s !== fixtures.wav.length) && `file sizes sent: ${sizes.join(', ')} (want ${fixtures.wav.length} each)`,
			];
		},
	},
	{
		group: 'Server error',
		name: 'Speech 503 then OK (binary out)',
		expected: 'success after 2 requests, a WAV binary',
		workflow: () => speech('fault-flaky503-1'),
		endpoint: '/audio/speech',
		outcome: 'success',
		requests: 2,
		check: (o) => {
			const binary = o.items[0]?.binary?.data;
			return [!binary && 'no binary "data"', binary && binary.mimeType !== 'audio/wav' && `mimeType ${binary.mimeType}`, !(Number(o.items[0]?.json?.bytes) > 44) && `bytes ${o.items[0]?.json?.bytes}`];
		},
	},
	{
		group: 'Server error',
		name: 'Image Create 500 (not repeatable)',
		expected: 'provider message, HTTP 500, 1 request (an image job is not repeated)',
		workflow: () => imageCreate('fault-status-500'),
		endpoint: '/images/generations',
		outcome: 'error',
		message: 'The server had an error while processing your request. Sorry about that!',
		httpCode: '500',
		requests: 1,
	},
	{
		group: 'Server error',
		name: 'Image Create 429 then OK',
		expected: 'success after 2 requests (a 429 proves nothing was made)',
		workflow: () => imageCreate('fault-flaky429-1'),
		endpoint: '/images/generations',
		outcome: 'success',
		requests: 2,
		check: (o) => [!o.items[0]?.binary?.data && 'no image binary'],
	},
	// ---- Bodies that are not what was asked for
	{
		group: 'Body',
		name: 'HTML error page (502 from a proxy)',
		expected: 'internal error + "an HTML page, starting: <html>…502 Bad Gateway", 2 requests (Max Retries 1)',
		workflow: () => chat('fault-html', { requestOptions: { maxRetries: 1 } }),
		outcome: 'error',
		message: 'The provider had an internal error',
		description: item0(`HTTP 502 from ${URL_RE}/v1/chat/completions\\. The provider answered with an HTML page, starting: "<html> <head><title>502 Bad Gateway</title>`),
		httpCode: '502',
		requests: 2,
	},
	{
		group: 'Body',
		name: 'HTML page with 200',
		expected: '"sent an HTML page, starting: <!DOCTYPE html>…", names Content-Type text/html, check Base URL, 1 request',
		workflow: () => chat('fault-html200'),
		outcome: 'error',
		message: /^The provider sent an HTML page, starting: "<!DOCTYPE html><html><head><title>Welcome<\/title>/,
		description: item0(`HTTP 200 from ${URL_RE}/v1/chat/completions, Content-Type text/html\\. Is the credential's Base URL the API root`),
		requests: 1,
	},
	{
		group: 'Body',
		name: 'Malformed JSON with 200',
		expected: '"sent text that is not valid JSON, starting: {"id":"chatcmpl-broken"…", Content-Type application/json, 1 request',
		workflow: () => chat('fault-badjson'),
		outcome: 'error',
		message: /^The provider sent text that is not valid JSON, starting: "\{"id":"chatcmpl-broken"/,
		description: item0(`HTTP 200 from ${URL_RE}/v1/chat/completions, Content-Type application/json\\. Is the credential's Base URL`),
		requests: 1,
	},
	{
		group: 'Body',
		name: 'Empty body with 200',
		expected: '"sent an empty answer", Content-Type application/json, 1 request',
		workflow: () => chat('fault-empty'),
		outcome: 'error',
		message: 'The provider sent an empty answer',
		description: item0(`HTTP 200 from ${URL_RE}/v1/chat/completions, Content-Type application/json\\. Is the credential's Base URL`),
		requests: 1,
	},
	// ---- Network
	{
		group: 'Network',
		name: 'Connection refused',
		expected: '"Could not connect to <origin>: connection refused", retried (≥ 1 s of backoff)',
		workflow: () => chat('gpt-4o-mini'),
		credential: 'refused',
		outcome: 'error',
		message: new RegExp(`^Could not connect to ${URL_RE}: connection refused$`),
		description: item0(`Nothing is listening at ${URL_RE}/v1/chat/completions\\. Is the server running`),
		requests: 0,
		minMs: 1000,
	},
	{
		group: 'Network',
		name: 'DNS failure (.invalid host)',
		expected: '"Could not resolve the host of <origin>", check Base URL, 0 requests',
		workflow: () => chat('gpt-4o-mini'),
		credential: 'dns',
		outcome: 'error',
		message: `Could not resolve the host of http://${DNS_HOST}`,
		description: item0(`DNS lookup failed for http://${DNS_HOST}/v1/chat/completions\\. Check the credential's Base URL`),
		requests: 0,
	},
	{
		group: 'Network',
		name: 'Timeout (500 ms, Max Retries 1)',
		expected: '"The request to <url> timed out", raise Timeout, 2 requests',
		workflow: () => chat('fault-delay-3000', { requestOptions: { timeout: 500, maxRetries: 1 } }),
		outcome: 'error',
		message: new RegExp(`^The request to ${URL_RE}/v1/chat/completions timed out$`),
		description: item0('The provider did not answer within the Timeout set under Request Options'),
		requests: 2,
		minMs: 1000,
	},
	{
		group: 'Network',
		name: 'Speech audio stalls mid-body (Timeout 500 ms)',
		expected: '"The answer from <url> stopped arriving … (Request Options → Timeout)", 1 request, no hang',
		workflow: () => speech('fault-stall-body', { timeout: 500, maxRetries: 0 }),
		endpoint: '/audio/speech',
		outcome: 'error',
		message: new RegExp(`^The answer from ${URL_RE}/v1/audio/speech stopped arriving: nothing came for 500 ms \\(Request Options → Timeout\\)$`),
		description: item0('The Timeout under Request Options also bounds each pause'),
		requests: 1,
	},
	{
		group: 'Network',
		name: 'Dropped connection',
		expected: '"connection … was closed before the answer arrived", 3 requests (retried)',
		workflow: () => chat('fault-drop', { requestOptions: { maxRetries: 2 } }),
		outcome: 'error',
		message: new RegExp(`^The connection to ${URL_RE} was closed before the answer arrived$`),
		description: item0('The server or a proxy in between dropped the connection'),
		requests: 3,
	},
	// ---- Input checked before any request
	{
		group: 'Input',
		name: 'Empty prompt',
		expected: '"Prompt: has no message with content", 0 requests',
		workflow: () => chat('gpt-4o-mini', { content: '' }),
		outcome: 'error',
		message: 'Prompt: has no message with content',
		description: item0('Add a message'),
		requests: 0,
	},
	{
		group: 'Input',
		name: 'Number out of range (Temperature 5)',
		expected: '"Options → Temperature: 5 is out of range", 0 requests',
		workflow: () => chat('gpt-4o-mini', { options: { temperature: 5 } }),
		outcome: 'error',
		message: 'Options → Temperature: 5 is out of range',
		description: item0('Use a number from 0 to 2'),
		requests: 0,
	},
	{
		group: 'Input',
		name: 'Request option out of range (Max Retries 99)',
		expected: '"Request Options → Max Retries: 99 is out of range", 0 requests',
		workflow: () => chat('gpt-4o-mini', { requestOptions: { maxRetries: 99 } }),
		outcome: 'error',
		message: 'Request Options → Max Retries: 99 is out of range',
		description: item0('Use a whole number from 0 to 10'),
		requests: 0,
	},
	{
		group: 'Input',
		name: 'Invalid tools JSON',
		expected: '"Options → Tools: is not valid JSON (…)", 0 requests',
		workflow: () => chat('gpt-4o-mini', { options: { tools: '[{"type": "function",' } }),
		outcome: 'error',
		message: /^Options → Tools: is not valid JSON \(/,
		requests: 0,
	},
	{
		group: 'Input',
		name: 'Invalid JSON schema',
		expected: '"Options → JSON Schema: is not valid JSON (…)", 0 requests',
		workflow: () => chat('gpt-4o-mini', { options: { responseFormat: 'json_schema', jsonSchema: '{"type": "object", ' } }),
		outcome: 'error',
		message: /^Options → JSON Schema: is not valid JSON \(/,
		requests: 0,
	},
	{
		group: 'Input',
		name: 'Missing binary (Transcribe)',
		expected: '"Input Data Field Name: the item has no binary property "data"", 0 requests',
		workflow: () => transcribe('whisper-1', []),
		endpoint: '/audio/transcriptions',
		outcome: 'error',
		message: 'Input Data Field Name: the item has no binary property "data"',
		description: item0('The item has no binary data at all'),
		requests: 0,
	},
	{
		group: 'Input',
		name: 'Wrong-type binary (PNG to Transcribe)',
		expected: '"… is image/png (photo.png), not audio", 0 requests',
		workflow: () => transcribe('whisper-1', fileInput(fixtures.png, 'photo.png', 'image/png')),
		endpoint: '/audio/transcriptions',
		outcome: 'error',
		message: 'Input Data Field Name: binary property "data" is image/png (photo.png), not audio',
		description: item0('Use an audio file'),
		requests: 0,
	},
	{
		group: 'Input',
		name: 'Invalid Extra Headers (credential)',
		expected: '"The credential\'s Extra Headers is not valid JSON…", 0 requests',
		workflow: () => chat('gpt-4o-mini'),
		credential: 'badHeaders',
		outcome: 'error',
		message: 'The credential\'s Extra Headers is not valid JSON. Use an object such as {"X-Title": "My App"}.',
		description: item0('Open the AIConnect credential'),
		requests: 0,
	},
	// ---- Redirects (issue 10.1): the credential goes to the Base URL's origin only
	...[307, 302].map(
		(status): FaultCase => ({
			group: 'Redirect',
			name: `Chat ${status} to another origin (another port)`,
			expected: `error naming the Location; the other origin gets no request carrying a credential header; 1 request`,
			workflow: () => chat(`fault-redirect-${status}`),
			credential: 'secretHeaders',
			outcome: 'error',
			message: new RegExp(`^The provider redirected the request \\(${status}\\) to ${URL_RE}/v1/chat/completions, another origin than the Base URL's`),
			requests: 1,
			check: (o) => noCredentialElsewhere(o),
		}),
	),
	{
		group: 'Redirect',
		name: 'Chat 307 on the same origin',
		expected: 'followed: success, 2 requests (the second to ?redirected=1)',
		workflow: () => chat('fault-redirect-307-same'),
		outcome: 'success',
		requests: 2,
		check: (o) => [echo(o), o.received[1]?.query.redirected !== '1' && `second request query ${JSON.stringify(o.received[1]?.query)}`],
	},
	{
		group: 'Redirect',
		name: 'Transcribe upload meets a 307',
		expected: 'error naming the Location; the file is not sent again; 1 request',
		workflow: () => transcribe('fault-redirect-307'),
		credential: 'secretHeaders',
		endpoint: '/audio/transcriptions',
		outcome: 'error',
		message: new RegExp(`^The provider answered the upload with a redirect \\(307\\) to ${URL_RE}/v1/audio/transcriptions$`),
		httpCode: '307',
		requests: 1,
		check: (o) => noCredentialElsewhere(o),
	},
	{
		group: 'Redirect',
		name: 'Image link redirecting to blob storage (another origin)',
		expected: 'success: the image downloaded from the other origin, which got no credential header',
		workflow: () => imageLinks('fault-links-elsewhere'),
		credential: 'secretHeaders',
		endpoint: '/images/generations',
		outcome: 'success',
		requests: 1,
		check: (o) => [
			o.items[0]?.binary?.data?.mimeType !== 'image/png' && `binary ${JSON.stringify(o.items[0]?.binary?.data)}`,
			!o.elsewhere.some((r) => r.method === 'GET' && r.path.startsWith('/files/')) && 'the image was not fetched from the other origin',
			...noCredentialElsewhere(o),
		],
	},
	// ---- Secrets echoed by the provider (issue 10.2); the key search below checks every stored place too
	{
		group: 'Secrets',
		name: '401 whose message repeats the full key',
		expected: 'the provider message with the key masked (sk-…abcd), HTTP 401, 1 request',
		workflow: () => chat('fault-401-echo-key'),
		outcome: 'error',
		message: /^Incorrect API key provided: sk-…\w{4}\. You can find your API key/,
		httpCode: '401',
		requests: 1,
	},
	{
		group: 'Secrets',
		name: 'Gateway error listing every header it got (Extra Headers)',
		expected: 'the provider message with the key and the Extra Header value masked, HTTP 400, 1 request',
		workflow: () => chat('fault-echo-headers'),
		credential: 'secretHeaders',
		outcome: 'error',
		message: /^Rejected by the gateway\. Headers received: .*authorization: Bearer sk-…\w{4}/,
		httpCode: '400',
		requests: 1,
		check: (o) => [String(o.message).includes(SECRET_HEADERS.gateway) && 'the Extra Header value is in the message'],
	},
	// ---- A success status with an error body (issue 10.6)
	{
		group: 'Body',
		name: '200 with an OpenAI error body',
		expected: "an error with the provider's message, 1 request",
		workflow: () => chat('fault-200-error'),
		outcome: 'error',
		message: /The upstream model is overloaded, try again later\.$/,
		requests: 1,
	},
	// ---- whisper.cpp's server (issue 10.3): text/html transcripts and empty transcripts are answers
	{
		group: 'whisper.cpp',
		name: 'Transcribe, Response Format Text (sent as text/html)',
		expected: 'success: the transcript text, 1 request',
		workflow: () => transcribeAs('text', fixtures.wav),
		credential: 'whispercpp',
		endpoint: '/audio/transcriptions',
		outcome: 'success',
		requests: 1,
		check: (o) => [!String(o.items[0]?.json?.text).includes(`Transcript of voice.wav (${fixtures.wav.length} bytes)`) && `text ${JSON.stringify(o.items[0]?.json?.text)}`],
	},
	// An empty transcript is an answer, text "" in every format (for VTT whisper.cpp sends the header alone).
	...[
		['text', ''],
		['srt', ''],
		['vtt', ''],
		['json', ''],
	].map(
		([format, text]): FaultCase => ({
			group: 'whisper.cpp',
			name: `Transcribe silence, Response Format ${format}`,
			expected: `success: text ${JSON.stringify(text)} (an empty transcript), 1 request`,
			workflow: () => transcribeAs(format, SILENCE),
			credential: 'whispercpp',
			endpoint: '/audio/transcriptions',
			outcome: 'success',
			requests: 1,
			check: (o) => [o.items[0]?.json?.text !== text && `text ${JSON.stringify(o.items[0]?.json?.text)}`],
		}),
	),
	// ---- Batches: nothing lost
	{
		group: 'Batch',
		name: 'Continue On Fail: 5 items, items 2 and 3 fail',
		expected: '5 items in input order; 2 = input error, 3 = provider error (HTTP 400), each paired to its input; 4 requests',
		workflow: () => chatBatch(BATCH, { continueOnFail: true }),
		outcome: 'success',
		requests: 4,
		check: (o) => {
			const got = o.items.map((i) => i.json);
			const paired = o.items.map((i) => (i.pairedItem as { item?: number } | undefined)?.item);
			return [
				o.items.length !== 5 && `${o.items.length} items`,
				got[0]?.content !== 'Echo: item 0' && `item 0: ${JSON.stringify(got[0])}`,
				got[1]?.content !== 'Echo: item 1' && `item 1: ${JSON.stringify(got[1])}`,
				(got[2]?.error !== 'Prompt: has no message with content' || got[2]?.itemIndex !== 2) && `item 2: ${JSON.stringify(got[2])}`,
				(got[3]?.error !== "Invalid value for 'messages': simulated bad request (model fault-status-400:batch). (parameter: messages)" ||
					got[3]?.httpCode !== '400' ||
					got[3]?.itemIndex !== 3 ||
					!/^Item 3\. HTTP 400/.test(String(got[3]?.description))) &&
					`item 3: ${JSON.stringify(got[3])}`,
				got[4]?.content !== 'Echo: item 4' && `item 4: ${JSON.stringify(got[4])}`,
				JSON.stringify(paired) !== '[0,1,2,3,4]' && `pairedItem ${JSON.stringify(paired)}`,
			];
		},
	},
	{
		group: 'Batch',
		name: 'No Continue On Fail: item 2 fails (1 at a time)',
		expected: 'execution fails with the provider message, "Item 2." and itemIndex 2; items 3–4 never sent (3 requests)',
		workflow: () => chatBatch(STOP_BATCH, { continueOnFail: false, requestOptions: { maxConcurrency: 1 } }),
		outcome: 'error',
		message: "Invalid value for 'messages': simulated bad request (model fault-status-400:stop). (parameter: messages)",
		description: /^Item 2\. HTTP 400/,
		httpCode: '400',
		itemIndex: 2,
		requests: 3,
	},
];
