// The details pane: a node's numbers and every field it carries, its findings with message, evidence and fix, and the
// plan-wide facts on the root. Text only through dom.ts.
import { foldSummary, formatCount, formatMetric, nodeFields, planFields, type PlanView, type ViewFinding } from '../../src/core/plan/view';
import type { Fold } from '../../src/core/plan/viewTree';
import { button, h } from './dom';

export function fieldTable(rows: readonly (readonly [string, string])[], testId: string): HTMLTableElement {
  return h('table', { class: 'pv-fields', testId }, h('tbody', {}, ...rows.map(([k, v]) => h('tr', {}, h('th', { attrs: { scope: 'row' } }, k), h('td', {}, v)))));
}

function evidenceText(v: number | string | boolean | null): string {
  if (v === null) return '—';
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : String(v);
  return String(v);
}

/**
 * One finding: severity, id, rule and score; the message; the evidence; the fix with a Copy button. It names its rule in
 * `data-rule`, not `data-finding-rule`, which the report's contract keeps for the badges on the nodes.
 */
export function findingCard(f: ViewFinding, active: boolean): HTMLElement {
  const card = h(
    'section',
    { class: `pv-finding sev-${f.severity}${active ? ' pv-active' : ''}`, testId: 'finding-details', attrs: { 'data-rule': f.rule, 'data-finding-id': f.id } },
    h('header', {}, h('span', { class: 'pv-sev' }, f.severity), h('span', { class: 'pv-fid' }, f.id), h('code', {}, f.rule), h('span', { class: 'pv-score', title: 'Score 0–5: the share of the time a fix could save' }, `score ${f.score}`)),
    h('p', { class: 'pv-message' }, f.message),
  );
  if (f.planWide) card.append(h('p', { class: 'pv-note' }, 'About the whole statement, so it is shown on the root node.'));
  const evidence = Object.entries(f.evidence);
  if (evidence.length) card.append(h('h4', {}, 'Evidence'), fieldTable(evidence.map(([k, v]) => [k, evidenceText(v)]), 'finding-evidence'));
  if (f.fix !== undefined) {
    const copy = button('Copy', { class: 'pv-copy', attrs: { 'data-copy': '' } });
    card.append(h('h4', {}, 'Fix'), h('div', { class: 'pv-fix' }, h('pre', {}, h('code', { testId: 'finding-fix' }, f.fix)), copy));
  }
  return card;
}

export function nodeDetails(view: PlanView, index: number, activeFinding: number | undefined): HTMLElement {
  const node = view.nodes[index]!;
  const flat = view.flat.nodes[index]!;
  const out = h('div', { class: 'pv-details-body', attrs: { 'data-details-node': node.id } });
  out.append(h('h2', {}, h('span', { class: 'pv-head' }, node.head), ' ', h('span', { class: 'pv-detail' }, node.detail), ' ', h('span', { class: 'pv-id' }, node.id)));
  if (node.label !== node.head && node.label !== `${node.head} ${node.detail}`) out.append(h('p', { class: 'pv-label' }, node.label));
  const facts: [string, string][] = [];
  if (node.metric !== undefined) {
    facts.push([view.metric === 'time' ? 'Exclusive time' : 'Exclusive cost', formatMetric(view.metric, node.metric)]);
    if (view.totalMetric > 0) facts.push(['Share of the plan', `${((100 * node.metric) / view.totalMetric).toFixed(1)}%`]);
  }
  if (node.inclusive !== undefined) facts.push([view.metric === 'time' ? 'Inclusive time' : 'Total cost', formatMetric(view.metric, node.inclusive)]);
  if (node.planRows !== undefined) facts.push(['Rows estimated (per loop)', formatCount(node.planRows)]);
  if (node.actualRows !== undefined) facts.push(['Rows actual (per loop)', formatCount(node.actualRows)]);
  if (node.misestimate && node.misestimate.factor >= 1.05) {
    facts.push(['Misestimate', `${node.misestimate.factor.toFixed(node.misestimate.factor < 10 ? 1 : 0)}× ${node.misestimate.direction === 'under' ? 'more rows than estimated' : 'fewer rows than estimated'}`]);
  }
  if (node.loops !== undefined) facts.push(['Loops', formatCount(node.loops)]);
  if (node.hit !== undefined) facts.push(['Buffers hit / read', `${formatCount(node.hit)} / ${formatCount(node.read ?? 0)}`]);
  if (node.workersPlanned !== undefined) facts.push(['Workers planned / launched', `${node.workersPlanned} / ${node.workersLaunched ?? '?'}`]);
  if (facts.length) out.append(fieldTable(facts, 'node-facts'));
  if (node.findings.length) {
    out.append(h('h3', {}, `Findings (${node.findings.length})`));
    // The finding that was clicked comes first, open; the others follow.
    const order = activeFinding !== undefined && node.findings.includes(activeFinding) ? [activeFinding, ...node.findings.filter((i) => i !== activeFinding)] : node.findings;
    for (const i of order) out.append(findingCard(view.findings[i]!, i === activeFinding));
  }
  if (index === 0) out.append(h('h3', {}, 'Plan'), fieldTable(planFields(view.flat), 'plan-fields'));
  out.append(h('h3', {}, 'All fields'), fieldTable(nodeFields(flat), 'node-fields'));
  return out;
}

export function foldDetails(view: PlanView, fold: Fold): HTMLElement {
  const s = foldSummary(view, fold);
  const out = h('div', { class: 'pv-details-body', attrs: { 'data-details-fold': String(fold.id) } });
  out.append(h('h2', {}, h('span', { class: 'pv-head' }, `${s.head} × ${s.count.toLocaleString('en-US')}`)));
  out.append(h('p', {}, `${s.count.toLocaleString('en-US')} siblings of the same shape, folded: from ${s.first} to ${s.last}. Expand the row to see each one.`));
  const facts: [string, string][] = [];
  if (s.metric !== undefined) facts.push([view.metric === 'time' ? 'Exclusive time, all together' : 'Exclusive cost, all together', formatMetric(view.metric, s.metric)]);
  if (s.planRows !== undefined) facts.push(['Rows estimated', formatCount(s.planRows)]);
  if (s.actualRows !== undefined) facts.push(['Rows actual', formatCount(s.actualRows)]);
  if (facts.length) out.append(fieldTable(facts, 'fold-facts'));
  if (s.rules.length) {
    out.append(h('h3', {}, 'Findings inside'));
    out.append(h('ul', { class: 'pv-fold-rules' }, ...s.rules.map((r) => h('li', { class: `sev-${r.severity}` }, h('code', {}, r.rule), ` × ${r.count}`))));
  }
  return out;
}
