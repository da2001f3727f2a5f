/*
 * The transport: the only code that sends HTTP. Actions call apiRequest with a path and an item; the
 * transport reads that item's Request Options (settings.ts) and the credential (credential.ts), paces
 * the run (pacer.ts), retries (retry.ts), decodes and checks the answer (response.ts) and turns
 * failures into the provider's own words (errors.ts).
 */
export type { ApiRequest, ApiResponse } from './request';
export { apiRequest } from './request';
export type { ResponseKind } from './response';
export { CREDENTIAL_TYPE, getBaseUrl } from './credential';
export { headerValue, mediaTypeOf, originOf } from './headers';
export { providerAnswerError } from './errors';
export { MAX_RETRY_AFTER_MS, retryAfterMs, retryDelay } from './retry';
export type { RequestSettings } from './settings';
export { concurrencySettings, requestSettings } from './settings';
export { concurrencyLimitOfRun } from './concurrency';
export type { RejectedParameter } from './rejectedParameter';
export { rejectedParameter } from './rejectedParameter';
export type { EventStreamAnswer, JsonAnswer, StreamAnswer } from './stream';
export { apiStream, StreamInterrupted } from './stream';
export type { ServerSentEvent } from './sse';
export { SseParser } from './sse';
export { StreamTextMask } from './streamMask';
