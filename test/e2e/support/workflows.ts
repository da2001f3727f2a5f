// Workflow builders shared by the e2e files, so the same workflows run against the local provider and Prism.
import { randomUUID } from 'crypto';
import type { Workflow } from '../../../harness/n8n';
import { makePng, makeWavFile } from '../../../dev/provider/server';

export const AICONNECT_TYPE = 'n8n-nodes-aiconnect.aiConnect';
export const AICONNECT = 'AIConnect';

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	webhookId?: string;
	credentials?: Record<string, { id: string; name: string }>;
}

export function node(name: string, type: string, typeVersion: number, parameters: Record<string, unknown>): WorkflowNode {
	return { id: randomUUID(), name, type, typeVersion, position: [0, 0], parameters };
}

export function aiconnect(parameters: Record<string, unknown>, name = AICONNECT): WorkflowNode {
	return node(name, AICONNECT_TYPE, 1, parameters);
}

export const manualTrigger = () => node('Manual Trigger', 'n8n-nodes-base.manualTrigger', 1, {});

/** Linear workflow: each node feeds the next; positions spread out so the editor shows them readably. */
export function chain(name: string, nodes: WorkflowNode[]): Workflow {
	const connections: Record<string, unknown> = {};
	nodes.forEach((n, i) => {
		n.position = [240 + i * 220, 300];
		if (i < nodes.length - 1) connections[n.name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	});
	return { name, nodes, connections, settings: { executionOrder: 'v1' } };
}

/** Set (raw JSON) + Convert to File: a binary input item without network or disk access. */
export function fileInput(bytes: Buffer, fileName: string, mimeType: string, property = 'data'): WorkflowNode[] {
	return [
		node('Fixture', 'n8n-nodes-base.set', 3.4, { mode: 'raw', jsonOutput: JSON.stringify({ b64: bytes.toString('base64') }), options: {} }),
		node(`To ${property}`, 'n8n-nodes-base.convertToFile', 1.1, {
			operation: 'toBinary',
			sourceProperty: 'b64',
			binaryPropertyName: property,
			options: { fileName, mimeType },
		}),
	];
}

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
