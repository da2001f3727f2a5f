/**
 * The node's one MIME table: which type a file extension means, which extension a type gets, and the
 * image type a file's first bytes show. Input files, image output and Speech all read it.
 */

/** The type each extension means; what the provider should hear for a file named so. */
const EXTENSION_MIME: Record<string, string> = {
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	webp: 'image/webp',
	gif: 'image/gif',
	mp3: 'audio/mpeg',
	mpga: 'audio/mpeg',
	mpeg: 'audio/mpeg',
	mp4: 'audio/mp4',
	m4a: 'audio/mp4',
	wav: 'audio/wav',
	webm: 'audio/webm',
	ogg: 'audio/ogg',
	oga: 'audio/ogg',
	// Opus comes in an Ogg container, as OpenAI sends it.
	opus: 'audio/ogg',
	flac: 'audio/flac',
	aac: 'audio/aac',
	// Raw samples without a header (Speech's PCM format).
	pcm: 'audio/pcm',
};

/** The extension a file of each type gets, including the other names servers use for the same type. */
const MIME_EXTENSION: Record<string, string> = {
	'image/png': 'png',
	'image/jpeg': 'jpg',
	'image/jpg': 'jpg',
	'image/webp': 'webp',
	'image/gif': 'gif',
	'audio/mpeg': 'mp3',
	'audio/mp3': 'mp3',
	'audio/mp4': 'm4a',
	'audio/x-m4a': 'm4a',
	'audio/m4a': 'm4a',
	'audio/wav': 'wav',
	'audio/x-wav': 'wav',
	'audio/wave': 'wav',
	'audio/vnd.wave': 'wav',
	'audio/webm': 'webm',
	'video/webm': 'webm',
	'audio/ogg': 'ogg',
	'audio/opus': 'opus',
	'audio/flac': 'flac',
	'audio/x-flac': 'flac',
	'audio/aac': 'aac',
	'audio/x-aac': 'aac',
	'video/mp4': 'mp4',
	'audio/pcm': 'pcm',
	'audio/l16': 'pcm',
};

/** `image/png` from `image/PNG; charset=…`: the bare type, lower case. */
export const bareMimeType = (mimeType: string) => mimeType.split(';')[0].trim().toLowerCase();

export const extensionForMime = (mimeType: string): string | undefined => MIME_EXTENSION[bareMimeType(mimeType)];

export const mimeTypeForExtension = (extension: string | undefined): string | undefined =>
	extension ? EXTENSION_MIME[extension.replace(/^\./, '').toLowerCase()] : undefined;

/** The image type from the first bytes, which are more trustworthy than any label. */
export function sniffImageMime(bytes: Buffer): string | undefined {
	if (bytes.length >= 8 && bytes.readUInt32BE(0) === 0x89504e47 && bytes.readUInt32BE(4) === 0x0d0a1a0a) return 'image/png';
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
	if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
	if (bytes.length >= 6 && /^GIF8[79]a$/.test(bytes.toString('latin1', 0, 6))) return 'image/gif';
	return undefined;
}
