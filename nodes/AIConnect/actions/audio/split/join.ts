import type { IDataObject } from 'n8n-workflow';

/** A piece's transcript as the provider answered it, and where the piece starts in the whole file. */
export interface PieceTranscript {
	body: unknown;
	offsetSeconds: number;
}

const TIMESTAMP = /(?:(\d+):)?(\d{2}):(\d{2})([,.])(\d{3})/g;

function formatTimestamp(seconds: number, separator: string, withHours: boolean): string {
	const ms = Math.round(seconds * 1000);
	const pad = (n: number, width = 2) => String(n).padStart(width, '0');
	const h = Math.floor(ms / 3_600_000);
	const m = Math.floor((ms % 3_600_000) / 60_000);
	const s = Math.floor((ms % 60_000) / 1000);
	return `${withHours || h > 0 ? `${pad(h)}:` : ''}${pad(m)}:${pad(s)}${separator}${pad(ms % 1000, 3)}`;
}

/** Shifts every timestamp on a cue timing line (`00:01:02,500 --> 00:01:04,000 …`) by `offset` seconds. */
function shiftTimingLine(line: string, offset: number): string {
	return line.replace(TIMESTAMP, (_match, h: string | undefined, m: string, s: string, separator: string, ms: string) => {
		const seconds = Number(h ?? 0) * 3600 + Number(m) * 60 + Number(s) + Number(ms) / 1000;
		return formatTimestamp(seconds + offset, separator, h !== undefined);
	});
}

/** Cue blocks (separated by blank lines) of SRT or WebVTT text. */
const blocksOf = (text: string) =>
	text
		.replace(/\r\n?/g, '\n')
		.split(/\n{2,}/)
		.map((block) => block.trim())
		.filter(Boolean);

function joinSrt(pieces: Array<{ text: string; offsetSeconds: number }>): string {
	const cues: string[] = [];
	for (const { text, offsetSeconds } of pieces) {
		for (const block of blocksOf(text)) {
			const lines = block.split('\n');
			const timing = lines.findIndex((line) => line.includes('-->'));
			if (timing === -1) continue;
			lines[timing] = shiftTimingLine(lines[timing], offsetSeconds);
			cues.push([String(cues.length + 1), ...lines.slice(timing)].join('\n'));
		}
	}
	return `${cues.join('\n\n')}\n`;
}

function joinVtt(pieces: Array<{ text: string; offsetSeconds: number }>): string {
	const cues: string[] = [];
	for (const { text, offsetSeconds } of pieces) {
		for (const block of blocksOf(text)) {
			if (/^WEBVTT/.test(block)) continue; // one header for the whole file
			const lines = block.split('\n');
			const timing = lines.findIndex((line) => line.includes('-->'));
			if (timing === -1) continue; // NOTE and STYLE blocks of later pieces
			lines[timing] = shiftTimingLine(lines[timing], offsetSeconds);
			cues.push(lines.join('\n'));
		}
	}
	return `WEBVTT\n\n${cues.join('\n\n')}\n`;
}

/** Adds up the numbers of usage objects, nested ones too (input_token_details …). */
function sumUsage(usages: IDataObject[]): IDataObject | undefined {
	if (usages.length === 0) return undefined;
	const total: IDataObject = {};
	for (const usage of usages) {
		for (const [key, value] of Object.entries(usage)) {
			if (typeof value === 'number') total[key] = (typeof total[key] === 'number' ? (total[key] as number) : 0) + value;
			else if (value && typeof value === 'object' && !Array.isArray(value)) total[key] = sumUsage([(total[key] as IDataObject) ?? {}, value as IDataObject]);
			else if (total[key] === undefined) total[key] = value;
		}
	}
	return total;
}

const shiftTimes = (entries: unknown, offset: number) =>
	(Array.isArray(entries) ? (entries as IDataObject[]) : []).map((entry) => ({
		...entry,
		...(typeof entry.start === 'number' ? { start: entry.start + offset } : {}),
		...(typeof entry.end === 'number' ? { end: entry.end + offset } : {}),
	}));

/** How joining treats what differs per request. */
export interface JoinOptions {
	/** Speaker labels that name the same person in every piece (Known Speaker Names): kept as they are. */
	knownSpeakers?: readonly string[];
}

/**
 * A diarizing model labels speakers per request (A, B, … in order of appearance), so A of one piece need not
 * be A of the next. Each piece's labels get the piece's number (`A@2`: speaker A of piece 2) rather than
 * being merged on a guess; names the user gave (known speakers) are the same person everywhere and stay.
 */
function relabelSpeakers(segments: IDataObject[], piece: number, namedSpeakers: ReadonlySet<string>): IDataObject[] {
	return segments.map((segment) =>
		typeof segment.speaker === 'string' && !namedSpeakers.has(segment.speaker) ? { ...segment, speaker: `${segment.speaker}@${piece}` } : segment,
	);
}

/**
 * Segment ids of the whole: numbers (verbose_json) renumbered in order; text ids (diarized_json's, unique per
 * request only) get the piece's number, as speakers do, so they stay text and unique.
 */
const renumber = (segment: IDataObject, index: number, piece: number): IDataObject =>
	typeof segment.id === 'string' ? { ...segment, id: `${segment.id}@${piece}` } : { ...segment, id: index };

function joinJson(pieces: Array<{ body: IDataObject; offsetSeconds: number }>, options: JoinOptions): IDataObject {
	const namedSpeakers = new Set(options.knownSpeakers ?? []);
	const joined: IDataObject = { ...pieces[0].body };
	joined.text = pieces
		.map(({ body }) => (typeof body.text === 'string' ? body.text.trim() : ''))
		.filter(Boolean)
		.join(' ');
	const last = pieces[pieces.length - 1];
	if (typeof last.body.duration === 'number') joined.duration = last.offsetSeconds + last.body.duration;
	if (pieces.some(({ body }) => Array.isArray(body.segments))) {
		joined.segments = pieces
			.flatMap(({ body, offsetSeconds }, index) =>
				relabelSpeakers(shiftTimes(body.segments, offsetSeconds), index + 1, namedSpeakers).map((segment) => ({ segment, piece: index + 1 })),
			)
			.map(({ segment, piece }, index) => renumber(segment, index, piece));
	}
	if (pieces.some(({ body }) => Array.isArray(body.words))) {
		joined.words = pieces.flatMap(({ body, offsetSeconds }) => shiftTimes(body.words, offsetSeconds));
	}
	const usage = sumUsage(pieces.map(({ body }) => body.usage).filter((u): u is IDataObject => !!u && typeof u === 'object'));
	if (usage) joined.usage = usage;
	return joined;
}

/**
 * One transcript from the pieces' transcripts, as if the whole file had been sent: the text joined, and
 * segments, words and subtitle cues shifted to whole-file time (segments and SRT cues renumbered), diarized
 * speakers labelled per piece.
 */
export function joinTranscripts(pieces: PieceTranscript[], format: string | undefined, options: JoinOptions = {}): unknown {
	const texts = () => pieces.map(({ body, offsetSeconds }) => ({ text: String(body ?? ''), offsetSeconds }));
	switch (format) {
		case 'srt':
			return joinSrt(texts());
		case 'vtt':
			return joinVtt(texts());
		default:
			// JSON formats (json, verbose_json, diarized_json…) as objects; text and a server's own text formats joined.
			if (pieces.some(({ body }) => typeof body === 'string')) {
				return texts()
					.map(({ text }) => text.trim())
					.filter(Boolean)
					.join(' ');
			}
			return joinJson(
				pieces.map(({ body, offsetSeconds }) => ({ body: (body ?? {}) as IDataObject, offsetSeconds })),
				options,
			);
	}
}

/** The end of a piece's text, as the next piece's prompt: about the last 200 characters, from a word start. */
export function promptTail(body: unknown, format: string | undefined): string {
	let text = typeof body === 'string' ? body : typeof (body as IDataObject)?.text === 'string' ? ((body as IDataObject).text as string) : '';
	if (format === 'srt' || format === 'vtt') {
		text = blocksOf(text)
			.map((block) => block.split('\n').filter((line) => !line.includes('-->') && !/^\d+$/.test(line) && !/^WEBVTT/.test(line)).join(' '))
			.join(' ');
	}
	const flat = text.replace(/\s+/g, ' ').trim();
	if (flat.length <= 200) return flat;
	const tail = flat.slice(-200);
	const space = tail.indexOf(' ');
	return space === -1 ? tail : tail.slice(space + 1);
}
