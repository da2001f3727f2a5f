// Audio → Transcribe / Translate inside real n8n against the real whisper.cpp `whisper-server` (a server this
// project did not write), built from the nodejs-whisper npm package and running a generated tiny model that says
// " Hello world" for any sound and nothing for digital silence (dev/whisper-server/). Every response format, both
// with speech and with a silent recording, whose empty transcript is a valid answer.
import { makeWavFile, startProvider } from '../../dev/provider/server';
import type { Provider } from '../../dev/provider/server';
import { ensureWhisperServer } from '../../dev/whisper-server/build';
import { TINY_MODEL_ANSWER } from '../../dev/whisper-server/model';
import { startWhisperServer, WhisperServer } from '../../dev/whisper-server/server';
import type { Credential } from '../../harness/n8n';
import { useE2EContext } from './support/n8n-session';
import { aiconnect, chain, fileInput, manualTrigger } from './support/workflows';

const FORMATS = ['json', 'verbose_json', 'text', 'srt', 'vtt'] as const;
type Format = (typeof FORMATS)[number];
type Task = 'transcribe' | 'translate';

const recordings = {
	speech: { name: 'voice.wav', bytes: makeWavFile(1) }, // 1 s tone: "sound" to the tiny model
	silence: { name: 'silence.wav', bytes: makeWavFile(1, 0) }, // 1 s of zero samples
};
type Recording = keyof typeof recordings;

// Only the first run on a machine compiles whisper-server (~70 s on two free cores, longer on a busy machine).
const BUILD_TIMEOUT_MS = 20 * 60 * 1000;

const ctx = useE2EContext();
const servers = {} as Record<Task, WhisperServer>;
const credentials = {} as Record<Task, Credential>;

beforeAll(async () => {
	await ensureWhisperServer();
	// whisper-server serves one inference path per process, so Transcribe and Translate each get one, as a user
	// would run them behind an OpenAI-style Base URL.
	servers.transcribe = await startWhisperServer({ inferencePath: '/audio/transcriptions' });
	servers.translate = await startWhisperServer({ inferencePath: '/audio/translations' });
	for (const task of ['transcribe', 'translate'] as const) {
		credentials[task] = await ctx.credentialFor(servers[task].baseUrl, 'sk-whisper-cpp-ignores-keys', `whisper-server ${task}`);
	}
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
	await Promise.all(Object.values(servers).map((server) => server.close()));
});

function workflow(task: Task, format: Format, recording: Recording) {
	const { name, bytes } = recordings[recording];
	return chain(`E2E whisper-server ${task} ${format} ${recording}`, [
		manualTrigger(),
		...fileInput(bytes, name, 'audio/wav'),
		aiconnect({
			resource: 'audio',
			operation: task,
			model: 'whisper-1',
			binaryPropertyName: 'data',
			simplify: true,
			options: { responseFormat: format },
		}),
	]);
}

/** How many uploads of this file whisper-server has processed (it logs each one to stderr). */
const processed = (task: Task, recording: Recording) => servers[task].output().split(`processing '${recordings[recording].name}'`).length - 1;

async function run(task: Task, format: Format, recording: Recording) {
	const before = processed(task, recording);
	const outcome = await ctx.run(workflow(task, format, recording), { credential: credentials[task] });
	const [item] = outcome.items(); // throws with the node's own error when the execution failed
	expect(outcome.status).toBe('success');
	expect(processed(task, recording)).toBe(before + 1); // the answer came from whisper-server itself
	return item.json;
}

const { text: SPOKEN, start, end } = TINY_MODEL_ANSWER;
const spoken = SPOKEN.trim(); // whisper.cpp keeps the leading space of the first token and ends text with "\n"
const stamp = (seconds: number, separator: ',' | '.') => `00:00:${String(seconds).padStart(2, '0')}${separator}000`;
const cue = (separator: ',' | '.') => `${stamp(start, separator)} --> ${stamp(end, separator)}\n${SPOKEN}`;

/** What AIConnect outputs for each format, for a recording with speech. */
const withSpeech: Record<Format, (json: Record<string, unknown>) => void> = {
	json: (json) => expect(String(json.text).trim()).toBe(spoken),
	verbose_json: (json) => {
		expect(String(json.text).trim()).toBe(spoken);
		expect(json).toMatchObject({ language: 'english', duration: 1 });
		expect(json.segments).toEqual([
			expect.objectContaining({ id: 0, text: SPOKEN, start, end, words: [expect.objectContaining({ word: ' Hello' }), expect.objectContaining({ word: ' world' })] }),
		]);
	},
	// whisper-server labels plain text as text/html; charset=utf-8 — it is still the transcript, not a web page.
	text: (json) => expect(String(json.text).trim()).toBe(spoken),
	srt: (json) => expect(json.text).toMatch(new RegExp(`^1\\n${escape(cue(','))}`)),
	vtt: (json) => expect(json.text).toMatch(new RegExp(`^WEBVTT\\n\\n${escape(cue('.'))}`)),
};

/** A silent recording: an empty transcript, which is an answer, not an error. */
const withSilence: Record<Format, (json: Record<string, unknown>) => void> = {
	json: (json) => expect(json.text).toBe(''),
	verbose_json: (json) => {
		expect(json.text).toBe('');
		expect(json.segments).toEqual([]);
	},
	text: (json) => expect(json.text).toBe(''), // whisper-server sends no body at all
	srt: (json) => expect(json.text).toBe(''), // no body either
	vtt: (json) => expect(json.text).toBe(''), // whisper-server sends the header of a file without cues
};

function escape(text: string) {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe.each(['transcribe', 'translate'] as const)('%s against whisper-server', (task) => {
	test.each(FORMATS)('%s: a recording with speech gives its transcript', async (format) => {
		withSpeech[format](await run(task, format, 'speech'));
	});

	test.each(FORMATS)('%s: a silent recording gives an empty transcript', async (format) => {
		withSilence[format](await run(task, format, 'silence'));
	});
});

// The premise of the tests above, checked against the server directly: these are the answers AIConnect must take.
// The local provider's whisper.cpp profile (dev/provider/profiles/whispercpp.js), which faster tests use, is held to
// the same answers here.
describe('whisper-server itself', () => {
	const CONTENT_TYPES: Record<Format, string> = {
		json: 'application/json',
		verbose_json: 'application/json',
		text: 'text/html; charset=utf-8',
		srt: 'application/x-subrip',
		vtt: 'text/vtt',
	};
	let fake: Provider;
	beforeAll(async () => {
		fake = await startProvider({ port: 0, profile: 'whispercpp' });
	});
	afterAll(() => fake?.close());

	async function post(baseUrl: string, format: Format | undefined, file?: { name: string; bytes: Buffer }) {
		const form = new FormData();
		if (file) form.append('file', new Blob([new Uint8Array(file.bytes)], { type: 'audio/wav' }), file.name);
		if (format) form.append('response_format', format);
		const res = await fetch(`${baseUrl}/audio/transcriptions`, { method: 'POST', body: form });
		return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
	}

	/** An answer with the server's own transcript replaced by <T>; Verbose JSON reduced to its keys and texts. */
	async function shape(baseUrl: string, format: Format, recording: Recording) {
		const transcript = JSON.parse((await post(baseUrl, 'json', recordings.speech)).body).text.replace(/\n$/, '');
		const answer = await post(baseUrl, format, recordings[recording]);
		const body = answer.body.split(transcript).join('<T>');
		if (format !== 'verbose_json') return { ...answer, body };
		const json = JSON.parse(body);
		const keys = (o: object | undefined) => Object.keys(o ?? {}).sort();
		const segments = json.segments.map((segment: { text: string; words: object[] }) => ({ keys: keys(segment), text: segment.text, wordKeys: keys(segment.words[0]) }));
		return { status: answer.status, type: answer.type, keys: keys(json), text: json.text, segments };
	}

	test.each(FORMATS)('answers %s with its own Content-Type', async (format) => {
		const answer = await post(servers.transcribe.baseUrl, format, recordings.speech);
		expect(answer).toMatchObject({ status: 200, type: CONTENT_TYPES[format] });
		expect(answer.body).toContain(spoken);
	});

	test('answers a silent recording in Text and SRT with an empty body', async () => {
		for (const format of ['text', 'srt'] as const) {
			expect(await post(servers.transcribe.baseUrl, format, recordings.silence)).toEqual({ status: 200, type: CONTENT_TYPES[format], body: '' });
		}
	});

	test('refuses an upload that is not audio with a plain-text 400', async () => {
		const notAudio = { name: 'notes.txt', bytes: Buffer.from('not audio') };
		expect(await post(servers.transcribe.baseUrl, 'json', notAudio)).toEqual({ status: 400, type: 'text/plain', body: 'Invalid request' });
	});

	test.each(FORMATS)('the local provider\'s whisper.cpp profile answers %s as the real server does', async (format) => {
		for (const recording of ['speech', 'silence'] as const) {
			const [real, local] = [await shape(servers.transcribe.baseUrl, format, recording), await shape(fake.baseUrl, format, recording)];
			expect({ recording, ...local }).toEqual({ recording, ...real });
		}
	});

	test('the local provider\'s whisper.cpp profile refuses as the real server does', async () => {
		const notAudio = { name: 'notes.txt', bytes: Buffer.from('not audio') };
		for (const file of [undefined, notAudio]) {
			expect(await post(fake.baseUrl, 'json', file)).toEqual(await post(servers.transcribe.baseUrl, 'json', file));
		}
		const models = async (baseUrl: string) => {
			const res = await fetch(`${baseUrl}/models`);
			return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
		};
		expect(await models(fake.baseUrl)).toEqual(await models(servers.transcribe.baseUrl));
	});
});
