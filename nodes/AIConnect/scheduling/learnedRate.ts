/**
 * The request rate a provider allows, learned from its 429 answers, and the spacing of request starts that
 * keeps under it. Kept as requests per second, so a refusal that names a different window (Retry-After: 1,
 * later Retry-After: 60) rescales the measurement instead of turning "20 per second" into "20 per minute".
 * Pure: every method takes the current time.
 */

/** Shortest window a refusal is measured over; a Retry-After below 1 s still means "per second" limits. */
const MIN_WINDOW_MS = 1000;
/** Longest window remembered: the longest Retry-After the transport honours, plus slack. */
const HISTORY_MS = 130_000;
/**
 * Slack added to a window, so requests spaced by our clock arrive spaced by the provider's too: on a busy
 * n8n the time from a request's start here to its arrival varies by tens of milliseconds, and one refusal
 * pauses every request for the whole Retry-After.
 */
const WINDOW_MARGIN_MS = 50;
/** One refusal lowers the rate to half at most, so one unlucky window can't collapse it. */
const MAX_CUT = 0.5;
/**
 * And by this much at least: a refusal at the learned rate means our spacing arrives at the provider less
 * evenly than we send it (event-loop delays, connection set-up), so leave it some room.
 */
const MIN_CUT = 0.95;
/** Refusal-free windows (and time) before the rate is raised again: limits are often temporary. */
const RELAX_AFTER_WINDOWS = 10;
const RELAX_AFTER_MIN_MS = 30_000;
/** Raise per further refusal-free window, once relaxing. */
const RELAX_STEP = 1.1;
/** Relaxed this far above what was learned, the limit is forgotten; a new refusal learns it afresh. */
const FORGET_ABOVE = 4;

interface PacedRequest {
	at: number;
	/** Order of sending. */
	seq: number;
	refused: boolean;
	/** The provider answered it with a success. */
	accepted: boolean;
	/**
	 * When the spacing let it go (at most one interval before `at`). The next request is spaced from here, not
	 * from `at`: timers fire a little late on a busy event loop, and those delays must not add up.
	 */
	due: number;
}

export class LearnedRate {
	/** Requests sent, in the order they were sent. */
	private readonly sent: PacedRequest[] = [];

	/** Requests per second, as learned at `learnedAt`; undefined while no limit is known. */
	private rate?: number;

	private learnedAt = 0;

	private nextSeq = 0;

	/** Requests from this one on were sent under the current rate. */
	private learnedSeq = 0;

	/** The window of the last refusal: the provider's own unit of time. */
	private windowMs = MIN_WINDOW_MS;

	private firstSentAt?: number;

	/** Records a request sent now; hand the result back to `refuse` if the provider refuses it. */
	send(now: number): object {
		const previous = this.sent[this.sent.length - 1];
		const perSecond = this.perSecond(now);
		const interval = perSecond === undefined ? 0 : spacingOf(perSecond).intervalMs;
		const due = previous && interval ? Math.min(now, Math.max(now - interval, previous.due + interval)) : now;
		const entry: PacedRequest = { at: now, seq: this.nextSeq++, refused: false, accepted: false, due };
		this.firstSentAt ??= now;
		this.sent.push(entry);
		let drop = 0;
		while (drop < this.sent.length && this.sent[drop].at < now - HISTORY_MS) drop++;
		if (drop) this.sent.splice(0, drop);
		return entry;
	}

	/**
	 * The provider refused a request and asked for `waitMs`. It accepted the requests sent before it in the
	 * window that ends with it, except those it refused too: that many per window is the rate (per the part
	 * of the window this run was sending in, so a run younger than the window isn't taken as idle). A refusal of a
	 * request sent before the rate was last lowered says nothing new (it left under the old rate), so a burst
	 * of refusals lowers it once.
	 */
	refuse(request: object, waitMs: number, now: number) {
		const entry = request as PacedRequest;
		entry.refused = true;
		const current = this.perSecond(now);
		if (current !== undefined && entry.seq < this.learnedSeq) return;
		const windowMs = Math.min(Math.max(waitMs, MIN_WINDOW_MS), HISTORY_MS);
		const position = this.sent.indexOf(entry);
		if (position < 0) return;
		let count = 0;
		let confirmed = false;
		for (let i = position - 1; i >= 0 && this.sent[i].at > entry.at - windowMs; i--) {
			if (!this.sent[i].refused) count++;
			confirmed ||= this.sent[i].accepted;
		}
		// Refusals with no success in the window are an outage (or a limit's reset that comes late), not a rate:
		// the pause the provider asked for is kept, and nothing is learned that would slow the run afterwards.
		if (count === 0 || !confirmed) return;
		const sendingMs = Math.max(MIN_WINDOW_MS, Math.min(windowMs, entry.at - (this.firstSentAt ?? entry.at)));
		const observed = (count * 1000) / sendingMs;
		this.rate = current === undefined ? observed : Math.min(current * MIN_CUT, Math.max(observed, current * MAX_CUT));
		this.learnedAt = now;
		this.learnedSeq = this.nextSeq;
		this.windowMs = windowMs;
	}

	/** The provider accepted a request: refusals next to it are a rate, not an outage. */
	accept(request: object) {
		(request as PacedRequest).accepted = true;
	}

	/** Requests per second allowed at `now`, or undefined when no limit is known (or it was forgotten). */
	perSecond(now: number): number | undefined {
		if (this.rate === undefined) return undefined;
		const quietMs = now - this.learnedAt;
		const relaxFrom = Math.max(RELAX_AFTER_MIN_MS, RELAX_AFTER_WINDOWS * this.windowMs);
		if (quietMs < relaxFrom) return this.rate;
		const factor = RELAX_STEP ** (Math.floor((quietMs - relaxFrom) / this.windowMs) + 1);
		if (factor > FORGET_ABOVE) {
			this.rate = undefined;
			return undefined;
		}
		return this.rate * factor;
	}

	/**
	 * How long the next request must wait to keep within the rate: at most `count` starts in any window of
	 * a second (or of one request's share of time, for rates below 1/s), and evenly spaced within it. A burst
	 * of `count` at once would reach the provider spread by n8n's own work per request and overlap the next
	 * window's; evenly spaced requests each keep their slack.
	 */
	waitMs(now: number): number {
		const perSecond = this.perSecond(now);
		if (perSecond === undefined || this.sent.length === 0) return 0;
		const { windowMs, count, intervalMs } = spacingOf(perSecond);
		const spaced = this.sent[this.sent.length - 1].due + intervalMs;
		const windowFull = this.sent.length >= count ? this.sent[this.sent.length - count].at + windowMs + WINDOW_MARGIN_MS : 0;
		return Math.max(0, Math.ceil(Math.max(spaced, windowFull) - now));
	}
}

/** At most `count` starts per `windowMs` (a second, or one request's share of time below 1/s), `intervalMs` apart. */
function spacingOf(perSecond: number) {
	const windowMs = Math.max(1000, Math.ceil(1000 / perSecond));
	const count = Math.max(1, Math.floor((perSecond * windowMs) / 1000));
	return { windowMs, count, intervalMs: (windowMs + WINDOW_MARGIN_MS) / count };
}
