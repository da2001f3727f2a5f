/**
 * The run's scheduler (nodes/AIConnect/scheduling): slots shared by items and the pieces of an item (issue 21,
 * item 12), nothing new after a failure, and no starving. Order and counts, no wall clock.
 */
import { FixedConcurrency } from '../../nodes/AIConnect/scheduling/limits';
import { schedulerOf, withScheduler } from '../../nodes/AIConnect/scheduling/run';
import { RunScheduler } from '../../nodes/AIConnect/scheduling/scheduler';

/** A task that runs until `finish(i)` is called (or fails with `fail(i)`), recording what started. */
function controlledTasks() {
	const started: number[] = [];
	const pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
	let running = 0;
	let mostRunning = 0;
	const task = async (index: number) => {
		started.push(index);
		running++;
		mostRunning = Math.max(mostRunning, running);
		try {
			await new Promise<void>((resolve, reject) => pending.set(index, { resolve, reject }));
		} finally {
			running--;
		}
	};
	const settle = async () => {
		for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
	};
	return {
		started,
		task,
		settle,
		mostRunning: () => mostRunning,
		finish: async (index: number) => {
			pending.get(index)!.resolve();
			await settle();
		},
		fail: async (index: number) => {
			pending.get(index)!.reject(new Error(`piece ${index} failed`));
			await settle();
		},
	};
}

describe('run scheduler: pieces of an item', () => {
	test('nothing new starts after a piece failed; the failure is the result once the running ones end', async () => {
		const scheduler = new RunScheduler(new FixedConcurrency(2));
		const pieces = controlledTasks();
		// One item (it holds one of the run's 2 slots) with 10 pieces.
		let failure: unknown;
		const done = scheduler.runTasks(1, async () => await scheduler.runPieces(10, pieces.task).catch((error) => (failure = error)));
		await pieces.settle();
		// The item's own slot and one extra: 2 at a time.
		expect(pieces.started).toEqual([0, 1]);
		await pieces.fail(1);
		// Piece 0 still runs; nothing else starts, though a slot is free.
		expect(pieces.started).toEqual([0, 1]);
		await pieces.finish(0);
		await done;
		expect(String(failure)).toContain('piece 1 failed');
		expect(pieces.started).toEqual([0, 1]);
	});

	test("items' pieces share the run's limit: 4 items of 4 pieces at Max Concurrent Requests 4 never run more than 4", async () => {
		const scheduler = new RunScheduler(new FixedConcurrency(4));
		const pieces = controlledTasks();
		const piecesOf = (item: number) => Array.from({ length: 4 }, (_, piece) => item * 4 + piece);
		const items = scheduler.runTasks(4, async (item) => await scheduler.runPieces(4, async (piece) => await pieces.task(item * 4 + piece)));
		await pieces.settle();
		expect(pieces.started.length).toBe(4);
		// Let everything run to the end, one at a time, in the order it started.
		for (let finished = 0; finished < 16; finished++) {
			const next = pieces.started[finished];
			await pieces.finish(next);
		}
		await items;
		expect(pieces.started.sort((a, b) => a - b)).toEqual([0, 1, 2, 3].flatMap(piecesOf));
		expect(pieces.mostRunning()).toBe(4);
	});

	test('pieces cannot starve: with one slot, an item runs its pieces one after another in its own slot', async () => {
		const scheduler = new RunScheduler(new FixedConcurrency(1));
		const pieces = controlledTasks();
		const items = scheduler.runTasks(2, async (item) => await scheduler.runPieces(3, async (piece) => await pieces.task(item * 3 + piece)));
		for (let expected = 0; expected < 6; expected++) {
			await pieces.settle();
			expect(pieces.started).toEqual(Array.from({ length: expected + 1 }, (_, i) => i));
			await pieces.finish(expected);
		}
		await items;
		expect(pieces.mostRunning()).toBe(1);
	});

	test('extra slots go to pieces of running items before new items start', async () => {
		const scheduler = new RunScheduler(new FixedConcurrency(2));
		const pieces = controlledTasks();
		// Item 0 sends 3 pieces; items 1 and 2 one request each (tasks 11 and 12).
		const items = scheduler.runTasks(3, async (item) =>
			item === 0 ? await scheduler.runPieces(3, async (piece) => await pieces.task(piece)) : await pieces.task(10 + item),
		);
		for (let finished = 0; finished < 5; finished++) {
			await pieces.settle();
			await pieces.finish(pieces.started[finished]);
		}
		await items;
		expect(pieces.mostRunning()).toBe(2);
		// Item 2 waited until every piece of item 0 had its turn.
		expect(pieces.started.indexOf(12)).toBeGreaterThan(pieces.started.indexOf(2));
	});

	test('the router stops starting items once told to; the running ones finish', async () => {
		const scheduler = new RunScheduler(new FixedConcurrency(2));
		const tasks = controlledTasks();
		let stop = false;
		const run = scheduler.runTasks(10, tasks.task, () => stop);
		await tasks.settle();
		stop = true;
		await tasks.finish(0);
		await tasks.finish(1);
		await run;
		expect(tasks.started).toEqual([0, 1]);
	});
});

describe('run context', () => {
	test('operations get the run scheduler with the context; everything of the context reads through', () => {
		const context = { getNodeParameter: () => 'value', items: [1, 2] };
		const scheduler = new RunScheduler(new FixedConcurrency(3));
		const run = withScheduler(context, scheduler);
		expect(schedulerOf(run)).toBe(scheduler);
		expect(run.getNodeParameter()).toBe('value');
		expect(run.items).toBe(context.items);
		// Outside a run (model lists): a scheduler of its own each time, nothing kept.
		expect(schedulerOf(context)).not.toBe(schedulerOf(context));
	});
});
