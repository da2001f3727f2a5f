import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { additionalBodyFieldsOption } from '../../helpers';
import { jsonExpression, modelField, optionsCollection, userOption } from '../shared.description';
import { batchKeyOf, groupByBatchKey } from './batchKey';
import { sendBisecting } from './bisect';
import type { EmbeddingRequest } from './input';
import { DEFAULT_BATCH_SIZE, estimateTokens, MAX_DIMENSIONS, MAX_INPUTS_PER_REQUEST, MAX_TOKENS_PER_REQUEST, readEmbeddingRequest } from './input';
import type { Entry } from './request';
import { aboutWholeRequest, mayBeOneInput, requestEmbeddings } from './request';

const properties: INodeProperties[] = [
	modelField('getEmbeddingModels', 'text-embedding-3-small', 'text-embedding-3-small, nomic-embed-text or BAAI/bge-m3'),
	{
		displayName: 'Input',
		name: 'inputSource',
		type: 'options',
		options: [
			{ name: 'Text', value: 'text', description: 'Type the text or build it with an expression' },
			{ name: 'Field', value: 'field', description: 'Read a field of the input item holding a string or a list of strings' },
		],
		default: 'text',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		required: true,
		displayOptions: { show: { inputSource: ['text'] } },
		description: `The text to embed, e.g. ${jsonExpression('content')}`,
	},
	{
		displayName: 'Input Field',
		name: 'inputField',
		type: 'string',
		default: 'text',
		required: true,
		placeholder: 'e.g. chunks',
		displayOptions: { show: { inputSource: ['field'] } },
		description:
			'Name of the field holding a string, or a list of strings (one output item per string, with its position as "index"). Dots reach into objects, e.g. doc.paragraphs.',
	},
	optionsCollection([
		additionalBodyFieldsOption,
		{
			displayName: 'Batch Size',
			name: 'batchSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_INPUTS_PER_REQUEST },
			default: DEFAULT_BATCH_SIZE,
			description: `How many texts go in one request (up to ${MAX_INPUTS_PER_REQUEST}, OpenAI's limit; requests also stay under its ${MAX_TOKENS_PER_REQUEST.toLocaleString('en-US')} tokens). Use 1 for servers that take one text at a time.`,
		},
		{
			displayName: 'Dimensions',
			name: 'dimensions',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_DIMENSIONS },
			default: 1536,
			description: 'How many numbers each embedding has; only models that can shorten their embeddings take it (e.g. text-embedding-3-small, up to 1536)',
		},
		{
			displayName: 'Encoding Format',
			name: 'encodingFormat',
			type: 'options',
			options: [
				{ name: 'Float', value: 'float', description: 'A list of numbers' },
				{ name: 'Base64', value: 'base64', description: 'Smaller answers; the node decodes them to numbers for you' },
			],
			default: 'float',
			description: 'How the provider sends the embeddings. The output is always a list of numbers.',
		},
		userOption,
	]),
];

export const kind = 'batch' as const;

export const description = updateDisplayOptions({ show: { resource: ['embeddings'], operation: ['create'] } }, properties);

interface Planned {
	items: number[];
	texts: number;
	tokens: number;
	limit: number;
}

const tokensOf = (texts: string[]) => texts.reduce((sum, text) => sum + estimateTokens(text), 0);

/**
 * Groups items into requests: items of equal batch key (same request fields, credential and Request
 * Options; see batchKey.ts), up to Batch Size texts and OpenAI's token limit per request. An item whose
 * parameters or credential can't be read gets a group of its own, where executeBatch reports its error
 * without affecting the others.
 */
export async function planBatches(this: IExecuteFunctions, itemIndexes: number[]): Promise<number[][]> {
	const done: number[][] = [];
	const open = new Map<string, Planned>();
	for (const itemIndex of itemIndexes) {
		let request: EmbeddingRequest;
		let key: string;
		try {
			request = readEmbeddingRequest(this, itemIndex);
			key = await batchKeyOf(this, itemIndex, request);
		} catch {
			done.push([itemIndex]);
			continue;
		}
		const texts = request.texts.length;
		const tokens = tokensOf(request.texts);
		const current = open.get(key);
		if (current && current.texts + texts <= current.limit && current.tokens + tokens <= MAX_TOKENS_PER_REQUEST) {
			current.items.push(itemIndex);
			current.texts += texts;
			current.tokens += tokens;
			continue;
		}
		if (current) done.push(current.items);
		open.set(key, { items: [itemIndex], texts, tokens, limit: request.batchSize });
	}
	return [...done, ...[...open.values()].map((group) => group.items)].sort((a, b) => a[0] - b[0]);
}

/** Cuts a group's texts into requests of at most `limit` texts and the token limit (an item may span several). */
function chunk(entries: Entry[], limit: number): Entry[][] {
	const chunks: Entry[][] = [];
	let tokens = 0;
	for (const entry of entries) {
		const cost = estimateTokens(entry.text);
		const last = chunks[chunks.length - 1];
		if (last && last.length < limit && tokens + cost <= MAX_TOKENS_PER_REQUEST) {
			last.push(entry);
			tokens += cost;
		} else {
			chunks.push([entry]);
			tokens = cost;
		}
	}
	return chunks;
}

/** Sends the texts of items that share a batch key, bisecting refused requests; one outcome per item. */
async function sendGroup(
	context: IExecuteFunctions,
	itemIndexes: number[],
	requests: Map<number, EmbeddingRequest>,
	outcomes: Map<number, INodeExecutionData[] | Error>,
) {
	const first = requests.get(itemIndexes[0])!;
	const entries = itemIndexes.flatMap((itemIndex) =>
		requests.get(itemIndex)!.texts.map((text, position): Entry => ({ itemIndex, position, text })),
	);
	const send = async (part: Entry[]) => await requestEmbeddings(context, part, first.fields);
	const results = new Map<number, INodeExecutionData[]>();
	for (const part of chunk(entries, first.batchSize)) {
		const answers = await sendBisecting(part, send, { splittable: mayBeOneInput, aboutWholeRequest });
		part.forEach((entry, i) => {
			const answer = answers[i];
			if (outcomes.has(entry.itemIndex)) return;
			if (answer instanceof Error) {
				outcomes.set(entry.itemIndex, answer);
				return;
			}
			const json: IDataObject = { embedding: answer.embedding, index: entry.position, model: answer.model, usage: answer.usage };
			const { warnings } = requests.get(entry.itemIndex)!;
			if (warnings.length) json.warnings = warnings;
			const list = results.get(entry.itemIndex) ?? [];
			list.push({ json, pairedItem: { item: entry.itemIndex } });
			results.set(entry.itemIndex, list);
		});
	}
	for (const [itemIndex, list] of results) if (!outcomes.has(itemIndex)) outcomes.set(itemIndex, list);
}

/**
 * Runs one planned group: one outcome per item, in order — its output items, or its own error. The group
 * is split again by batch key here, so whoever forms the groups, a request only ever carries texts of
 * items that share its credential, fields and Request Options.
 */
export async function executeBatch(
	this: IExecuteFunctions,
	itemIndexes: number[],
): Promise<Array<INodeExecutionData[] | Error>> {
	const outcomes = new Map<number, INodeExecutionData[] | Error>();
	const requests = new Map<number, EmbeddingRequest>();
	for (const itemIndex of itemIndexes) {
		try {
			requests.set(itemIndex, readEmbeddingRequest(this, itemIndex));
		} catch (error) {
			outcomes.set(itemIndex, error as Error);
		}
	}
	const { groups, failed } = await groupByBatchKey(this, requests);
	for (const [itemIndex, error] of failed) outcomes.set(itemIndex, error);
	for (const group of groups) await sendGroup(this, group, requests, outcomes);
	return itemIndexes.map((itemIndex) => outcomes.get(itemIndex)!);
}
