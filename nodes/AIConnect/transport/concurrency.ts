import type { IExecuteFunctions } from 'n8n-workflow';

import type { AttemptSample } from './pacer';
import { pacerOf } from './pacer';
import { concurrencySettings } from './settings';

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
export const ADAPTIVE_MAX = 64;
/** Highest Max Concurrent Requests accepted. */
export const MAX_CONCURRENCY = 256;
/** Fewest samples that close a window. */
const MIN_WINDOW_SAMPLES = 2;

/**
 * Answers differ in length (tokens), so the fastest answer is a noisy measure of the provider's latency
 * without load. After the first window, a queue is only believed when the window's median latency rose too,
 * by this factor over the first window's; and above the start, while the median holds within STEADY_MEDIAN
 * of it, the limit may grow.
 */
const QUEUED_MEDIAN = 1.5;
const STEADY_MEDIAN = 1.1;

/** Vegas' thresholds grow with the limit (as in Netflix's concurrency-limits), so large limits tolerate noise. */
const alpha = (limit: number) => Math.max(0.5, 3 * Math.log10(limit));
const beta = (limit: number) => Math.max(1, 6 * Math.log10(limit));

/**
 * A concurrency limit that finds how many requests the provider serves at once without queueing them,
 * in the manner of TCP Vegas and Netflix's concurrency-limits:
 *
 * - The provider's latency without load is the fastest successful answer seen.
 * - Answers are judged in windows of about one round trip (requests started since the limit last changed).
 *   A window's latency is the fastest of its answers to requests sent while at least half the limit was in
 *   flight; the minimum rather than the mean, so answers that are simply longer (more tokens) don't count as
 *   queueing, while a queue at the provider delays every answer, the fastest too.
 * - The requests queued at the provider are estimated as limit × (1 − no-load latency / window latency).
 *   Below alpha the limit grows (doubling per window at the start, like slow start; then by one); above beta
 *   it drops to what the provider serves without a queue, plus one to keep it busy.
 * - A 429, 503 or timeout halves the limit at once (the pacer separately keeps the learned request rate).
 *
 * Only answers to requests sent after the last change count, so one slow round lowers the limit once.
 */
export class AdaptiveConcurrency implements ConcurrencyLimit {
	private limit: number;

	private slowStart = true;

	private noLoadMs = Infinity;

	/** Requests started before this time ran under an earlier limit. */
	private windowStart = -Infinity;

	/** Latencies of the window's answers. */
	private latencies: number[] = [];

	/** The median latency of the first window: what answers take before the pool adds load. */
	private referenceMs?: number;

	/** Latency of the window's answers to requests sent under load. */
	private loadedMs = Infinity;

	constructor(
		private readonly max = ADAPTIVE_MAX,
		private readonly start = ADAPTIVE_START,
		private readonly min = 1,
	) {
		this.limit = Math.max(min, Math.min(max, start));
	}

	get current() {
		return this.limit;
	}

	record({ attempt, latencyMs, succeeded, overloaded }: AttemptSample) {
		const finishedAt = attempt.startedAt + latencyMs;
		if (succeeded) this.noLoadMs = Math.min(this.noLoadMs, latencyMs);
		if (attempt.startedAt < this.windowStart) return;
		if (overloaded) {
			this.slowStart = false;
			return this.change(Math.floor(this.limit / 2), finishedAt);
		}
		if (!succeeded) return;
		this.latencies.push(latencyMs);
		if (attempt.inFlight >= this.limit) this.loadedMs = Math.min(this.loadedMs, latencyMs);
		if (this.latencies.length < Math.max(MIN_WINDOW_SAMPLES, Math.ceil(this.limit / 2))) return;
		if (this.loadedMs === Infinity) {
			// Nothing ran at the limit yet. After two rounds of that, the pool doesn't use the limit (few items
			// left, or the pacer holds requests back): nothing to learn, and no reason to grow.
			if (this.latencies.length >= 2 * this.limit) this.change(this.limit, finishedAt);
			return;
		}
		const median = medianOf(this.latencies);
		const first = this.referenceMs === undefined;
		this.referenceMs ??= median;
		const queued = this.limit * (1 - this.noLoadMs / this.loadedMs);
		if (queued > beta(this.limit) && (first || median > QUEUED_MEDIAN * this.referenceMs)) {
			this.slowStart = false;
			// Requests sent in the next round trip still wait behind the queue the old limit built: judge later.
			const drained = finishedAt + this.loadedMs;
			return this.change(Math.min(this.limit - 1, Math.ceil(this.limit - queued + 1)), drained);
		}
		// Above the start, a median that holds means the work, not a queue, makes some answers slow.
		const steady = !first && this.limit >= this.start && median <= STEADY_MEDIAN * this.referenceMs;
		if (queued <= alpha(this.limit) || steady) {
			return this.change(this.slowStart ? this.limit * 2 : this.limit + 1, finishedAt);
		}
		this.slowStart = false;
		this.change(this.limit, finishedAt);
	}

	/** Sets the limit and opens a new window. */
	private change(limit: number, now: number) {
		this.limit = Math.max(this.min, Math.min(this.max, limit));
		this.windowStart = now;
		this.latencies = [];
		this.loadedMs = Infinity;
	}
}

function medianOf(values: number[]) {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The run's limit from Request Options → Concurrency and Max Concurrent Requests (settings.ts). */
export function concurrencyLimit({ adaptive, max }: { adaptive: boolean; max: number }): ConcurrencyLimit {
	return adaptive ? new AdaptiveConcurrency(max) : new FixedConcurrency(max);
}

/**
 * The limit for one run of the node, already learning from every attempt the transport makes for it (the
 * run's pacer reports each one), so the router only has to ask it how many items may run at once.
 */
export function concurrencyLimitOfRun(context: IExecuteFunctions): ConcurrencyLimit {
	const limit = concurrencyLimit(concurrencySettings(context));
	pacerOf(context).onSample = (sample) => limit.record(sample);
	return limit;
}
