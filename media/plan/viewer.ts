// The single-plan view: one row per node with its exclusive-time (or cost) bar, rows estimated → actual with the
// misestimate, loops, buffers, workers and the findings as badges; repeated siblings folded; details on the side.
import { buildPlanView, foldSummary, formatCount, formatFactor, formatMetric, formatMs, searchText, type FlatPlan, type PlanView } from '../../src/core/plan/view';
import { findFolds, type Fold, type TreeItem } from '../../src/core/plan/viewTree';
import { foldDetails, nodeDetails } from './details';
import { button, h } from './dom';
import { TreeView, type ViewerOptions } from './treeView';

interface Columns {
  metric: boolean;
  rows: boolean;
  loops: boolean;
  buffers: boolean;
  workers: boolean;
}

/** The exclusive-metric cell: a bar relative to the largest node, and the value. Shared with the diff view. */
export function metricCell(view: PlanView, value: number | undefined): HTMLElement {
  const cell = h('span', { class: 'pv-cell pv-metric' });
  if (value === undefined) return cell;
  const bar = h('span', { class: 'pv-bar' });
  const max = view.maxMetric;
  bar.style.width = `${max > 0 ? Math.max(value > 0 ? 1 : 0, (100 * value) / max) : 0}%`;
  const share = view.totalMetric > 0 ? (100 * value) / view.totalMetric : 0;
  if (share >= 50) cell.classList.add('pv-hot');
  else if (share >= 10) cell.classList.add('pv-warm');
  cell.title = `${formatMetric(view.metric, value)} (${share.toFixed(1)}% of the plan)`;
  cell.append(h('span', { class: 'pv-bar-track' }, bar), h('span', { class: 'pv-value' }, formatMetric(view.metric, value)));
  return cell;
}

/** The badges of a node's findings; each carries `data-finding-rule` (the report's DOM contract). */
export function badges(view: PlanView, index: number): HTMLElement {
  const cell = h('span', { class: 'pv-cell pv-findings' });
  for (const fi of view.nodes[index]!.findings) {
    const f = view.findings[fi]!;
    cell.append(
      button(`${f.id} ${f.rule}`, {
        class: `pv-badge sev-${f.severity}`,
        title: f.message,
        attrs: { 'data-finding-rule': f.rule, 'data-finding-id': f.id, 'data-finding': String(fi), tabindex: '-1' },
      }),
    );
  }
  return cell;
}

export class PlanViewer extends TreeView {
  readonly view: PlanView;
  private readonly columns: Columns;

  constructor(root: HTMLElement, title: string, flat: FlatPlan, options: ViewerOptions) {
    super(root, options);
    const v = (this.view = buildPlanView(flat));
    this.columns = {
      metric: v.metric !== 'none',
      rows: v.nodes.some((n) => n.planRows !== undefined || n.actualRows !== undefined),
      loops: v.flat.analyzed,
      buffers: v.nodes.some((n) => n.hit !== undefined),
      workers: v.nodes.some((n) => n.workersPlanned !== undefined),
    };
    root.classList.add('pv-plan');
    this.mount(
      [h('h1', { class: 'pv-title', testId: 'plan-title' }, title), this.summary()],
      findFolds(v.nodes, (i) => v.nodes[i]!.head),
      () => v.flat.nodes.map(searchText),
    );
  }

  /** Selects, reveals and highlights a node by id (`#3`), e.g. for a finding clicked in the chat. */
  focusNode(id: string): boolean {
    const index = this.view.byId.get(id);
    if (index === undefined) return false;
    this.focusItem(index);
    return true;
  }

  protected items(): readonly TreeItem[] {
    return this.view.nodes;
  }

  protected headerRow(): HTMLElement {
    const c = this.columns;
    const metric = this.view.metric === 'time' ? 'Time (exclusive)' : 'Cost (exclusive)';
    return h(
      'div',
      { class: 'pv-row pv-header', attrs: { role: 'presentation' } },
      h('span', { class: 'pv-cell pv-node' }, 'Node'),
      c.metric && h('span', { class: 'pv-cell pv-metric' }, metric),
      c.rows && h('span', { class: 'pv-cell pv-rows', title: 'Rows per loop: estimated → actual, and how far off the estimate was' }, this.view.flat.analyzed ? 'Rows est → actual' : 'Rows (estimated)'),
      c.loops && h('span', { class: 'pv-cell pv-loops' }, 'Loops'),
      c.buffers && h('span', { class: 'pv-cell pv-buffers', title: 'Shared and local buffers: hit / read' }, 'Buffers hit/read'),
      c.workers && h('span', { class: 'pv-cell pv-workers', title: 'Workers planned / launched' }, 'Workers'),
      h('span', { class: 'pv-cell pv-findings' }, 'Findings'),
    );
  }

  protected createItemRow(i: number): HTMLElement {
    const n = this.view.nodes[i]!;
    const c = this.columns;
    const el = h('div', { class: 'pv-row', attrs: { 'data-node-id': n.id, 'aria-level': String(n.depth + 1) } });
    el.append(
      h(
        'span',
        { class: 'pv-cell pv-node', title: n.label },
        ...this.indentAndTwisty(n.depth, n.end > i + 1),
        h('span', { class: 'pv-head' }, n.head),
        n.detail ? h('span', { class: 'pv-detail' }, n.detail) : undefined,
        n.neverExecuted ? h('span', { class: 'pv-never' }, 'never executed') : undefined,
      ),
    );
    if (c.metric) el.append(metricCell(this.view, n.metric));
    if (c.rows) {
      const cell = h('span', { class: 'pv-cell pv-rows' });
      if (n.planRows !== undefined) cell.append(formatCount(n.planRows));
      if (n.actualRows !== undefined) cell.append(` → ${formatCount(n.actualRows)}`);
      const m = n.misestimate;
      if (m && m.factor >= 2) {
        const what = m.direction === 'under' ? 'more' : 'fewer';
        const mark = h('span', { class: `pv-mis${m.factor >= 10 ? ' pv-mis-bad' : ''}`, title: `${m.factor.toFixed(1)}× ${what} rows than estimated`, attrs: { 'data-misestimate': m.direction } }, `${m.direction === 'under' ? '↑' : '↓'}${formatFactor(m.factor)}`);
        cell.append(mark);
      }
      el.append(cell);
    }
    if (c.loops) el.append(h('span', { class: 'pv-cell pv-loops' }, n.loops !== undefined ? formatCount(n.loops) : ''));
    if (c.buffers) el.append(h('span', { class: 'pv-cell pv-buffers' }, n.hit !== undefined ? `${formatCount(n.hit)} / ${formatCount(n.read ?? 0)}` : ''));
    if (c.workers) {
      const cell = h('span', { class: 'pv-cell pv-workers' }, n.workersPlanned !== undefined ? `${n.workersPlanned}/${n.workersLaunched ?? '?'}` : '');
      if (n.workersPlanned !== undefined && n.workersLaunched !== undefined && n.workersLaunched < n.workersPlanned) cell.classList.add('pv-short');
      el.append(cell);
    }
    el.append(badges(this.view, i));
    return el;
  }

  protected createItemStub(i: number): HTMLElement {
    const el = h('div', { attrs: { 'data-node-id': this.view.nodes[i]!.id } });
    if (this.view.nodes[i]!.findings.length) el.append(badges(this.view, i));
    return el;
  }

  protected createFoldRow(fold: Fold): HTMLElement {
    const s = foldSummary(this.view, fold);
    const c = this.columns;
    const el = h('div', { class: 'pv-row pv-fold', attrs: { 'aria-level': String(fold.depth + 1) } });
    el.append(
      h(
        'span',
        { class: 'pv-cell pv-node', title: `${s.count} siblings of the same shape` },
        ...this.indentAndTwisty(fold.depth, true),
        h('span', { class: 'pv-head' }, `${s.head} × ${s.count.toLocaleString('en-US')}`),
        h('span', { class: 'pv-detail' }, `${s.first} … ${s.last}`),
      ),
    );
    if (c.metric) el.append(metricCell(this.view, s.metric));
    if (c.rows) el.append(h('span', { class: 'pv-cell pv-rows', title: 'All members together' }, s.planRows !== undefined ? `Σ ${formatCount(s.planRows)}` : '', s.actualRows !== undefined ? ` → ${formatCount(s.actualRows)}` : ''));
    if (c.loops) el.append(h('span', { class: 'pv-cell pv-loops' }));
    if (c.buffers) el.append(h('span', { class: 'pv-cell pv-buffers' }));
    if (c.workers) el.append(h('span', { class: 'pv-cell pv-workers' }));
    // A summary of what the members carry; the badges themselves stay on the members' rows.
    el.append(h('span', { class: 'pv-cell pv-findings' }, ...s.rules.map((r) => h('span', { class: `pv-fold-badge sev-${r.severity}`, title: `${r.count} × ${r.rule} inside` }, `${r.rule} ×${r.count}`))));
    return el;
  }

  protected itemDetails(index: number, finding: number | undefined): HTMLElement {
    return nodeDetails(this.view, index, finding);
  }

  protected foldDetails(fold: Fold): HTMLElement {
    return foldDetails(this.view, fold);
  }

  private summary(): HTMLElement {
    const f = this.view.flat;
    const chips: string[] = [f.dialect === 'postgres' ? 'PostgreSQL' : 'SQLite', f.analyzed ? 'ANALYZE' : f.dialect === 'postgres' ? 'estimates only' : 'EXPLAIN QUERY PLAN'];
    if (f.executionMs !== undefined) chips.push(`execution ${formatMs(f.executionMs)}`);
    if (f.planningMs !== undefined) chips.push(`planning ${formatMs(f.planningMs)}`);
    const rootCost = f.nodes[0]?.totalCost;
    if (rootCost !== undefined) chips.push(`cost ${formatMetric('cost', rootCost)}`);
    chips.push(`${f.nodeCount.toLocaleString('en-US')} nodes`);
    const bySeverity = (s: string) => this.view.findings.filter((x) => x.severity === s).length;
    chips.push(this.view.findings.length ? `${this.view.findings.length} findings (${bySeverity('critical')} critical, ${bySeverity('warning')} warning)` : 'no findings');
    return h('div', { class: 'pv-summary', testId: 'plan-summary' }, ...chips.map((c) => h('span', { class: 'pv-chip' }, c)));
  }
}
