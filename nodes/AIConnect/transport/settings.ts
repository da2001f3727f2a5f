import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { requestOptionsField } from './requestOptionsField';

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

/** Read once per item of a run: an item's several requests (an image and its downloads) share them. */
const settingsByRun = new WeakMap<Context, Map<number, RequestSettings>>();

/** The Request Options of the item, validated; model lists (no item) get their own short settings. */
export function requestSettings(context: Context, itemIndex?: number): RequestSettings {
	if (itemIndex === undefined || !('getInputData' in context)) return MODEL_LIST_SETTINGS;
	let byItem = settingsByRun.get(context);
	if (!byItem) settingsByRun.set(context, (byItem = new Map()));
	let settings = byItem.get(itemIndex);
	if (!settings) {
		const options = requestOptionsOf(context, itemIndex);
		settings = {
			maxRetries: readNumber(context, itemIndex, options, 'maxRetries'),
			timeoutMs: readNumber(context, itemIndex, options, 'timeout'),
			maxDownloadBytes: readNumber(context, itemIndex, options, 'maxDownloadMb') * 1024 * 1024,
		};
		byItem.set(itemIndex, settings);
	}
	return settings;
}

/**
 * How many items the router runs at once: Adaptive (up to Max Concurrent Requests) or Fixed. Read from the
 * first item, because the pool is one for the whole run; a value outside the field's limits is clamped into
 * them, as the field itself does.
 */
export function concurrencySettings(context: IExecuteFunctions): { adaptive: boolean; max: number } {
	// One pool per run, so these are read with the first item; a value out of range stops the run with the
	// field named rather than being clamped behind the user's back.
	const options = requestOptionsOf(context, 0);
	return { adaptive: options.concurrency !== 'fixed', max: readNumber(context, 0, options, 'maxConcurrency') };
}
