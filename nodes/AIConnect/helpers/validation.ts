import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * An error in what the user entered (a parameter, an input binary), naming the field, for the item being
 * processed; raised before any request. What a provider answered is reported by transport/errors.ts.
 */
export function userInputError(
	context: IExecuteFunctions,
	itemIndex: number,
	field: string,
	problem: string,
	hint?: string,
) {
	return new NodeOperationError(context.getNode(), `${field}: ${problem}`, {
		itemIndex,
		description: hint,
	});
}

export function requireText(
	context: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
): string {
	const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
	if (text.trim() === '') {
		throw userInputError(context, itemIndex, field, 'is empty', `Enter a value for "${field}" (an expression may have resolved to nothing).`);
	}
	return text;
}

/** A number option within bounds; undefined stays undefined (not sent). */
export function numberInRange(
	context: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
	min: number,
	max: number,
	{ integer = false }: { integer?: boolean } = {},
): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const number = typeof value === 'number' ? value : Number(value);
	if (!Number.isFinite(number) || number < min || number > max || (integer && !Number.isInteger(number))) {
		throw userInputError(
			context,
			itemIndex,
			field,
			`${JSON.stringify(value)} is out of range`,
			`Use ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}.`,
		);
	}
	return number;
}

/** A JSON field that may arrive as text (typed) or already parsed (from an expression). */
export function parseJsonField(
	context: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
): unknown {
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value);
	} catch (error) {
		throw userInputError(context, itemIndex, field, `is not valid JSON (${(error as Error).message})`);
	}
}

/** Drops undefined and empty-string values so only what the user set is sent. */
export function definedOnly<T extends Record<string, unknown>>(object: T): Partial<T> {
	return Object.fromEntries(
		Object.entries(object).filter(([, value]) => value !== undefined && value !== ''),
	) as Partial<T>;
}

/** The Model parameter, trimmed; every action needs one. */
export function readModel(context: IExecuteFunctions, itemIndex: number): string {
	const model = String(context.getNodeParameter('model', itemIndex, '') ?? '').trim();
	if (!model) throw userInputError(context, itemIndex, 'Model', 'is empty', 'Pick a model from the list or type its ID.');
	return model;
}
