/*
 * What a concurrency limit is, the Fixed one, and the numbers Request Options validates against; the adaptive
 * limit is in concurrency.ts.
 */
import type { AttemptSample } from './pacer';

/** How many requests the pool may have running at once; it reads `current` before starting each item. */
export interface ConcurrencyLimit {
	readonly current: number;
	record(sample: AttemptSample): void;
}

/** Max Concurrent Requests with Concurrency set to Fixed: always that many. */
export class FixedConcurrency implements ConcurrencyLimit {
	constructor(readonly current: number) {}

	record() {}
}

/** Where the adaptive limit starts: moderate, as TCP's initial window. */
export const ADAPTIVE_START = 8;
/** The adaptive limit's ceiling, and Fixed's number, when Max Concurrent Requests is not set. */
export const ADAPTIVE_MAX = 128;
/** Highest Max Concurrent Requests accepted. */
export const MAX_CONCURRENCY = 256;
