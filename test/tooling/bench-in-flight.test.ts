// The benchmark's in-flight measure for cases 4 and 5 (bench/slots.js): how long the provider had each number
// of requests in progress, from each arrival to its answer, between the ramp and the drain.
import { inFlightOf } from '../../bench/slots';

/** Requests as the provider records them: arrival, answer, and the count in progress at the arrival. */
const request = (at: number, leftAt: number | undefined, inFlight: number) => ({ at, leftAt, inFlight });

test('one slot: weighs each count by how long it lasted, from 2 s after the first arrival to 0.2 s before the last', () => {
	const requests = [
		request(0, 3000, 1),
		request(2100, 3100, 2),
		// At 3000 one answer leaves as another arrives: the count never reads 3.
		request(3000, 4000, 2),
		request(5000, 5100, 1),
	];
	// From 2000 to 4800: 1 for 100 ms, 2 for 1000 ms, 1 for 900 ms, 0 for 800 ms.
	expect(inFlightOf(requests, 1)?.overTime).toEqual({ min: 0, p10: 0, median: 1, p90: 2, max: 2 });
	// Counted at the arrivals in the same span (2100 and 3000), it would say 2 throughout.
	expect(inFlightOf(requests, 1)?.atArrival).toEqual({ min: 2, p10: 2, median: 2, p90: 2, max: 2 });
});

test('a request still unanswered at the end of the span counts until the end', () => {
	const requests = [request(0, undefined, 1), request(2500, 2600, 2), request(4000, 4100, 2)];
	// From 2000 to 3800: 1 for 500 ms, 2 for 100 ms, 1 for 1200 ms.
	expect(inFlightOf(requests, 1)?.overTime).toEqual({ min: 1, p10: 1, median: 1, p90: 1, max: 2 });
});
