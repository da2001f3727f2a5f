import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { FormValue } from './multipart';
import { userInputError } from './validation';

/**
 * Options → Additional Body Fields: the escape hatch for whatever a provider accepts beyond OpenAI's
 * parameters (OpenRouter `provider`, vLLM `guided_json`, Ollama `keep_alive` ...). Every action offers it
 * and merges it last, through the functions below, so a value a user sets always reaches the provider.
 */

const FIELD = 'Options → Additional Body Fields';

export const additionalBodyFieldsOption: INodeProperties = {
	displayName: 'Additional Body Fields',
	name: 'additionalBodyFields',
	type: 'json',
	default: '{}',
	description:
		'A JSON object merged last into the request body, for parameters this node has no option for, e.g. {"keep_alive": "10m"} (Ollama), {"provider": {"order": ["groq"]}} (OpenRouter), {"chat_template_kwargs": {"enable_thinking": false}} (vLLM, llama.cpp). A field the node sets is replaced and the output lists it under "warnings". File uploads send nested values as key[sub] and arrays as key[], as OpenAI\'s SDK does.',
};

/** The user's Additional Body Fields, or undefined when none are set. Anything but a JSON object stops the item. */
export function readAdditionalBodyFields(
	context: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
): IDataObject | undefined {
	if (value === undefined || value === null) return undefined;
	let parsed: unknown = value;
	if (typeof value === 'string') {
		if (value.trim() === '') return undefined;
		try {
			parsed = JSON.parse(value);
		} catch (error) {
			throw userInputError(context, itemIndex, FIELD, `is not valid JSON (${(error as Error).message})`, 'Give a JSON object such as {"keep_alive": "10m"}.');
		}
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		const got = Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : `a ${typeof parsed}`;
		throw userInputError(context, itemIndex, FIELD, `must be a JSON object, not ${got}`, 'Give a JSON object such as {"keep_alive": "10m"}.');
	}
	const fields = parsed as IDataObject;
	return Object.keys(fields).length ? fields : undefined;
}

/** The warning an item's output carries when Additional Body Fields replaced fields the node had set. */
export function replacedFieldsWarning(replaced: string[]): string | undefined {
	if (replaced.length === 0) return undefined;
	return `Additional Body Fields replaced ${replaced.map((name) => `"${name}"`).join(', ')} set by the node`;
}

/**
 * A JSON body with the Additional Body Fields merged last; `replaced` names the node's fields they overrode.
 * Only top-level fields left empty are omitted: a node field the user didn't set (undefined), and a field
 * given as null in the Additional Body Fields, which removes the node's field of that name. Everything below
 * the top level — a JSON schema's `"enum": ["a", null]` or `"default": null`, a tool's parameters, a nested
 * provider option — is sent exactly as written.
 */
export function mergeBodyFields(body: IDataObject, extra: IDataObject | undefined): { body: IDataObject; replaced: string[] } {
	const replaced = Object.keys(extra ?? {}).filter((name) => body[name] !== undefined);
	const merged: IDataObject = {};
	for (const [name, value] of Object.entries({ ...body, ...extra })) {
		if (value !== null && value !== undefined) merged[name] = value;
	}
	return { body: merged, replaced };
}

/** Multipart text fields as the form encoder takes them: a name, and one value or several (repeated parts). */
export type FormFields = Record<string, FormValue | FormValue[]>;

/** One text part of a multipart form. */
export type FormField = [name: string, value: string];

/**
 * A value as multipart text parts, named as OpenAI's SDK names them (openai-node src/internal/uploads.ts
 * `addFormValue`): arrays as `key[]`, objects as `key[sub]`, recursively; numbers and booleans as text.
 * Nulls are left out.
 */
export function flattenFormValue(key: string, value: unknown): FormField[] {
	if (value === null || value === undefined) return [];
	if (Array.isArray(value)) return value.flatMap((entry) => flattenFormValue(`${key}[]`, entry));
	if (typeof value === 'object') {
		return Object.entries(value as IDataObject).flatMap(([name, entry]) => flattenFormValue(`${key}[${name}]`, entry));
	}
	return [[key, String(value)]];
}

/** The top-level field a multipart part name belongs to: `image[]` → `image`, `chunking_strategy[type]` → `chunking_strategy`. */
const topLevelName = (partName: string) => partName.replace(/\[.*$/, '');

const isSet = (value: FormValue | FormValue[]) =>
	Array.isArray(value) ? value.some((entry) => entry !== undefined && entry !== '') : value !== undefined && value !== '';

/**
 * Multipart text fields with the Additional Body Fields merged last: a field the user gives replaces the
 * node's field of that name (all its parts). File parts can't be replaced by text.
 */
export function mergeFormFields(
	context: IExecuteFunctions,
	itemIndex: number,
	fields: FormFields,
	fileFields: string[],
	extra: IDataObject | undefined,
): { fields: FormFields; replaced: string[] } {
	if (!extra) return { fields, replaced: [] };
	const files = new Set(fileFields.map(topLevelName));
	for (const name of Object.keys(extra)) {
		if (files.has(topLevelName(name))) {
			throw userInputError(context, itemIndex, FIELD, `"${name}" is the file being uploaded and can't be replaced by a value`, 'Choose the file with the input binary field instead.');
		}
	}
	const overridden = new Set(Object.keys(extra).map(topLevelName));
	const merged: FormFields = {};
	const replaced = new Set<string>();
	for (const [name, value] of Object.entries(fields)) {
		if (!overridden.has(topLevelName(name))) merged[name] = value;
		else if (isSet(value)) replaced.add(topLevelName(name));
	}
	for (const [name, value] of Object.entries(extra).flatMap(([key, entry]) => flattenFormValue(key, entry))) {
		const previous = merged[name];
		merged[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
	}
	return { fields: merged, replaced: [...replaced] };
}

/**
 * Options → Additional Body Fields in one step, as every action with a JSON body uses them: read from the
 * item's options, checked against the fields the action can't let them set (`reserved`: name → what to do
 * instead), merged last into `body`; `warnings` holds what the output says about a replaced field.
 */
export function applyBodyFields(
	context: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
	body: IDataObject,
	reserved: Record<string, string> = {},
): { body: IDataObject; warnings: string[] } {
	const extra = readAdditionalBodyFields(context, itemIndex, options.additionalBodyFields);
	for (const [name, instead] of Object.entries(reserved)) {
		if (extra && name in extra) throw userInputError(context, itemIndex, FIELD, `sets "${name}"`, instead);
	}
	const merged = mergeBodyFields(body, extra);
	return { body: merged.body, warnings: warningsFor(merged.replaced) };
}

/** The same for an upload: the Additional Body Fields merged last into the form's text fields. */
export function applyFormFields(
	context: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
	fields: FormFields,
	fileFields: string[],
): { fields: FormFields; warnings: string[] } {
	const extra = readAdditionalBodyFields(context, itemIndex, options.additionalBodyFields);
	const merged = mergeFormFields(context, itemIndex, fields, fileFields, extra);
	return { fields: merged.fields, warnings: warningsFor(merged.replaced) };
}

function warningsFor(replaced: string[]): string[] {
	const warning = replacedFieldsWarning(replaced);
	return warning ? [warning] : [];
}
