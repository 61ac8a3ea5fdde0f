// A node's one-line label as PostgreSQL's text format would print it, built from the structured fields of the JSON
// format, so that summaries read the same whichever format the user pasted.
import type { PlanNode } from './model';

const aggregateNames: Record<string, string> = { Plain: 'Aggregate', Sorted: 'GroupAggregate', Hashed: 'HashAggregate', Mixed: 'MixedAggregate' };

function target(n: PlanNode): string {
  const name = n.relation ?? n.cteName ?? n.functionName;
  if (name === undefined) return n.alias !== undefined ? ` on ${n.alias}` : '';
  const qualified = n.schema !== undefined && n.relation !== undefined ? `${n.schema}.${name}` : name;
  return ` on ${qualified}${n.alias !== undefined && n.alias !== name ? ` ${n.alias}` : ''}`;
}

export function labelFor(n: PlanNode): string {
  let head = n.nodeType;
  if (n.nodeType === 'Aggregate') head = aggregateNames[n.strategy ?? 'Plain'] ?? 'Aggregate';
  else if (n.nodeType === 'SetOp' && n.strategy === 'Hashed') head = 'HashSetOp';
  else if (n.nodeType === 'ModifyTable' && n.operation !== undefined) head = n.operation;
  if (n.partialMode !== undefined && n.partialMode !== 'Simple') head = `${n.partialMode} ${head}`;
  if (n.parallelAware) head = `Parallel ${head}`;
  if (n.joinType !== undefined && n.joinType !== 'Inner') {
    head = n.nodeType === 'Nested Loop' ? `${head} ${n.joinType} Join` : head.replace(/ Join$/, ` ${n.joinType} Join`);
  }
  if (n.scanDirection === 'Backward') head += ' Backward';
  if (n.index !== undefined) {
    if (n.nodeType === 'Bitmap Index Scan') return `${head} on ${n.index}`;
    head += ` using ${n.index}`;
  }
  return head + target(n);
}
