import type { Clock } from './clock';
import { systemClock } from './clock';
import { LearnedRate } from './learnedRate';

/** One attempt of one request, from the moment the pacer let it go. */
export interface Attempt {
	startedAt: number;
	/**
	 * The event loop's busy total at the earliest moment its answer could have come (the fastest answer so far
	 * after it started): n8n's work before then delayed nothing. Unset until then.
	 */
	busyFrom?: number;
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
	/**
	 * Of that, how long n8n's own work (other items' requests and answers) may have kept the answer waiting
	 * to be read. With many requests in flight this is tens of milliseconds, which the concurrency limit must
	 * not take for a queue at the provider.
	 */
	busyMs: number;
	/** A 2xx answer: only those say how long the provider takes to do the work. */
	succeeded: boolean;
	/** The provider is overloaded: 503, the answer did not come in time, or the connection was refused or dropped. */
	overloaded: boolean;
	/**
	 * The attempts still waiting for their answer, and how long each has waited so far without n8n's busy
	 * time: a lower bound of its latency. A queue shows first in the answers that have not come yet.
	 */
	waiting(): Array<{ attempt: Attempt; waitedMs: number }>;
}

/** Failures that say the provider can't take more: timeouts, and connections it refused or dropped. */
const OVERLOADED = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNABORTED', 'ECONNREFUSED', 'ECONNRESET']);

/**
 * Shared by the concurrent requests of one node run. When the provider says "slow down" (429/503 with a
 * wait), every request waits, not only the one that was told. After a rate limit it starts no more requests
 * per second than the provider accepted (LearnedRate), spread so the pool stops bursting into the limit.
 * It also counts the requests in flight and describes how each attempt went, for the concurrency limit
 * (RunScheduler hands it over).
 */
export class RequestPacer {
	private pausedUntil = 0;

	private readonly rate = new LearnedRate();

	private running = 0;

	/** The attempts in flight. */
	private readonly pending = new Set<Attempt>();

	/** The event loop's idle total when this pacer last looked, and when that was. */
	private loopSeen = { at: -Infinity, idleMs: 0 };

	/** The event loop was last idle after this time: an answer that came before then was read at once. */
	private idleAfter = -Infinity;

	/** The fastest successful attempt so far. */
	private fastestMs = Infinity;

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
				this.observeLoop(now);
				this.running++;
				const attempt: Attempt = { startedAt: now, inFlight: this.running, sent: this.rate.send(now) };
				this.pending.add(attempt);
				// No answer comes sooner than the fastest so far; from then on, time n8n's event loop spends busy
				// may delay reading this one, and is not the provider's (one timer per attempt, nothing to cancel).
				if (this.fastestMs < Infinity) {
					void this.clock.sleep(this.fastestMs).then(() => (attempt.busyFrom ??= this.observeLoop(this.clock.now())));
				}
				return attempt;
			}
			await this.clock.sleep(wait, signal);
		}
	}

	/**
	 * Records how an attempt ended, and returns what the concurrency limit learns from it. Call it once for
	 * every attempt `ready` let go.
	 */
	done(attempt: Attempt, outcome: AttemptOutcome): AttemptSample {
		const now = this.clock.now();
		this.running = Math.max(0, this.running - 1);
		this.pending.delete(attempt);
		const { status, waitMs } = outcome;
		if (status === 429) {
			if (waitMs !== undefined) {
				this.pause(now, waitMs);
				this.rate.refuse(attempt.sent, waitMs, now);
			}
		} else if (status === 503 && waitMs !== undefined) {
			this.pause(now, waitMs);
		}
		const succeeded = status !== undefined && status >= 200 && status < 300;
		if (succeeded) this.rate.accept(attempt.sent);
		// A 429 is a rate limit: the pause and the learned rate above answer it, not fewer requests in flight
		// (cutting them for a short outage left runs crawling for a minute afterwards).
		const overloaded = status === 503 || (outcome.code !== undefined && OVERLOADED.has(outcome.code));
		const latencyMs = now - attempt.startedAt;
		const busy = this.observeLoop(now);
		const busyMs = this.readDelay(attempt, busy, now, latencyMs);
		attempt.busyFrom ??= busy;
		if (succeeded) this.fastestMs = Math.min(this.fastestMs, latencyMs);
		const waiting = () =>
			[...this.pending].map((other) => {
				const waitedMs = now - other.startedAt;
				return { attempt: other, waitedMs: waitedMs - this.readDelay(other, busy, now, waitedMs) };
			});
		return { attempt, latencyMs, busyMs, succeeded, overloaded, waiting };
	}

	/** Notes whether the event loop has been idle since the last look; returns its busy total. */
	private observeLoop(now: number) {
		const { busyMs, idleMs } = this.clock.eventLoop();
		if (idleMs > this.loopSeen.idleMs) this.idleAfter = this.loopSeen.at;
		this.loopSeen = { at: now, idleMs };
		return busyMs;
	}

	/**
	 * How long n8n's own work may have delayed reading an attempt's answer (or, for one still waiting, an answer
	 * that came): at most the loop's busy time since the earliest moment the answer could have come, and at
	 * most the time since the loop was last idle (an answer that came while it was idle was read at once;
	 * n8n's work on other answers while the provider still queued this one is not a delay of it).
	 */
	private readDelay(attempt: Attempt, busyNow: number, now: number, elapsedMs: number) {
		if (attempt.busyFrom === undefined) return 0;
		return Math.min(elapsedMs, Math.max(0, busyNow - attempt.busyFrom), Math.max(0, now - this.idleAfter));
	}

	private pause(now: number, ms: number) {
		this.pausedUntil = Math.max(this.pausedUntil, now + ms);
	}
}
