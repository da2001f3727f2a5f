/*
 * The transport: the only code that sends HTTP. Actions call apiRequest with a path and an item; the
 * transport reads that item's Request Options (requestOptions.ts) and the credential (credential.ts), takes
 * each attempt's turn from the run's scheduler (../scheduling), retries (retry.ts), decodes and checks the
 * answer (response.ts) and turns failures into the provider's own words (errors.ts).
 */
export { credentialFingerprint, credentialsOf, getBaseUrl } from './credential';
export { failureToNodeError, providerAnswerError, streamReadError } from './errors';
export { mediaTypeOf } from './headers';
export { refusedForSize } from './refusedForSize';
export type { RejectedParameter } from './rejectedParameter';
export { rejectedParameter } from './rejectedParameter';
export type { ApiResponse } from './request';
export { apiRequest } from './request';
export { concurrencySettings, requestOptionsField } from './requestOptions';
export { maskedAnswerWarning } from './secrets';
export type { StreamAnswer } from './stream';
export { StreamInterrupted, apiStream } from './stream';
export type { StreamTextMask } from './streamMask';
