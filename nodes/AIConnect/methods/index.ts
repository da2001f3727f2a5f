/* The node's methods: the Model fields' lists (loadOptions.ts). */
export type { ModelListMethod } from './loadOptions';
export { loadOptions } from './loadOptions';
