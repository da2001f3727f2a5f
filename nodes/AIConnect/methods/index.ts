import { getAudioModels, getChatModels, getImageModels } from './loadOptions';

export const loadOptions = { getChatModels, getImageModels, getAudioModels };
