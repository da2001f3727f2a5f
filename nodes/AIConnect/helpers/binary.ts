import type { IBinaryData, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { bareMimeType, extensionForMime, mimeTypeForExtension } from './mime';
import { userInputError } from './validation';

/** Bytes or a readable stream, as n8n's prepareBinaryData takes them. */
export type BinarySource = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

export type FileKind = 'image' | 'audio';

const extensionOf = (fileName: string | undefined) =>
	fileName?.includes('.') ? fileName.split('.').pop()!.toLowerCase() : undefined;

/** The MIME type to trust: the binary's own unless it is generic, else the file extension's. */
function effectiveMimeType(binary: IBinaryData): string {
	const declared = bareMimeType(binary.mimeType ?? '');
	if (declared && declared !== 'application/octet-stream') return declared;
	return mimeTypeForExtension(extensionOf(binary.fileName) ?? binary.fileExtension) || declared || 'application/octet-stream';
}

/** `type/subtype`, each an HTTP token (RFC 9110 §8.3.1): what a part's Content-Type may hold. */
const MIME_TYPE = /^[!#$%&'*+.^_`|~0-9a-z-]+\/[!#$%&'*+.^_`|~0-9a-z-]+$/;

const acceptsKind = (mimeType: string, kind: FileKind) =>
	kind === 'image'
		? mimeType.startsWith('image/')
		: mimeType.startsWith('audio/') || mimeType === 'video/mp4' || mimeType === 'video/webm';

/**
 * Chunk size when streaming a stored file (n8n's default is the file system's 64 KiB): what n8n's own OpenAI
 * node reads with. Fewer, larger chunks mean fewer allocations per upload, and the upload's memory stays
 * about one chunk per stage of the pipe.
 */
const STREAM_CHUNK_BYTES = 256 * 1024;

/** A stored binary's contents as n8n's binary storage streams them (a Node Readable). */
export type StoredStream = Awaited<ReturnType<IExecuteFunctions['helpers']['getBinaryStream']>>;

/** An input binary, checked, ready to be sent as a file part or read whole. */
export interface InputFile {
	property: string;
	fileName: string;
	mimeType: string;
	/** Bytes; for a stored binary, from n8n's binary storage without reading the file. */
	size: number;
	/**
	 * The contents for one request attempt: a stream from n8n's binary storage (disk, S3), so a 200 MB
	 * recording is never held in memory, or the bytes when n8n keeps the binary in memory anyway.
	 */
	open(): Promise<Buffer | StoredStream>;
	/** The contents in memory (for data URLs). */
	toBuffer(): Promise<Buffer>;
}

/** Reads and checks the binary property `property` of an item, with errors that say what to fix. */
export async function getInputFile(
	this: IExecuteFunctions,
	itemIndex: number,
	property: string,
	kind: FileKind,
	field: string,
): Promise<InputFile> {
	const name = property.trim();
	const item = this.getInputData()[itemIndex];
	const available = Object.keys(item?.binary ?? {});
	const binary = name ? item?.binary?.[name] : undefined;
	if (!binary) {
		throw userInputError(
			this,
			itemIndex,
			field,
			`the item has no binary property "${name}"`,
			available.length
				? `The item's binary properties are: ${available.join(', ')}. Enter one of them in "${field}".`
				: `The item has no binary data at all. Add a node before this one that reads or downloads the ${kind} file (e.g. Read/Write Files from Disk, HTTP Request).`,
		);
	}
	// The type goes into the upload's part header: a line break in it would add headers of its own.
	const declared = bareMimeType(binary.mimeType ?? '');
	if (declared && !MIME_TYPE.test(declared)) {
		throw userInputError(
			this,
			itemIndex,
			field,
			`binary property "${name}" has an invalid MIME type ${JSON.stringify(binary.mimeType)}`,
			'A MIME type is type/subtype, such as audio/mpeg or image/png, without spaces or line breaks. Correct the binary\'s MIME type in the node that made it, or set it with a Code node.',
		);
	}
	const mimeType = effectiveMimeType(binary);
	if (!acceptsKind(mimeType, kind)) {
		throw userInputError(
			this,
			itemIndex,
			field,
			`binary property "${name}" is ${mimeType}${binary.fileName ? ` (${binary.fileName})` : ''}, not ${kind === 'image' ? 'an image' : 'audio'}`,
			kind === 'image' ? 'Use a PNG, JPEG, WebP or GIF image.' : 'Use an audio file such as MP3, M4A, WAV, WebM, OGG or FLAC.',
		);
	}
	const extension = extensionForMime(mimeType) ?? extensionOf(binary.fileName) ?? 'bin';
	const baseName = (binary.fileName ?? '').replace(/\.[^.]*$/, '') || name;
	const fileName = `${baseName}.${extension}`;
	const helpers = this.helpers;
	// A stored file that is gone (pruned execution data, a lost S3 object) is the item's problem, not the network's.
	// The cause goes in the hint: n8n replaces a message holding an error code such as ENOENT with a generic one.
	const unreadable = (error: unknown) =>
		userInputError(
			this,
			itemIndex,
			field,
			`binary property "${name}" could not be read`,
			`n8n's binary data storage failed to read it (${(error as Error).message}). Run the node that produced it again.`,
		);
	const toBuffer = async () => {
		try {
			return await helpers.getBinaryDataBuffer(itemIndex, name);
		} catch (error) {
			throw unreadable(error);
		}
	};

	if (binary.id) {
		let fileSize: number;
		try {
			({ fileSize } = await helpers.getBinaryMetadata(binary.id));
		} catch (error) {
			throw unreadable(error);
		}
		const id = binary.id;
		return { property: name, fileName, mimeType, size: fileSize, toBuffer, open: async () => await helpers.getBinaryStream(id, STREAM_CHUNK_BYTES) };
	}
	const bytes = await toBuffer();
	return { property: name, fileName, mimeType, size: bytes.length, toBuffer: async () => bytes, open: async () => bytes };
}

/**
 * Output binary data from bytes or a response stream; n8n writes a stream straight to its binary
 * storage, so a large download is not held in memory.
 */
export async function toOutputBinary(
	this: IExecuteFunctions,
	data: BinarySource,
	fileName: string,
	mimeType: string,
): Promise<IBinaryData> {
	return await this.helpers.prepareBinaryData(data, fileName, mimeType);
}

/** Splits a comma-separated list of binary property names. */
const propertyNames = (value: unknown) =>
	(value === undefined || value === null ? '' : String(value))
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean);

const KIND_NOUN: Record<FileKind, [one: string, many: string]> = { image: ['image', 'images'], audio: ['audio file', 'audio files'] };

/**
 * The files an input-binary parameter names (one name, or up to `max` comma-separated), each checked by
 * getInputFile; every action reads its input binaries through here, so they are all checked alike.
 */
export async function readInputFiles(
	this: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	{ field, kind, max = 1, required = true, tooMany }: { field: string; kind: FileKind; max?: number; required?: boolean; tooMany?: string },
): Promise<InputFile[]> {
	const names = propertyNames(value);
	const [one, many] = KIND_NOUN[kind];
	if (names.length === 0) {
		if (!required) return [];
		throw userInputError(this, itemIndex, field, 'is empty', tooMany ?? `Enter the name of the input binary field holding the ${one}, e.g. data.`);
	}
	if (names.length > max) {
		const hint = tooMany ?? (max === 1 ? `Enter the name of one input binary field, e.g. data.` : `Send at most ${max} ${many}.`);
		throw userInputError(this, itemIndex, field, `names ${names.length} ${many}`, hint);
	}
	const files: InputFile[] = [];
	for (const name of names) files.push(await getInputFile.call(this, itemIndex, name, kind, field));
	return files;
}

/** An image as a data URL, the form chat and moderation requests carry images in. */
export const imageDataUrl = async (file: InputFile) => `data:${file.mimeType};base64,${(await file.toBuffer()).toString('base64')}`;

/**
 * The output binary field an action was told to use. Empty means the same as leaving the option out:
 * `whenUnset`, which is no binary for images (they stay in the JSON) and `data` for Speech.
 */
export const outputBinaryProperty = (options: IDataObject, whenUnset: string | undefined): string | undefined =>
	String(options.binaryPropertyOutput ?? '').trim() || whenUnset;
