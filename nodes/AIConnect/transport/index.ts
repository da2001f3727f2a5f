/*
 * The transport: the only code that sends HTTP. Actions call apiRequest with a path and an item; the
 * transport reads that item's Request Options (requestOptions.ts) and the credential (credential.ts), takes
 * each attempt's turn from the run's scheduler (../scheduling), retries (retry.ts), decodes and checks the
 * answer (response.ts) and turns failures into the provider's own words (errors.ts).
 */
export type { ApiRequest, ApiResponse } from './request';
export { apiRequest } from './request';
export type { ResponseKind } from './response';
export { CREDENTIAL_TYPE, credentialFingerprint, getBaseUrl } from './credential';
export { headerValue, mediaTypeOf, originOf } from './headers';
export { providerAnswerError, streamReadError } from './errors';
export { maskedAnswerWarning } from './secrets';
export { MAX_RETRY_AFTER_MS, retryAfterMs, retryDelay } from './retry';
export type { RequestSettings } from './requestOptions';
export { concurrencySettings, requestOptionsField, requestSettings } from './requestOptions';
export type { RejectedParameter } from './rejectedParameter';
export { rejectedParameter } from './rejectedParameter';
export { refusedForSize } from './refusedForSize';
export type { EventStreamAnswer, JsonAnswer, StreamAnswer } from './stream';
export { apiStream, StreamInterrupted } from './stream';
export type { ServerSentEvent } from './sse';
export { SseParser } from './sse';
export { StreamTextMask } from './streamMask';
