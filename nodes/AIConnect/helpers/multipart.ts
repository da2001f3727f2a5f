import type { InputFile } from './binary';

export type FormValue = string | number | boolean | undefined;

/**
 * A multipart form as OpenAI's SDK sends it: text parts for every field that is set, then file
 * parts with their file name and the binary's MIME type.
 */
export async function buildForm(
	fields: Record<string, FormValue | FormValue[]>,
	files: Array<{ field: string; file: InputFile }>,
): Promise<FormData> {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) {
		const values = Array.isArray(value) ? value : [value];
		for (const entry of values) {
			if (entry === undefined || entry === '') continue;
			form.append(name, String(entry));
		}
	}
	for (const { field, file } of files) {
		form.append(field, await file.toBlob(), file.fileName);
	}
	return form;
}
