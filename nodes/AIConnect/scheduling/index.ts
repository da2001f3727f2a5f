/*
 * Scheduling: when each request of a run may go. The router creates one RunScheduler per run (with the
 * concurrency limit from Request Options) and passes it down with the run's context; the transport asks it
 * before every attempt and tells it how each ended; long audio runs its pieces in the run's slots.
 */
export { concurrencyLimit } from './concurrency';
export { ADAPTIVE_MAX, ADAPTIVE_START, MAX_CONCURRENCY } from './limits';
export type { AttemptOutcome } from './pacer';
export { schedulerOf, withScheduler } from './run';
export { RunScheduler } from './scheduler';
