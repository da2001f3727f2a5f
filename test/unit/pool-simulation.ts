/**
 * A simulated clock, simulated providers and a minimal client loop, to run the pool, pacer and concurrency
 * limit for thousands of virtual seconds in milliseconds of real time, deterministically.
 */
import { runPool } from '../../nodes/AIConnect/actions/pool';
import type { ConcurrencyLimit } from '../../nodes/AIConnect/transport/concurrency';
import type { Clock } from '../../nodes/AIConnect/transport/pacer';
import { RequestPacer } from '../../nodes/AIConnect/transport/pacer';

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

/** Answers every request after `latencyMs`, however many arrive. */
export const unlimitedServer =
	(latencyMs = 100): Server =>
	async (clock) => {
		await clock.sleep(latencyMs);
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

/**
 * Works on `slots` requests at a time, `latencyMs` each (± `jitter`, as real servers vary); the others wait
 * in its queue, first come first served.
 */
export function slotServer(slots: number, latencyMs = 100, jitter = 0.1): Server {
	let busy = 0;
	const queue: Array<() => void> = [];
	const random = seededRandom(slots);
	return async (clock) => {
		if (busy >= slots) await new Promise<void>((resolve) => queue.push(resolve));
		else busy++;
		await clock.sleep(Math.round(latencyMs * (1 + jitter * (2 * random() - 1))));
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

export interface RunResult {
	wallMs: number;
	failed: number;
	requests: number;
	/** Requests in flight, sampled at every start: [time, count]. */
	inFlight: Array<[number, number]>;
	/** The limit the pool had, sampled at every start. */
	limits: Array<[number, number]>;
}

/**
 * `items` items through the pool, each one request with up to `maxRetries` retries that wait as the provider
 * asks (as the transport does), against `server`.
 */
export async function simulate(options: {
	server: Server;
	limit: ConcurrencyLimit;
	items: number;
	maxRetries?: number;
	clock?: SimulatedClock;
	pacer?: RequestPacer;
	/**
	 * n8n's own work per answer on its one event loop: half of it reading the answer before the transport
	 * sees it, half making the item's output after (the pool still counts the item as running then).
	 */
	clientMsPerAnswer?: number;
}): Promise<RunResult> {
	const clock = options.clock ?? new SimulatedClock();
	const pacer = options.pacer ?? new RequestPacer(clock);
	const { limit, server } = options;
	pacer.onSample = (sample) => limit.record(sample);
	const maxRetries = options.maxRetries ?? 2;
	const result: RunResult = { wallMs: 0, failed: 0, requests: 0, inFlight: [], limits: [] };
	const item = async () => {
		for (let attempt = 0; ; attempt++) {
			const started = await pacer.ready();
			result.requests++;
			result.inFlight.push([clock.now(), pacer.inFlight]);
			result.limits.push([clock.now(), limit.current]);
			const answer = await server(clock);
			const work = (options.clientMsPerAnswer ?? 0) / 2;
			if (work) await clock.work(work);
			const retry = answer.status !== 200 && attempt < maxRetries;
			const waitMs = retry ? (answer.retryAfterMs ?? 500) : undefined;
			pacer.done(started, { status: answer.status, waitMs });
			if (answer.status === 200) {
				if (work) await clock.work(work);
				return;
			}
			if (!retry) {
				result.failed++;
				return;
			}
			await clock.sleep(waitMs!);
		}
	};
	const start = clock.now();
	await clock.run(runPool(options.items, limit, item));
	result.wallMs = clock.now() - start;
	return result;
}

/** Highest and lowest of the values sampled from `fromMs` on. */
export function rangeFrom(samples: Array<[number, number]>, fromMs: number, toMs = Infinity) {
	const values = samples.filter(([time]) => time >= fromMs && time <= toMs).map(([, value]) => value);
	return { min: Math.min(...values), max: Math.max(...values) };
}
