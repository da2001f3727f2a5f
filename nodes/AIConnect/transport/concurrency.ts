import type { IExecuteFunctions } from 'n8n-workflow';

import type { Attempt, AttemptSample } from './pacer';
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
export const ADAPTIVE_MAX = 128;
/** Highest Max Concurrent Requests accepted. */
export const MAX_CONCURRENCY = 256;
/** Fewest samples that close a window. */
const MIN_WINDOW_SAMPLES = 2;

/**
 * Answers differ in length (tokens): while the window's median latency holds within this factor of the
 * reference, the work, not a queue, makes some answers slow, and the limit may grow above the start.
 */
const STEADY_MEDIAN = 1.1;

/**
 * Vegas' thresholds, in requests queued at the provider: grow below alpha, drop above beta, hold between.
 * A share of the limit, so large limits tolerate proportionally more noise: alpha means answers take 25%
 * longer than without load, beta 33%. The floors keep one request waiting at a one-slot server (it never
 * idles between answers) and drop a second.
 */
const alpha = (limit: number) => Math.max(0.5, limit / 5);
const beta = (limit: number) => Math.max(1.5, limit / 4);

/**
 * A concurrency limit that finds how many requests the provider serves at once without queueing them,
 * in the manner of TCP Vegas and Netflix's concurrency-limits:
 *
 * - Latency is the provider's: from the pacer letting a request go to its answer, minus how long n8n's own
 *   work may have delayed reading the answer (RequestPacer: the event loop's busy time since the earliest
 *   moment the answer could have come, and since the loop was last idle). With 64 answers arriving together,
 *   n8n reads them one after another and the last is read tens of milliseconds late; that is n8n's own work,
 *   and counting it as the provider's queue held the limit at 32.
 * - The provider's latency without load is the fastest successful answer seen.
 * - Answers are judged in windows of about one round trip (requests started since the limit last changed,
 *   half the limit's worth of answers). Until a window without a queue has been seen, the window's latency
 *   is the fastest of its answers to requests sent while the limit was in use (half of it during slow start,
 *   all of it after, as TCP grows only a window it uses), and the queue is limit × (1 − no-load latency ÷
 *   that). The first such window's median becomes the reference; from then on the queue is judged by the
 *   median against the reference: a queue at the provider delays most answers (the fastest ones in a window
 *   may have found a free slot just before the queue built up), while answers that are simply longer move
 *   the fastest one more than the median.
 * - Below alpha the limit grows (doubling per window at the start, like slow start; then by one); above beta
 *   it drops to what the provider serves without a queue, plus one to keep it busy, but at most to half in
 *   one step (the median just after a doubling includes the wait the doubling itself caused).
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

	/** The median latency of the first window without a queue: what answers take before the pool adds load. */
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

	record({ attempt, latencyMs: wallMs, busyMs, succeeded, overloaded, waiting }: AttemptSample) {
		const finishedAt = attempt.startedAt + wallMs;
		// What the provider took: the time n8n's own event loop was busy meanwhile may have delayed reading it.
		const latencyMs = wallMs - busyMs;
		// Without load nothing else keeps n8n busy: the wall time is the provider's, and never too low.
		if (succeeded) this.noLoadMs = Math.min(this.noLoadMs, wallMs);
		if (attempt.startedAt < this.windowStart) return;
		if (overloaded) {
			this.slowStart = false;
			return this.change(Math.floor(this.limit / 2), finishedAt);
		}
		if (!succeeded) return;
		this.latencies.push(latencyMs);
		if (attempt.inFlight >= (this.slowStart ? this.limit / 2 : this.limit)) this.loadedMs = Math.min(this.loadedMs, latencyMs);
		if (this.latencies.length < Math.max(MIN_WINDOW_SAMPLES, Math.ceil(this.limit / 2))) return;
		if (this.loadedMs === Infinity) {
			// Nothing ran at the limit yet. After two rounds of that, the pool doesn't use the limit (few items
			// left, or the pacer holds requests back): nothing to learn, and no reason to grow.
			if (this.latencies.length >= 2 * this.limit) this.change(this.limit, finishedAt);
			return;
		}
		const median = this.windowMedian(waiting());
		const first = this.referenceMs === undefined;
		const byFastest = this.limit * (1 - this.noLoadMs / this.loadedMs);
		const byMedian = first ? 0 : this.limit * (1 - this.referenceMs! / median);
		const queued = first ? byFastest : byMedian;
		if (queued > beta(this.limit)) {
			this.slowStart = false;
			// Requests sent in the next round trip still wait behind the queue the old limit built: judge later.
			const drained = finishedAt + (first ? this.loadedMs : median);
			return this.change(Math.min(this.limit - 1, Math.max(Math.ceil(this.limit / 2), Math.ceil(this.limit - queued + 1))), drained);
		}
		this.referenceMs ??= median;
		// Above the start, a median that holds means the work, not a queue, makes some answers slow.
		const steady = !first && this.limit >= this.start && median <= STEADY_MEDIAN * this.referenceMs;
		if (byMedian <= alpha(this.limit) && (byFastest <= alpha(this.limit) || steady)) {
			return this.change(this.slowStart ? this.limit * 2 : this.limit + 1, finishedAt);
		}
		this.slowStart = false;
		this.change(this.limit, finishedAt);
	}

	/**
	 * The median latency of the window's requests: the answers that came, and those still waiting longer than
	 * the median of the ones that came (their wait so far is a lower bound). When the limit has just doubled,
	 * the first answers are the requests that found a free slot; the ones behind them in the provider's queue
	 * have not answered yet, and without them the queue would show a round trip too late.
	 */
	private windowMedian(waiting: Array<{ attempt: Attempt; waitedMs: number }>) {
		const answered = medianOf(this.latencies);
		const overdue = waiting
			.filter(({ attempt, waitedMs }) => attempt.startedAt >= this.windowStart && waitedMs > answered)
			.map(({ waitedMs }) => waitedMs);
		return overdue.length ? medianOf([...this.latencies, ...overdue]) : answered;
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
