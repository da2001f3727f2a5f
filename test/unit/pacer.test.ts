/**
 * The pacer's learned rate (issue 10, item 5), on a simulated clock: a rate in requests per second that a
 * refusal with another window rescales instead of collapsing, and that relaxes after quiet windows.
 */
import { FixedConcurrency } from '../../nodes/AIConnect/scheduling/limits';
import { LearnedRate } from '../../nodes/AIConnect/scheduling/learnedRate';
import type { Server } from './pool-simulation';
import { SimulatedClock, rateLimitedServer, simulate } from './pool-simulation';

describe('learned rate', () => {
	/** 21 requests 40 ms apart; the provider refuses the last with Retry-After: 1 at `refusedAt`. */
	function refusedAfter20(refusedAt: number) {
		const rate = new LearnedRate();
		const sent = Array.from({ length: 21 }, (_, i) => rate.send(i * 40));
		sent.slice(0, 20).forEach((request) => rate.accept(request));
		rate.refuse(sent[20], 1000, refusedAt);
		return rate;
	}

	test('a refusal teaches what the provider accepted in its window, per second', () => {
		// 20 accepted in the second before the refused one.
		expect(refusedAfter20(810).perSecond(810)).toBe(20);
	});

	test('a later refusal with Retry-After: 60 keeps the rate in requests per second', () => {
		const rate = new LearnedRate();
		let last: object = {};
		// 20 per second for 100 s, then one refusal that asks for a minute.
		for (let i = 0; i < 2000; i++) {
			last = rate.send(i * 50);
			if (i < 1999) rate.accept(last);
		}
		rate.refuse(last, 1000, 99_950);
		expect(rate.perSecond(99_950)).toBe(19);
		const next = rate.send(100_000);
		rate.refuse(next, 60_000, 100_000);
		// 5% below, to leave room for uneven arrival, instead of 19 per minute.
		expect(rate.perSecond(100_000)).toBeCloseTo(18.05);
		// And the spacing follows: 18 in the next second, not 18 in the next minute.
		expect(rate.waitMs(161_000)).toBe(0);
	});

	test('one burst of refusals lowers the rate once, and one refusal halves it at most', () => {
		const rate = new LearnedRate();
		const burst = Array.from({ length: 30 }, (_, i) => rate.send(i * 10));
		burst.slice(0, 20).forEach((request) => rate.accept(request));
		rate.refuse(burst[20], 1000, 400);
		expect(rate.perSecond(400)).toBe(20);
		// The others left before the rate was learned: they say nothing new.
		for (const request of burst.slice(21)) rate.refuse(request, 1000, 410);
		expect(rate.perSecond(410)).toBe(20);
		// A refusal after a quiet spell with only 2 accepted: half, not 2.
		const lonely = [rate.send(5000), rate.send(5100), rate.send(5200)];
		lonely.slice(0, 2).forEach((request) => rate.accept(request));
		rate.refuse(lonely[2], 1000, 5300);
		expect(rate.perSecond(5300)).toBe(10);
	});

	test('timers that fire late do not slow the rate down: the spacing runs from when each was due', () => {
		const rate = refusedAfter20(1000);
		// Every wait ends 3 ms late, as timers do on a busy event loop. Sending for 20 s from t = 2 s:
		let now = 2000;
		let sent = 0;
		while (now < 22_000) {
			const wait = rate.waitMs(now);
			if (wait > 0) now += wait + 3;
			else {
				rate.send(now);
				sent++;
			}
		}
		// 20 per 1,050 ms (the slack) is 381 in 20 s; spaced from the late send times it was 358.
		expect(sent).toBeGreaterThanOrEqual(375);
		expect(sent).toBeLessThanOrEqual(382);
	});

	test('an outage teaches no rate: refusals with no success in their window (issue 23)', () => {
		const rate = new LearnedRate();
		// 8 requests at once, all refused; 8 more a second later, still refused: nothing was accepted.
		const first = Array.from({ length: 8 }, () => rate.send(0));
		first.forEach((request) => rate.refuse(request, 1000, 5));
		const second = Array.from({ length: 8 }, () => rate.send(1000));
		second.forEach((request) => rate.refuse(request, 1000, 1005));
		expect(rate.perSecond(1005)).toBeUndefined();
		expect(rate.waitMs(1005)).toBe(0);
	});

	test('after refusal-free windows the rate rises again, and is forgotten at four times', () => {
		const rate = refusedAfter20(1000);
		expect(rate.perSecond(30_000)).toBe(20);
		expect(rate.perSecond(31_000)).toBeCloseTo(22);
		expect(rate.perSecond(40_000)).toBeGreaterThan(40);
		expect(rate.perSecond(60_000)).toBeUndefined();
	});
});

describe('pacer in a run (simulated clock)', () => {
	test('Retry-After: 1, later one Retry-After: 60: the run pauses a minute, then goes on at the learned rate', async () => {
		const clock = new SimulatedClock();
		const server = rateLimitedServer(20, 100, (arrival) => (arrival === 400 ? { status: 429, retryAfterMs: 60_000 } : undefined));
		const run = await simulate({ server, clock, limit: new FixedConcurrency(8), items: 1000 });
		expect(run.failed).toBe(0);
		// 1000 ÷ 20/s = 50 s (plus the pacer's slack, under 15%), and the minute asked for. Learning "20 per 60 s"
		// instead, as the pacer did before, takes 2,850 s.
		expect(run.wallMs).toBeLessThanOrEqual(1.15 * 50_000 + 60_000);
	});

	test('a limit that goes away: the pacer relaxes and the run speeds up again', async () => {
		const clock = new SimulatedClock();
		const limited = rateLimitedServer(20, 100);
		const accepted: number[] = [];
		const server: Server = async (c) => {
			if (c.now() < 20_000) {
				const answer = await limited(c);
				if (answer.status === 200) accepted.push(c.now());
				return answer;
			}
			await c.sleep(100);
			accepted.push(c.now());
			return { status: 200 };
		};
		const run = await simulate({ server, clock, limit: new FixedConcurrency(8), items: 6000 });
		expect(run.failed).toBe(0);
		const perSecond = (from: number) => accepted.filter((time) => time >= from && time < from + 5000).length / 5;
		expect(perSecond(10_000)).toBeLessThanOrEqual(21);
		// Fixed 8 at 100 ms can do 80/s; a minute after the limit went away the pacer is out of the way.
		expect(perSecond(80_000)).toBeGreaterThan(70);
		expect(run.scheduler.pacer.learnedRate()).toBeUndefined();
	});
});
