import * as workflow from 'n8n-workflow';

/** Waits `ms`, or rejects as soon as `signal` aborts (a cancelled execution must not wait out a retry delay). */
type AbortableSleep = (ms: number, signal?: AbortSignal) => Promise<void>;

// n8n-workflow up to 2.3x exports sleepWithAbort(ms, signal); n8n 2.41's n8n-workflow dropped it and its
// sleep(ms, signal) takes the signal instead. Looked up when called, so one build runs on both.
const exported = workflow as unknown as { sleepWithAbort?: AbortableSleep; sleep: AbortableSleep };

export const sleepWithAbort: AbortableSleep = async (ms, signal) => await (exported.sleepWithAbort ?? exported.sleep)(ms, signal);
