import { getAudioModels, getChatModels, getEmbeddingModels, getImageModels, getModerationModels } from './loadOptions';

export const loadOptions = { getChatModels, getImageModels, getAudioModels, getEmbeddingModels, getModerationModels };
