export * from './errors';
export * from './schema/types';
export { LIMITS } from './schema/limits';
export { parseDuration, parseRate, parsePercent, formatDuration, formatRate } from './schema/units';
export { splitArgv, joinArgv } from './schema/argv';
export { checkLab, parseLab, loadLab, formatPath, type ParseOptions, type LabCheckResult } from './parse';
export * from './model';
export {
  renderSvg,
  renderDot,
  layoutLab,
  impairmentLabel,
  type LabLayout,
  type PlacedNode,
  type PlacedSegment,
} from './graph';
