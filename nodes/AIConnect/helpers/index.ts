/*
 * Helpers the actions share: input binaries and their one reader, the multipart encoder, Additional Body
 * Fields, the MIME table, user-input checks and token usage. Other folders import them from here.
 */
export type { BinarySource, InputFile, StoredStream } from './binary';
export { imageDataUrl, outputBinaryProperty, readInputFiles, toOutputBinary } from './binary';
export type { FormFields } from './bodyFields';
export { additionalBodyFieldsOption, applyBodyFields, applyFormFields, flattenFormValue, mergeBodyFields, readAdditionalBodyFields, replacedFieldsWarning } from './bodyFields';
export { extensionForMime, mimeTypeForExtension, sniffImageMime } from './mime';
export type { FilePart, FormValue, MultipartBody } from './multipart';
export { encodeMultipart } from './multipart';
export { reportTokenUsage } from './tokenUsage';
export { definedOnly, numberInRange, parseJsonField, readModel, requireText, userInputError } from './validation';
