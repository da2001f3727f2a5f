import { sleepWithAbort } from './sleep';

import { LearnedRate } from './learnedRate';

/** Time as the pacer sees it; tests pass a simulated clock. */
export interface Clock {
	now(): number;
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = { now: () => Date.now(), sleep: sleepWithAbort };

/** One attempt of one request, from the moment the pacer let it go. */
export interface Attempt {
	startedAt: number;
	/** Requests of this run in flight when it started, itself included. */
	inFlight: number;
	/** The pacer's record of it. */
	readonly sent: object;
}

/** How an attempt ended, as the transport saw it. */
export interface AttemptOutcome {
	/** HTTP status; undefined when no answer came (network failure, timeout). */
	status?: number;
	/** The wait before the retry the transport is about to make (the provider's Retry-After, or backoff). */
	waitMs?: number;
	/** Network error code such as ETIMEDOUT. */
	code?: string;
}

/** What the concurrency limiter learns from: one finished attempt. */
export interface AttemptSample {
	attempt: Attempt;
	latencyMs: number;
	/** A 2xx answer: only those say how long the provider takes to do the work. */
	succeeded: boolean;
	/** The provider is overloaded or refusing: 429, 503, or the answer did not come in time. */
	overloaded: boolean;
}

const TIMED_OUT = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNABORTED']);

/**
 * Shared by the concurrent requests of one node run. When the provider says "slow down" (429/503 with a
 * wait), every request waits, not only the one that was told. After a rate limit it starts no more requests
 * per second than the provider accepted (LearnedRate), spread so the pool stops bursting into the limit.
 * It also counts the requests in flight and tells the concurrency limiter how each attempt went.
 */
export class RequestPacer {
	private pausedUntil = 0;

	private readonly rate = new LearnedRate();

	private running = 0;

	/** Told about every finished attempt (the pool's concurrency limiter listens). */
	onSample?: (sample: AttemptSample) => void;

	constructor(private readonly clock: Clock = systemClock) {}

	/** Requests in flight now. */
	get inFlight() {
		return this.running;
	}

	/** Requests per second the provider is known to accept, if it has refused any. */
	learnedRate(): number | undefined {
		return this.rate.perSecond(this.clock.now());
	}

	/** Waits until a request may start; the transport hands the result back to `done`. */
	async ready(signal?: AbortSignal): Promise<Attempt> {
		for (;;) {
			const now = this.clock.now();
			const wait = Math.max(this.pausedUntil - now, this.rate.waitMs(now));
			if (wait <= 0) {
				this.running++;
				return { startedAt: now, inFlight: this.running, sent: this.rate.send(now) };
			}
			await this.clock.sleep(wait, signal);
		}
	}

	/** Records how an attempt ended. Call it once for every attempt `ready` let go. */
	done(attempt: Attempt, outcome: AttemptOutcome) {
		const now = this.clock.now();
		this.running = Math.max(0, this.running - 1);
		const { status, waitMs } = outcome;
		if (status === 429) {
			if (waitMs !== undefined) {
				this.pause(now, waitMs);
				this.rate.refuse(attempt.sent, waitMs, now);
			}
		} else if (status === 503 && waitMs !== undefined) {
			this.pause(now, waitMs);
		}
		const overloaded = status === 429 || status === 503 || (outcome.code !== undefined && TIMED_OUT.has(outcome.code));
		const succeeded = status !== undefined && status >= 200 && status < 300;
		this.onSample?.({ attempt, latencyMs: now - attempt.startedAt, succeeded, overloaded });
	}

	private pause(now: number, ms: number) {
		this.pausedUntil = Math.max(this.pausedUntil, now + ms);
	}
}

/** One pacer per node run, found from the run's execution context so nothing has to pass it along. */
const pacerByRun = new WeakMap<object, RequestPacer>();

export function pacerOf(context: object): RequestPacer {
	let pacer = pacerByRun.get(context);
	if (!pacer) pacerByRun.set(context, (pacer = new RequestPacer()));
	return pacer;
}
