/** The pagination engine and the paging strategies providers choose from. */
export { paginate } from './paginate.js';
export { tokenStrategy, type TokenPage, type TokenState, type TokenStrategyOptions } from './token.js';
export type * from './types.js';
