import { getEventListeners } from 'events';

import { sleepWithAbort } from '../../nodes/AIConnect/scheduling/sleep';

describe('the transport’s abortable wait', () => {
	it('leaves no listener on the execution’s signal once a wait is over', async () => {
		const controller = new AbortController();
		await Promise.all(Array.from({ length: 20 }, async () => await sleepWithAbort(5, controller.signal)));
		// n8n-workflow 2.8's sleepWithAbort kept one listener per wait for the whole execution.
		expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
	});

	it('rejects at once when the execution is cancelled, and removes its listener', async () => {
		const controller = new AbortController();
		// Order, not time: it must reject before its own 60 s wait could have ended (jest's timeout is 20 s).
		const waiting = sleepWithAbort(60_000, controller.signal);
		controller.abort();
		await expect(waiting).rejects.toThrow('cancelled');
		expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
	});

	it('rejects without waiting when the signal was already aborted', async () => {
		const controller = new AbortController();
		controller.abort();
		await expect(sleepWithAbort(60_000, controller.signal)).rejects.toThrow('cancelled');
	});
});
