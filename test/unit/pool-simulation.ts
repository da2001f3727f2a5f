/**
 * A simulated clock, simulated providers and a minimal client loop, to run the run's scheduler (slots, pacer
 * and concurrency limit) for thousands of virtual seconds in milliseconds of real time, deterministically.
 */
import type { Clock } from '../../nodes/AIConnect/scheduling/clock';
import type { ConcurrencyLimit } from '../../nodes/AIConnect/scheduling/limits';
import { RunScheduler } from '../../nodes/AIConnect/scheduling/scheduler';
import { providerWaitMs } from '../../nodes/AIConnect/transport/retry';

interface Timer {
	at: number;
	seq: number;
	fire: () => void;
}

/** Virtual time: it moves only when every pending promise has settled, to the next timer. */
export class SimulatedClock implements Clock {
	private time = 0;

	private seq = 0;

	private timers: Timer[] = [];

	/** When the simulated event loop is (or was) busy: [start, end) intervals, in order. */
	private busy: Array<[number, number]> = [];

	now() {
		return this.time;
	}

	/** The event loop's busy and idle time so far, as `performance.eventLoopUtilization()` reports them. */
	eventLoop() {
		let busyMs = 0;
		for (const [start, end] of this.busy) busyMs += Math.max(0, Math.min(end, this.time) - start);
		return { busyMs, idleMs: this.time - busyMs };
	}

	/**
	 * n8n's own work on one answer that arrived now: the single event loop takes it in turn, after the work
	 * already queued; resolves when it is done. Answers arriving together are read one after another.
	 */
	async work(ms: number) {
		const start = Math.max(this.time, this.busy.length ? this.busy[this.busy.length - 1][1] : 0);
		this.busy.push([start, start + ms]);
		await this.sleep(start + ms - this.time);
	}

	async sleep(ms: number, signal?: AbortSignal) {
		if (signal?.aborted) throw new Error('aborted');
		await new Promise<void>((resolve) => {
			this.timers.push({ at: this.time + Math.max(0, ms), seq: this.seq++, fire: resolve });
		});
	}

	/** Runs until `done` settles, advancing time whenever nothing else can happen. */
	async run<T>(done: Promise<T>, limitMs = 10_000_000): Promise<T> {
		let settled = false;
		done.then(
			() => (settled = true),
			() => (settled = true),
		);
		for (;;) {
			// A macrotask turn lets every chained microtask run before time moves.
			await new Promise((resolve) => setImmediate(resolve));
			if (settled) return await done;
			if (!this.timers.length) throw new Error('simulation stalled: nothing pending and not done');
			this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
			const next = this.timers.shift()!;
			if (next.at > limitMs) throw new Error(`simulation passed ${limitMs} ms`);
			this.time = Math.max(this.time, next.at);
			next.fire();
		}
	}
}

export interface Answer {
	status: number;
	retryAfterMs?: number;
}

/** A provider as the client sees it: given a request, when and how it answers. */
export type Server = (clock: SimulatedClock) => Promise<Answer>;

/** A request's service time: fixed, or drawn from a distribution for each request. */
export type Latency = number | (() => number);

const draw = (latency: Latency) => Math.max(1, Math.round(typeof latency === 'number' ? latency : latency()));

/** Answers every request after its latency, however many arrive. */
export const unlimitedServer =
	(latency: Latency = 100): Server =>
	async (clock) => {
		await clock.sleep(draw(latency));
		return { status: 200 };
	};

/** Deterministic pseudo-random numbers in [0, 1) (a linear congruential generator), for repeatable jitter. */
export function seededRandom(seed = 1) {
	let state = seed;
	return () => {
		state = (state * 1103515245 + 12345) % 2 ** 31;
		return state / 2 ** 31;
	};
}

/** Better-mixed seeded numbers in [0, 1) (mulberry32), for the distributions below. */
export function randomStream(seed: number) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
	};
}

/** Answer times as real LLM answers spread them (seeded): the shapes issue 23 names. */
export const answerTimes = {
	/** Log-normal: `median` ms, spread `sigma` (0.8: most within 0.2×–5× the median; 1.2: 0.1×–10×). */
	lognormal(median: number, sigma: number, seed: number): () => number {
		const random = randomStream(seed);
		return () => median * Math.exp(sigma * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
	},
	/** A fixed part plus an exponential one (mean `mean` ms). */
	exponential(base: number, mean: number, seed: number): () => number {
		const random = randomStream(seed);
		return () => base - mean * Math.log(1 - random());
	},
	/** `share` of the answers take `slow` ms, the rest `fast`: short answers with a few long generations. */
	bimodal(fast: number, slow: number, share: number, seed: number): () => number {
		const random = randomStream(seed);
		return () => (random() < share ? slow : fast);
	},
};

/**
 * Works on `slots` requests at a time, each for its latency (a fixed one ± `jitter`, as real servers vary,
 * or drawn); the others wait in its queue, first come first served.
 */
export function slotServer(slots: number, latency: Latency = 100, jitter = 0.1): Server {
	let busy = 0;
	const queue: Array<() => void> = [];
	const random = seededRandom(slots);
	return async (clock) => {
		if (busy >= slots) await new Promise<void>((resolve) => queue.push(resolve));
		else busy++;
		await clock.sleep(typeof latency === 'number' ? Math.round(latency * (1 + jitter * (2 * random() - 1))) : draw(latency));
		const waiting = queue.shift();
		if (waiting) waiting();
		else busy--;
		return { status: 200 };
	};
}

/**
 * Accepts `perSecond` requests in any sliding second and answers the rest with 429 and Retry-After
 * (`retryAfterMs`, default 1 s); `refusal` may override the answer of a given request (by arrival order).
 */
export function rateLimitedServer(
	perSecond: number,
	latencyMs = 100,
	refusal: (arrival: number, now: number) => Answer | undefined = () => undefined,
): Server & { accepted: number[] } {
	const accepted: number[] = [];
	let arrivals = 0;
	const server = async (clock: SimulatedClock): Promise<Answer> => {
		const now = clock.now();
		const special = refusal(arrivals++, now);
		if (special) return special;
		const inWindow = accepted.filter((time) => time > now - 1000).length;
		if (inWindow >= perSecond) return { status: 429, retryAfterMs: 1000 };
		accepted.push(now);
		await clock.sleep(latencyMs);
		return { status: 200 };
	};
	return Object.assign(server, { accepted });
}

/**
 * `inner`, except that from `fromMs` until `untilMs` it refuses every request at once with 429 and
 * Retry-After (a provider's short outage, or a rate limit's reset that comes late).
 */
export function burstServer(inner: Server, burst: { fromMs?: number; untilMs: number; retryAfterMs: number }): Server & { refused: number } {
	const counts = { refused: 0 };
	const server = async (clock: SimulatedClock): Promise<Answer> => {
		const now = clock.now();
		if (now >= (burst.fromMs ?? 0) && now < burst.untilMs) {
			counts.refused++;
			return { status: 429, retryAfterMs: burst.retryAfterMs };
		}
		return await inner(clock);
	};
	return Object.defineProperty(server, 'refused', { get: () => counts.refused }) as Server & { refused: number };
}

export interface RunResult {
	wallMs: number;
	failed: number;
	requests: number;
	/** Requests in flight, sampled at every start: [time, count]. */
	inFlight: Array<[number, number]>;
	/** The limit the pool had, sampled at every start. */
	limits: Array<[number, number]>;
	/** When each item's last answer came. */
	finishedAt: number[];
	scheduler: RunScheduler;
}

/**
 * `items` items through the run's scheduler, each one request with up to `maxRetries` retries that wait as the
 * provider asks (as the transport does: a 429/503 with Retry-After is waited for within `timeoutMs` and not
 * counted as a retry), against `server`.
 */
export async function simulate(options: {
	server: Server;
	limit: ConcurrencyLimit;
	items: number;
	maxRetries?: number;
	/** The item's Timeout, which bounds the waits the provider asks for (default: 600 s, the node's default). */
	timeoutMs?: number;
	clock?: SimulatedClock;
	/**
	 * n8n's own work per answer on its one event loop: half of it reading the answer before the transport
	 * sees it, half making the item's output after (the pool still counts the item as running then).
	 */
	clientMsPerAnswer?: number;
}): Promise<RunResult> {
	const clock = options.clock ?? new SimulatedClock();
	const { limit, server } = options;
	const scheduler = new RunScheduler(limit, clock);
	const maxRetries = options.maxRetries ?? 2;
	const timeoutMs = options.timeoutMs ?? 600_000;
	const result: RunResult = { wallMs: 0, failed: 0, requests: 0, inFlight: [], limits: [], finishedAt: [], scheduler };
	const item = async (index: number) => {
		const firstAt = clock.now();
		for (let retries = 0; ; ) {
			const started = await scheduler.ready();
			result.requests++;
			result.inFlight.push([clock.now(), scheduler.inFlight]);
			result.limits.push([clock.now(), limit.current]);
			const answer = await server(clock);
			const work = (options.clientMsPerAnswer ?? 0) / 2;
			if (work) await clock.work(work);
			let waitMs: number | undefined;
			if (answer.status !== 200) {
				const headers = answer.retryAfterMs === undefined ? {} : { 'retry-after-ms': String(answer.retryAfterMs) };
				waitMs = providerWaitMs({ url: '', status: answer.status, headers, bodyText: '' }, { timeoutMs }, clock.now() - firstAt);
				if (waitMs === undefined && retries++ < maxRetries) waitMs = answer.retryAfterMs ?? 500;
			}
			scheduler.done(started, { status: answer.status, waitMs });
			if (answer.status === 200) {
				if (work) await clock.work(work);
				result.finishedAt[index] = clock.now();
				return;
			}
			if (waitMs === undefined) {
				result.failed++;
				result.finishedAt[index] = clock.now();
				return;
			}
			await clock.sleep(waitMs);
		}
	};
	const start = clock.now();
	await clock.run(scheduler.runTasks(options.items, item));
	result.wallMs = clock.now() - start;
	return result;
}

/** Highest and lowest of the values sampled from `fromMs` on. */
export function rangeFrom(samples: Array<[number, number]>, fromMs: number, toMs = Infinity) {
	const values = samples.filter(([time]) => time >= fromMs && time <= toMs).map(([, value]) => value);
	return { min: Math.min(...values), max: Math.max(...values) };
}
