// The e2e files' workflows: the shared builder (harness/workflows.js) plus the seven actions as runnable workflows
// and the fixtures they send, so the same workflows run against the local provider and Prism.
import { makePng, makeWavFile } from '../../../dev/provider/server';
import { aiconnect, chain, fileInput, manualTrigger, node } from '../../../harness/workflows';
import type { Workflow, WorkflowNode } from '../../../harness/workflows';

export { aiconnect, chain, fileInput, manualTrigger, node } from '../../../harness/workflows';
export type { Workflow, WorkflowNode } from '../../../harness/workflows';

export const fixtures = {
	png: makePng(64, 64, [200, 40, 40]),
	wav: makeWavFile(1),
};

/** The seven actions, each as a runnable workflow whose AIConnect node is named `AIConnect`. */
export interface ActionOptions {
	model?: string;
	/** extra/overriding AIConnect parameters */
	parameters?: Record<string, unknown>;
}

const options = (o: ActionOptions | undefined, defaults: Record<string, unknown>) => ({ ...defaults, ...(o?.model ? { model: o.model } : {}), ...(o?.parameters ?? {}) });

export const actions = {
	chatComplete: (o?: ActionOptions) =>
		chain('E2E Chat Complete', [
			manualTrigger(),
			aiconnect(
				options(o, {
					resource: 'chat',
					operation: 'complete',
					model: 'gpt-4o-mini',
					prompt: {
						messages: [
							{ role: 'system', content: 'Answer in one sentence.' },
							{ role: 'user', content: 'What is n8n?' },
						],
					},
					simplify: true,
					options: { temperature: 0.2, maxTokens: 200 },
				}),
			),
		]),
	imageCreate: (o?: ActionOptions) =>
		chain('E2E Image Create', [
			manualTrigger(),
			aiconnect(
				options(o, {
					resource: 'image',
					operation: 'create',
					model: 'dall-e-2',
					prompt: 'A red square on white',
					n: 2,
					size: '256x256',
					responseFormat: 'url',
					simplify: true,
					options: { binaryPropertyOutput: 'data' },
				}),
			),
		]),
	imageEdit: (o?: ActionOptions) =>
		chain('E2E Image Edit', [
			manualTrigger(),
			...fileInput(fixtures.png, 'square.png', 'image/png'),
			aiconnect(
				options(o, {
					resource: 'image',
					operation: 'edit',
					model: 'dall-e-2',
					prompt: 'Add a blue circle',
					binaryPropertyName: 'data',
					n: 1,
					size: '256x256',
					responseFormat: 'b64_json',
					simplify: true,
					options: { binaryPropertyOutput: 'data' },
				}),
			),
		]),
	imageVariation: (o?: ActionOptions) =>
		chain('E2E Image Variation', [
			manualTrigger(),
			...fileInput(fixtures.png, 'square.png', 'image/png'),
			aiconnect(
				options(o, {
					resource: 'image',
					operation: 'variation',
					model: 'dall-e-2',
					binaryPropertyName: 'data',
					n: 2,
					size: '256x256',
					responseFormat: 'b64_json',
					simplify: true,
					options: { binaryPropertyOutput: 'data' },
				}),
			),
		]),
	audioTranscribe: (o?: ActionOptions) =>
		chain('E2E Audio Transcribe', [
			manualTrigger(),
			...fileInput(fixtures.wav, 'voice.wav', 'audio/wav'),
			aiconnect(
				options(o, {
					resource: 'audio',
					operation: 'transcribe',
					model: 'whisper-1',
					binaryPropertyName: 'data',
					simplify: true,
					options: { language: 'en', responseFormat: 'verbose_json', timestampGranularities: ['word', 'segment'] },
				}),
			),
		]),
	audioTranslate: (o?: ActionOptions) =>
		chain('E2E Audio Translate', [
			manualTrigger(),
			...fileInput(fixtures.wav, 'voice.wav', 'audio/wav'),
			aiconnect(
				options(o, {
					resource: 'audio',
					operation: 'translate',
					model: 'whisper-1',
					binaryPropertyName: 'data',
					simplify: true,
					options: { responseFormat: 'json' },
				}),
			),
		]),
	audioSpeech: (o?: ActionOptions) =>
		chain('E2E Audio Speech', [
			manualTrigger(),
			aiconnect(
				options(o, {
					resource: 'audio',
					operation: 'speech',
					model: 'tts-1',
					input: 'Hello from AIConnect inside n8n.',
					voice: 'alloy',
					options: { responseFormat: 'mp3', speed: 1 },
				}),
			),
		]),
};

export type ActionName = keyof typeof actions;

/**
 * Several items, each with its own model and text, into one Chat → Complete node named `AIConnect` (with
 * Continue On Fail when asked: n8n's "On Error → Continue").
 */
export function chatBatch(
	rows: Array<{ model: string; text: string }>,
	{ continueOnFail, requestOptions = {} }: { continueOnFail: boolean; requestOptions?: Record<string, unknown> },
): Workflow {
	const ai: WorkflowNode & { onError?: string } = aiconnect({
		resource: 'chat',
		operation: 'complete',
		model: '={{ $json.model }}',
		prompt: { messages: [{ role: 'user', content: '={{ $json.text }}' }] },
		simplify: true,
		options: {},
		requestOptions,
	});
	if (continueOnFail) ai.onError = 'continueRegularOutput';
	return chain(`Chat batch ${continueOnFail ? 'continue' : 'stop'}`, [
		manualTrigger(),
		node('Items', 'n8n-nodes-base.set', 3.4, { mode: 'raw', jsonOutput: JSON.stringify({ rows }), options: {} }),
		node('Split Out', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'rows', options: {} }),
		ai,
	]);
}
