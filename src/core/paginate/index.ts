/** The pagination engine and the paging strategies providers choose from. */
export { paginate } from './paginate.js';
export { tokenStrategy, type TokenPage, type TokenState, type TokenStrategyOptions } from './token.js';
export {
  compareDecimalIds,
  sinceIdStrategy,
  type SinceIdPage,
  type SinceIdRequest,
  type SinceIdState,
  type SinceIdStrategyOptions,
} from './since-id.js';
export { markerStrategy, type MarkerRequest, type MarkerState, type MarkerStrategyOptions } from './marker.js';
export { offsetStrategy, type OffsetPage, type OffsetRequest, type OffsetState, type OffsetStrategyOptions } from './offset.js';
export {
  timeWindowStrategy,
  type TimeWindowPage,
  type TimeWindowRequest,
  type TimeWindowState,
  type TimeWindowStrategyOptions,
} from './time-window.js';
export type * from './types.js';
