import { ADAPTIVE_MAX, FixedConcurrency } from './limits';
import { RunScheduler } from './scheduler';

/** Where a run's context carries its scheduler. */
const SCHEDULER = Symbol('AIConnect run scheduler');

type WithScheduler = { readonly [SCHEDULER]?: RunScheduler };

/**
 * The context the router hands to the operations of one run: n8n's execution context, plus the run's
 * scheduler. Everything n8n's context offers reads through (it is the prototype); nothing of it is changed.
 */
export function withScheduler<C extends object>(context: C, scheduler: RunScheduler): C {
	return Object.create(context, { [SCHEDULER]: { value: scheduler } }) as C;
}

/**
 * The scheduler the router passed down with the context. Code that runs outside the router's loop (the
 * editor's model lists, an operation called on its own in a test) gets a scheduler of its own, for that call
 * only: nothing is kept between calls.
 */
export function schedulerOf(context: object): RunScheduler {
	return (context as WithScheduler)[SCHEDULER] ?? new RunScheduler(new FixedConcurrency(ADAPTIVE_MAX));
}
