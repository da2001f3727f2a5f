import type { AttemptSample } from './pacer';
import type { ConcurrencyLimit } from './limits';
import { ADAPTIVE_MAX, ADAPTIVE_START, FixedConcurrency } from './limits';

/**
 * Answers are judged in windows of at least this many (and at least half the limit's worth): LLM answer times
 * vary 10–100× from one request to the next, and fewer answers can't tell a queue from long answers. The
 * window grows further with the spread measured (see windowSize).
 */
const MIN_WINDOW = 8;
const MAX_WINDOW = 64;
/** Before the spread is measured: answers spread like a log-normal of this σ (moderate LLM variance). */
const INITIAL_SPREAD = 0.6;
/**
 * A window whose typical answer (the geometric mean) takes this many times the no-load estimate means the
 * provider queues requests: Little's law says requests then take about limit ÷ slots answer times, so 1.6
 * aims at 1.2–1.6 × the slots, below 2×, while the spread of single windows stays below it.
 */
const QUEUE_RATIO = 1.6;
/** How many standard errors of a window's mean the queue threshold keeps above the noise. */
const NOISE_Z = 3;
/** After a cut to what the provider serves without a queue, this much more, so it never idles. */
const HEADROOM = 1.2;
/** A window this close to the no-load estimate is taken as no-load and refines it (a moving estimate). */
const NO_LOAD_RATIO = 1.15;
/** How far one no-load window moves the estimate. */
const NO_LOAD_WEIGHT = 0.25;
/** The lowest limit the no-load latency is measured at (Envoy's minRTT window uses a very low count, too). */
const PROBE_LIMIT = 1;

type Phase = 'slowStart' | 'probe' | 'steady';

/**
 * A concurrency limit for providers whose answer times vary 10–100× (LLMs), driven first by what the provider
 * says and second by latency:
 *
 * - **The provider's own signals** (AIMD, as TCP Reno and Netflix's AIMDLimit): a 503, a timeout or a
 *   refused/reset connection halves the limit at once (once per window: the answers to
 *   requests sent before the cut say nothing new). Afterwards it doubles per window back up to where it was:
 *   an outage or an overload spike says nothing about the provider's steady capacity. A 429 (retried)
 *   is the pacer's business (it pauses every request as long as the provider asks, and learns a rate only from
 *   refusals among accepted requests): it does not cut concurrency, so a short outage does not leave the run
 *   crawling at 1 request in flight. A limit the run doesn't use does not grow.
 * - **Latency**, second: the limit finds how many requests the provider serves without queueing them, as
 *   Envoy's adaptive-concurrency gradient controller does — compare each window's latency with the no-load
 *   latency, and measure the no-load latency at a very low concurrency (Envoy's periodic minRTT window) — with
 *   changes for LLM answer times:
 *   - a window's latency is the geometric mean of its answers (answer times are near log-normal; the mean of
 *     logs is what their spread doesn't drag), and a window holds enough answers that its mean's noise stays
 *     a third of the queue threshold (NOISE_Z, from the spread of logs measured so far);
 *   - the no-load estimate moves: until a queue is confirmed it is the mean of every window without a queue
 *     (Netflix's Gradient2 tracks a long-term average rather than a minimum, which noise drags down forever);
 *     afterwards faster windows lower it, and a cut that doesn't lower the latency raises it to that latency
 *     (the provider got slower — Envoy re-measures when its limit sits at the minimum);
 *   - a queue must show twice in a row (or clear the noise of the estimate) before the no-load latency is
 *     measured, at the limit ÷ (2 × the slowdown), at least PROBE_LIMIT — a provider that never queues (clouds)
 *     rarely pays for it — and from the two the limit jumps to what the provider serves without a queue
 *     (Little's law: queued limit × no-load ÷ queued latency, TCP Vegas' estimate) plus HEADROOM;
 *   - from then on a window over QUEUE_RATIO cuts to that estimate plus HEADROOM; without a queue the limit
 *     grows by √limit per window (Gradient2's queue-size headroom), by one when answers are a little slow.
 * - It starts at ADAPTIVE_START and doubles per window while no queue shows (slow start).
 *
 * Latency is the provider's: from the pacer letting a request go to its answer, minus how long n8n's own work
 * may have delayed reading the answer (RequestPacer). Only answers to requests sent after the limit last
 * changed count, so one slow round lowers the limit once.
 */
export class AdaptiveConcurrency implements ConcurrencyLimit {
	private limit: number;

	private phase: Phase = 'slowStart';

	/** Requests started before this time ran under an earlier limit. */
	private windowStart = -Infinity;

	/** Log-latencies of the window's successful answers. */
	private logs: number[] = [];

	/** The most requests in flight any of them saw when it started. */
	private used = 0;

	/** Log of the no-load latency estimate, and how many answers it was pooled from (before a probe). */
	private noLoad?: number;

	private noLoadSamples = 0;

	/** Pooled variance of log-latency within windows, and how many windows it holds. */
	private spread = { variance: INITIAL_SPREAD ** 2, windows: 0 };

	/** The previous window showed a queue (a second one in a row measures the no-load latency). */
	private queuedBefore = false;

	/** The limit and window latency that showed the queue the probe measures against. */
	private queuedAt?: { limit: number; log: number };

	/** The no-load latency was measured at a low limit (a probe). */
	private measured = false;

	/** The limit and window latency before the last cut for a queue: whether the latency followed the cut. */
	private lastCut?: { limit: number; log: number };

	/** Where an overload cut came from: doubling returns there before growth goes careful again. */
	private recoverTo = 0;

	constructor(
		private readonly max = ADAPTIVE_MAX,
		start = ADAPTIVE_START,
		private readonly min = 1,
	) {
		this.limit = Math.max(min, Math.min(max, start));
	}

	get current() {
		return this.limit;
	}

	record({ attempt, latencyMs: wallMs, busyMs, succeeded, overloaded }: AttemptSample) {
		const finishedAt = attempt.startedAt + wallMs;
		if (attempt.startedAt < this.windowStart) return;
		if (overloaded) {
			this.recoverTo = Math.max(this.recoverTo, this.limit);
			if (this.phase === 'probe') this.phase = 'steady';
			return this.change(Math.floor(this.limit / 2), finishedAt);
		}
		if (!succeeded) return;
		this.logs.push(Math.log(Math.max(1, wallMs - busyMs)));
		this.used = Math.max(this.used, attempt.inFlight);
		if (this.logs.length < this.windowSize()) return;
		this.closeWindow(finishedAt);
	}

	/** Answers a window needs: half the limit's worth, and enough that noise stays below the queue threshold. */
	private windowSize() {
		// Doubling needs only half a round trip's answers; a queue is confirmed (or not) by a full window.
		if (this.phase === 'slowStart' && !this.queuedBefore) return Math.max(MIN_WINDOW, Math.ceil(this.limit / 2));
		// The probe runs at a very low limit, so every answer costs a round trip: a quarter of a full window (half
		// the precision) will do, as the windows after it correct an estimate that is off (see closeWindow).
		if (this.phase === 'probe') return Math.max(MIN_WINDOW, Math.ceil(this.noiseWindow() / 4));
		return Math.min(MAX_WINDOW, Math.max(MIN_WINDOW, Math.ceil(this.limit / 2), this.noiseWindow()));
	}

	/** Answers needed for NOISE_Z standard errors of the window's mean to fit under the queue threshold. */
	private noiseWindow() {
		return Math.ceil(this.spread.variance * (NOISE_Z / Math.log(QUEUE_RATIO)) ** 2);
	}

	private closeWindow(now: number) {
		const mean = this.logs.reduce((sum, value) => sum + value, 0) / this.logs.length;
		const variance = this.logs.reduce((sum, value) => sum + (value - mean) ** 2, 0) / Math.max(1, this.logs.length - 1);
		if (this.phase === 'probe') {
			// The no-load latency, measured; the queued limit served limit × noLoad ÷ latency without a queue.
			this.noLoad = mean;
			this.measured = true;
			this.learnSpread(variance);
			const queued = this.queuedAt!;
			this.queuedBefore = false;
			if (queued.log - mean < Math.log(QUEUE_RATIO)) {
				// The "queue" was long answers after all: back to where it was, doubling again.
				this.phase = 'slowStart';
				return this.change(queued.limit, now);
			}
			this.phase = 'steady';
			return this.change(Math.ceil(queued.limit * Math.exp(mean - queued.log) * HEADROOM), now);
		}
		this.noLoad ??= mean;
		this.noLoadSamples ||= this.logs.length;
		const ratio = Math.exp(mean - this.noLoad);
		const cut = this.lastCut;
		this.lastCut = undefined;
		if (ratio > QUEUE_RATIO) {
			// After a cut, a queue's latency falls with the limit (Little's law). If it did not fall, the answers
			// are slow without a queue: that is the no-load latency now (the provider got slower, or the estimate
			// was low), as Envoy re-measures minRTT when the limit sits at its minimum.
			if (this.limit <= PROBE_LIMIT || (cut && mean >= cut.log)) {
				this.noLoad = mean;
				return this.change(this.limit, now);
			}
			if (!this.queuedBefore) {
				// A queue, or a window of long answers: hold, and a second one in a row decides.
				this.queuedBefore = true;
				return this.change(this.limit, now);
			}
			if (!this.measured && !this.beyondNoise(mean)) {
				// Slower than the estimate, but it was pooled from few answers: no probe on that. Hold.
				return this.change(this.limit, now);
			}
			this.queuedBefore = false;
			this.phase = 'steady';
			if (!this.measured) {
				// Measure the no-load latency at a limit the provider surely serves without a queue: well below the
				// one that queued (a queue of `ratio` answer times means about limit ÷ ratio slots).
				this.queuedAt = { limit: this.limit, log: mean };
				this.phase = 'probe';
				return this.change(Math.max(PROBE_LIMIT, Math.floor(this.limit / (2 * ratio))), now);
			}
			this.lastCut = { limit: this.limit, log: mean };
			return this.change(Math.min(this.limit - 1, Math.ceil((this.limit / ratio) * HEADROOM)), now);
		}
		this.queuedBefore = false;
		this.learnSpread(variance);
		// A moving no-load estimate. Until it was measured, every window without a queue adds to it (the mean of
		// all their answers: a provider that never queues gets an ever better estimate, not one that noise drags
		// down); once measured, faster windows lower it and the re-measuring above raises it (slightly queued
		// windows at a slot server must not raise it step by step).
		if (!this.measured) {
			this.noLoad += (this.logs.length * (mean - this.noLoad)) / (this.noLoadSamples + this.logs.length);
			this.noLoadSamples += this.logs.length;
		} else if (mean < this.noLoad) this.noLoad += NO_LOAD_WEIGHT * (mean - this.noLoad);
		// A limit the run doesn't use (few items left, or the pacer holds requests back) has nothing to grow for.
		if (this.used < this.limit / 2) return this.change(this.limit, now);
		if (this.limit < this.recoverTo || this.phase === 'slowStart') {
			const doubled = this.limit * 2;
			if (doubled >= this.recoverTo) this.recoverTo = 0;
			return this.change(this.phase === 'slowStart' ? doubled : Math.min(doubled, Math.max(this.recoverTo, this.limit + 1)), now);
		}
		// Clearly without a queue: grow by √limit (Netflix's Gradient2 headroom); with a little queue, by one.
		this.change(this.limit + (ratio < NO_LOAD_RATIO ? Math.max(1, Math.floor(Math.sqrt(this.limit))) : 1), now);
	}

	/**
	 * Whether a window's mean is above the pooled no-load estimate by more than NOISE_Z standard errors of the
	 * difference (both are means of few answers early in a run): a probe costs a stretch at a very low limit,
	 * and a cloud provider that never queues must not pay it for a window of long answers.
	 */
	private beyondNoise(mean: number) {
		const error = Math.sqrt(this.spread.variance * (1 / this.logs.length + 1 / Math.max(1, this.noLoadSamples)));
		return mean - this.noLoad! > NOISE_Z * error;
	}

	/** Pools a window's variance of log-latency (windows judged without a queue only). */
	private learnSpread(variance: number) {
		const n = this.spread.windows;
		this.spread = { variance: n === 0 ? variance : (this.spread.variance * n + variance) / (n + 1), windows: Math.min(n + 1, 20) };
	}

	/** Sets the limit and opens a new window. */
	private change(limit: number, now: number) {
		this.limit = Math.max(this.min, Math.min(this.max, limit));
		this.windowStart = now;
		this.logs = [];
		this.used = 0;
	}
}

/** The run's limit from Request Options → Concurrency and Max Concurrent Requests (transport/requestOptions.ts). */
export function concurrencyLimit({ adaptive, max }: { adaptive: boolean; max: number }): ConcurrencyLimit {
	return adaptive ? new AdaptiveConcurrency(max) : new FixedConcurrency(max);
}
