/*
 * Request Options: the field every operation shows, and the reader that validates an item's values.
 */
import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ADAPTIVE_MAX, ADAPTIVE_START, MAX_CONCURRENCY } from '../scheduling';

/**
 * The Request Options every operation shows. The defaults and limits of the number options are the field's:
 * the reader below takes them from it when it validates an item's values. The concurrency numbers come from
 * the scheduler, which uses them.
 */
export const requestOptionsField: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add Request Option',
	default: {},
	options: [
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'options',
			options: [
				{
					name: 'Adaptive',
					value: 'adaptive',
					description:
						`Starts with ${ADAPTIVE_START} requests at a time and sends more while the provider answers without queueing them; sends fewer when it says it is overloaded (503, timeouts, refused connections) or when answers slow down because it queues them. A rate limit (429 with Retry-After) pauses all requests for as long as the provider asks.`,
				},
				{
					name: 'Fixed',
					value: 'fixed',
					description: 'Always sends Max Concurrent Requests at a time',
				},
			],
			default: 'adaptive',
			description: 'How many items are sent to the provider at the same time. Output order always follows input order.',
		},
		{
			displayName: 'Max Concurrent Requests',
			name: 'maxConcurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
			default: ADAPTIVE_MAX,
			description:
				'With Adaptive concurrency the most requests sent at once; with Fixed exactly this many. Use 1 for servers that must never get two requests at a time.',
		},
		{
			displayName: 'Max Download Size (MB)',
			name: 'maxDownloadMb',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1048576 },
			default: 100,
			description:
				'Largest file fetched from a link the provider returns (image URLs), in megabytes; 0 means no limit. A larger file stops the item instead of filling memory or disk.',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: 2,
			description:
				'How often a request is retried after a rate limit (429), a server error (5xx) or a dropped connection, waiting longer each time and as long as the provider asks (Retry-After)',
		},
		{
			displayName: 'Timeout (Ms)',
			name: 'timeout',
			type: 'number',
			// Node.js timers hold at most 2^31-1 ms (about 24.8 days) and turn longer waits into 1 ms.
			typeOptions: { minValue: 0, maxValue: 2147483647 },
			default: 600000,
			description:
				'How long to wait for each answer, in milliseconds; 0 waits without limit. Long transcriptions and image jobs can take minutes.',
		},
	],
};


/** How one item's requests are sent, from the node's Request Options. */
export interface RequestSettings {
	/** Retries after the first attempt. */
	maxRetries: number;
	/** Per attempt; 0 means no limit. */
	timeoutMs: number;
	/** Largest file fetched from a link the provider returned; 0 means no limit. */
	maxDownloadBytes: number;
}

type OptionName = 'maxConcurrency' | 'maxRetries' | 'timeout' | 'maxDownloadMb';

interface NumberOption {
	label: string;
	default: number;
	min: number;
	max: number;
}

/** A Request Option's label, default and limits, as the field declares them. */
function declared(name: OptionName): NumberOption {
	const field = (requestOptionsField.options as INodeProperties[]).find((option) => option.name === name)!;
	return {
		// "Timeout (Ms)" is called "Timeout" in messages.
		label: field.displayName.replace(/\s*\(.*\)$/, ''),
		default: field.default as number,
		min: field.typeOptions?.minValue ?? 0,
		max: field.typeOptions?.maxValue ?? Number.MAX_SAFE_INTEGER,
	};
}

const OPTIONS: Record<OptionName, NumberOption> = {
	maxConcurrency: declared('maxConcurrency'),
	maxRetries: declared('maxRetries'),
	timeout: declared('timeout'),
	maxDownloadMb: declared('maxDownloadMb'),
};

/** Why a limit is what it is, where the range alone would puzzle. */
const LIMIT_REASONS: Partial<Record<OptionName, string>> = {
	timeout: ' Node.js cannot wait longer than 2147483647 ms (about 24.8 days) and would turn a longer timeout into 1 ms; 0 waits without limit.',
};

/** The editor's model lists run outside any item and must answer quickly. */
const MODEL_LIST_SETTINGS: RequestSettings = { maxRetries: 1, timeoutMs: 15_000, maxDownloadBytes: 0 };

type Context = IExecuteFunctions | ILoadOptionsFunctions;

function requestOptionsOf(context: IExecuteFunctions, itemIndex: number): IDataObject {
	return (context.getNodeParameter('requestOptions', itemIndex, {}) ?? {}) as IDataObject;
}

/** One Request Option as a whole number within its limits, or a clear error naming the field. */
function readNumber(context: IExecuteFunctions, itemIndex: number, options: IDataObject, name: OptionName) {
	const option = OPTIONS[name];
	const value = options[name];
	if (value === undefined || value === null || value === '') return option.default;
	const number = Number(value);
	if (!Number.isInteger(number) || number < option.min || number > option.max) {
		throw new NodeOperationError(context.getNode(), `Request Options → ${option.label}: ${JSON.stringify(value)} is out of range`, {
			itemIndex,
			description: `Use a whole number from ${option.min} to ${option.max}.${LIMIT_REASONS[name] ?? ''}`,
		});
	}
	return number;
}

/**
 * The Request Options of the item, validated; model lists (no item) get their own short settings. Read for
 * each request (cheap next to the request); an item's several requests (an image and its downloads) get the
 * same values, as the parameter is the same.
 */
export function requestSettings(context: Context, itemIndex?: number): RequestSettings {
	if (itemIndex === undefined || !('getInputData' in context)) return MODEL_LIST_SETTINGS;
	const options = requestOptionsOf(context, itemIndex);
	return {
		maxRetries: readNumber(context, itemIndex, options, 'maxRetries'),
		timeoutMs: readNumber(context, itemIndex, options, 'timeout'),
		maxDownloadBytes: readNumber(context, itemIndex, options, 'maxDownloadMb') * 1024 * 1024,
	};
}

/**
 * How many requests the run's scheduler lets run at once: Adaptive (up to Max Concurrent Requests) or Fixed.
 * Read from the first item, because the scheduler is one for the whole run; a value out of range stops the
 * run with the field named rather than being clamped behind the user's back.
 */
export function concurrencySettings(context: IExecuteFunctions): { adaptive: boolean; max: number } {
	const options = requestOptionsOf(context, 0);
	return { adaptive: options.concurrency !== 'fixed', max: readNumber(context, 0, options, 'maxConcurrency') };
}
