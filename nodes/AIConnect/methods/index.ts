import { getChatModels, getEmbeddingModels, getImageModels, getModerationModels, getSpeechModels, getTranscriptionModels } from './loadOptions';

export const loadOptions = { getChatModels, getImageModels, getSpeechModels, getTranscriptionModels, getEmbeddingModels, getModerationModels };
