// The list of plan rules, in no particular order: findings are sorted by score afterwards.
import { cacheRead } from './cacheRead';
import { duckdbCsvScan, duckdbNoFilterPushdown, duckdbNoProjectionPushdown, duckdbSpill } from './duckdbRules';
import type { PlanRule } from './context';
import { hashSpill } from './hashSpill';
import { heapFetches } from './heapFetches';
import { hotspot } from './hotspot';
import { indexFilter } from './indexFilter';
import { jitOverhead } from './jitOverhead';
import { joinFilter } from './joinFilter';
import { mysqlPlanRules } from './mysqlRules';
import { lossyBitmap } from './lossyBitmap';
import { nestedLoopInnerScan } from './nestedLoopInnerScan';
import { planningTime } from './planningTime';
import { rowMisestimate } from './rowMisestimate';
import { seqScanFilter } from './seqScanFilter';
import { sortSpill } from './sortSpill';
import { sqliteAutoIndex, sqliteCorrelatedSubquery, sqliteFullScan, sqliteTempBtree } from './sqliteRules';
import { triggerTime } from './triggerTime';
import { workersNotLaunched } from './workersNotLaunched';

export const planRules: readonly PlanRule[] = [
  seqScanFilter,
  indexFilter,
  joinFilter,
  nestedLoopInnerScan,
  rowMisestimate,
  sortSpill,
  hashSpill,
  heapFetches,
  lossyBitmap,
  jitOverhead,
  workersNotLaunched,
  planningTime,
  triggerTime,
  cacheRead,
  hotspot,
  sqliteFullScan,
  sqliteTempBtree,
  sqliteAutoIndex,
  sqliteCorrelatedSubquery,
  duckdbNoFilterPushdown,
  duckdbNoProjectionPushdown,
  duckdbCsvScan,
  duckdbSpill,
  ...mysqlPlanRules,
];
