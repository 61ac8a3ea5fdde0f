// The diff view: two plans of one statement merged into one tree. Each row is a node of the after plan, a node that
// disappeared (under its old parent), or a pair done differently (Seq Scan → Index Scan), with time, cost and rows
// before → after; the totals sit at the top.
import { buildPlanView, formatCount, formatCost, formatMs, nodeFields, searchText, type FlatPlan, type PlanView } from '../../src/core/plan/view';
import { diffPlans, formatChange, rowChange, type DiffRow, type DiffTotal, type PlanDiff } from '../../src/core/plan/viewDiff';
import { findFolds, type Fold, type TreeItem } from '../../src/core/plan/viewTree';
import { fieldTable, findingCard } from './details';
import { h } from './dom';
import { TreeView, type ViewerOptions } from './treeView';
import { badges } from './viewer';

const statusMark: Record<DiffRow['status'], string> = { matched: '', replaced: '~', added: '+', removed: '−' };
const statusText: Record<DiffRow['status'], string> = { matched: 'in both plans', replaced: 'done differently', added: 'appeared', removed: 'disappeared' };

function formatUnit(unit: DiffTotal['unit'], v: number | undefined): string {
  if (v === undefined) return '—';
  return unit === 'ms' ? formatMs(v) : unit === 'cost' ? formatCost(v) : formatCount(v);
}

/** Better, worse or neither, for a number where less is better (time, cost, buffers, findings). */
function trend(before: number | undefined, after: number | undefined): string {
  if (before === undefined || after === undefined || before === after) return '';
  const ratio = before === 0 ? Infinity : after / before;
  if (ratio < 0.95) return 'pv-better';
  if (ratio > 1.05) return 'pv-worse';
  return '';
}

export class DiffViewer extends TreeView {
  readonly diff: PlanDiff;

  constructor(root: HTMLElement, doc: { title: string; before: FlatPlan; after: FlatPlan; beforeTitle: string; afterTitle: string }, options: ViewerOptions) {
    super(root, options);
    const before = buildPlanView(doc.before);
    const after = buildPlanView(doc.after);
    const d = (this.diff = diffPlans(before, after));
    root.classList.add('pv-diff');
    const head = (r: DiffRow) => (r.after >= 0 ? after.nodes[r.after]!.head : before.nodes[r.before]!.head);
    const search = () => d.rows.map((r) => `${r.after >= 0 ? searchText(after.flat.nodes[r.after]!) : ''}\n${r.before >= 0 ? searchText(before.flat.nodes[r.before]!) : ''}`);
    this.mount(
      [
        h('h1', { class: 'pv-title', testId: 'plan-title' }, doc.title),
        h('div', { class: 'pv-summary' }, h('span', { class: 'pv-chip pv-before' }, `before: ${doc.beforeTitle}`), h('span', { class: 'pv-chip pv-after' }, `after: ${doc.afterTitle}`)),
        this.totals(),
        this.counts(),
      ],
      findFolds(d.rows, (i) => `${d.rows[i]!.status} ${head(d.rows[i]!)}`),
      search,
    );
  }

  /** Selects and highlights the row of an after node (`#3`), or of a before node when it disappeared. */
  focusNode(id: string): boolean {
    const d = this.diff;
    let index = d.rows.findIndex((r) => r.after >= 0 && d.after.nodes[r.after]!.id === id);
    if (index < 0) index = d.rows.findIndex((r) => r.after < 0 && d.before.nodes[r.before]!.id === id);
    if (index < 0) return false;
    this.focusItem(index);
    return true;
  }

  protected items(): readonly TreeItem[] {
    return this.diff.rows;
  }

  private totals(): HTMLElement {
    const table = h(
      'table',
      { class: 'pv-totals', testId: 'diff-totals' },
      h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, 'Before'), h('th', {}, 'After'), h('th', {}, 'Change'))),
      h(
        'tbody',
        {},
        ...this.diff.totals.map((t) =>
          h(
            'tr',
            { attrs: { 'data-total': t.label } },
            h('th', { attrs: { scope: 'row' } }, t.label),
            h('td', {}, formatUnit(t.unit, t.before)),
            h('td', {}, formatUnit(t.unit, t.after)),
            h('td', { class: t.unit === 'rows' || t.unit === 'count' ? '' : trend(t.before, t.after) }, formatChange(t.before, t.after)),
          ),
        ),
      ),
    );
    return table;
  }

  private counts(): HTMLElement {
    const c = this.diff.counts;
    return h(
      'div',
      { class: 'pv-summary', testId: 'diff-counts' },
      h('span', { class: 'pv-chip' }, `${c.matched} unchanged`),
      h('span', { class: 'pv-chip pv-status-replaced' }, `${c.replaced} done differently`),
      h('span', { class: 'pv-chip pv-status-added' }, `${c.added} appeared`),
      h('span', { class: 'pv-chip pv-status-removed' }, `${c.removed} disappeared`),
    );
  }

  protected headerRow(): HTMLElement {
    return h(
      'div',
      { class: 'pv-row pv-header', attrs: { role: 'presentation' } },
      h('span', { class: 'pv-cell pv-node' }, 'Node'),
      h('span', { class: 'pv-cell pv-change' }, 'Time (exclusive)'),
      h('span', { class: 'pv-cell pv-change' }, 'Cost (total)'),
      h('span', { class: 'pv-cell pv-change' }, 'Rows'),
      h('span', { class: 'pv-cell pv-findings' }, 'Findings'),
    );
  }

  private changeCell(pair: [number | undefined, number | undefined] | undefined, format: (v: number) => string, lowerIsBetter: boolean): HTMLElement {
    const cell = h('span', { class: 'pv-cell pv-change' });
    if (!pair) return cell;
    const [b, a] = pair;
    const text = b !== undefined && a !== undefined ? `${format(b)} → ${format(a)}` : a !== undefined ? format(a) : format(b!);
    cell.title = text;
    cell.append(h('span', { class: 'pv-change-values' }, text), h('span', { class: `pv-change-delta ${lowerIsBetter ? trend(b, a) : ''}` }, formatChange(b, a)));
    return cell;
  }

  protected createItemRow(i: number): HTMLElement {
    const d = this.diff;
    const r = d.rows[i]!;
    const b = r.before >= 0 ? d.before.nodes[r.before]! : undefined;
    const a = r.after >= 0 ? d.after.nodes[r.after]! : undefined;
    const shown = (a ?? b)!;
    const el = h('div', {
      class: `pv-row pv-status-${r.status}`,
      attrs: { 'data-diff-status': r.status, 'data-node-id': a?.id, 'data-before-node-id': b?.id, 'aria-level': String(r.depth + 1) },
    });
    const headText = r.status === 'replaced' && b && a && b.head !== a.head ? `${b.head} → ${a.head}` : shown.head;
    const detail = r.status === 'replaced' && b && a && b.detail !== a.detail ? `${b.detail || '—'} → ${a.detail || '—'}` : shown.detail;
    el.append(
      h(
        'span',
        { class: 'pv-cell pv-node', title: `${shown.label} (${statusText[r.status]})` },
        ...this.indentAndTwisty(r.depth, r.end > i + 1),
        h('span', { class: 'pv-status-mark', attrs: { 'aria-label': statusText[r.status] } }, statusMark[r.status]),
        h('span', { class: 'pv-head' }, headText),
        detail ? h('span', { class: 'pv-detail' }, detail) : undefined,
      ),
    );
    const change = rowChange(d, r);
    el.append(this.changeCell(change.time, formatMs, true), this.changeCell(change.cost, formatCost, true), this.changeCell(change.rows, formatCount, false));
    el.append(a ? badges(d.after, r.after) : badges(d.before, r.before));
    return el;
  }

  protected createItemStub(i: number): HTMLElement {
    const d = this.diff;
    const r = d.rows[i]!;
    const el = h('div', { attrs: { 'data-diff-status': r.status, 'data-node-id': r.after >= 0 ? d.after.nodes[r.after]!.id : undefined, 'data-before-node-id': r.before >= 0 ? d.before.nodes[r.before]!.id : undefined } });
    const view = r.after >= 0 ? d.after : d.before;
    const index = r.after >= 0 ? r.after : r.before;
    if (view.nodes[index]!.findings.length) el.append(badges(view, index));
    return el;
  }

  protected createFoldRow(fold: Fold): HTMLElement {
    const d = this.diff;
    const first = d.rows[fold.members[0]!]!;
    const view = first.after >= 0 ? d.after : d.before;
    const head = view.nodes[first.after >= 0 ? first.after : first.before]!.head;
    let before = 0;
    let after = 0;
    for (let i = fold.start; i < fold.end; i++) {
      const c = rowChange(d, d.rows[i]!).time;
      before += c?.[0] ?? 0;
      after += c?.[1] ?? 0;
    }
    const el = h('div', { class: `pv-row pv-fold pv-status-${first.status}`, attrs: { 'aria-level': String(fold.depth + 1) } });
    el.append(
      h('span', { class: 'pv-cell pv-node' }, ...this.indentAndTwisty(fold.depth, true), h('span', { class: 'pv-status-mark' }, statusMark[first.status]), h('span', { class: 'pv-head' }, `${head} × ${fold.members.length.toLocaleString('en-US')}`), h('span', { class: 'pv-detail' }, statusText[first.status])),
      this.changeCell(before || after ? [before, after] : undefined, formatMs, true),
      h('span', { class: 'pv-cell pv-change' }),
      h('span', { class: 'pv-cell pv-change' }),
      h('span', { class: 'pv-cell pv-findings' }),
    );
    return el;
  }

  protected itemDetails(index: number, finding: number | undefined): HTMLElement {
    const d = this.diff;
    const r = d.rows[index]!;
    const b = r.before >= 0 ? d.before.flat.nodes[r.before]! : undefined;
    const a = r.after >= 0 ? d.after.flat.nodes[r.after]! : undefined;
    const out = h('div', { class: 'pv-details-body', attrs: { 'data-details-node': a?.id ?? b?.id } });
    out.append(h('h2', {}, h('span', { class: 'pv-head' }, (a ?? b)!.label), ' ', h('span', { class: `pv-chip pv-status-${r.status}` }, statusText[r.status])));
    // Every field of either side, in the order the after node lists them, with differences marked.
    const before = new Map(b ? nodeFields(b) : []);
    const after = new Map(a ? nodeFields(a) : []);
    const names = [...new Set([...after.keys(), ...before.keys()])].filter((n) => n !== 'Node');
    const table = h('table', { class: 'pv-fields pv-compare', testId: 'diff-fields' }, h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, `Before ${b?.id ?? ''}`), h('th', {}, `After ${a?.id ?? ''}`))));
    const body = h('tbody', {});
    for (const name of names) {
      const x = before.get(name);
      const y = after.get(name);
      body.append(h('tr', { class: x !== y ? 'pv-differs' : '' }, h('th', { attrs: { scope: 'row' } }, name), h('td', {}, x ?? '—'), h('td', {}, y ?? '—')));
    }
    table.append(body);
    const cards = (view: PlanView, node: number, side: string) => {
      const list = view.nodes[node]!.findings;
      if (!list.length) return;
      out.append(h('h3', {}, `Findings ${side}`));
      for (const fi of list) out.append(findingCard(view.findings[fi]!, fi === finding && view === (a ? d.after : d.before)));
    };
    if (a) cards(d.after, r.after, 'after');
    if (b) cards(d.before, r.before, 'before');
    out.append(h('h3', {}, 'Fields'), table);
    return out;
  }

  protected foldDetails(fold: Fold): HTMLElement {
    const d = this.diff;
    const rows: [string, string][] = [
      ['Rows folded', fold.members.length.toLocaleString('en-US')],
      ['Status', statusText[d.rows[fold.members[0]!]!.status]],
    ];
    return h('div', { class: 'pv-details-body' }, h('h2', {}, 'Repeated siblings'), fieldTable(rows, 'fold-facts'));
  }
}
