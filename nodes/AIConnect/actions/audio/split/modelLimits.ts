/**
 * Longest audio a transcription model accepts, where it is shorter than what Split Size lets through.
 *
 * OpenAI's gpt-4o-transcribe family refuses longer audio with a 400 whatever the file's size: "audio duration
 * 1830.53 seconds is longer than 1400 seconds which is the maximum for this model" (code invalid_value). Its
 * OpenAPI spec and SDK don't state the limit; the API's own error does, reported in public issues for
 * gpt-4o-transcribe, gpt-4o-mini-transcribe and gpt-4o-transcribe-diarize (murtaza-nasir/speakr#168,
 * rishikanthc/Scriberr#478, fastrepl/anarlog#7135, gsamat/amanu#18). whisper-1 has none (only the 25 MB).
 */
const LIMITS: Array<{ model: RegExp; seconds: number }> = [
	// Dated snapshots too (gpt-4o-mini-transcribe-2025-12-15), and a router's prefix (openai/gpt-4o-transcribe).
	{ model: /(^|\/)gpt-4o(-mini)?-transcribe(-diarize)?(-\d{4}-\d{2}-\d{2})?$/i, seconds: 1400 },
];

/**
 * Seconds kept under a limit. MP3 and WAV durations are computed exactly from frames and byte rate, but a
 * server's decoder may count an MP3's encoder delay and padding (a frame or two, ~50 ms) differently.
 */
export const DURATION_MARGIN_SECONDS = 20;

/** The model's known duration limit in seconds, or undefined. */
export function knownDurationLimit(model: string): number | undefined {
	return LIMITS.find(({ model: pattern }) => pattern.test(model.trim()))?.seconds;
}
