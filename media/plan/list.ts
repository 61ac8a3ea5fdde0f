// Two ways to put rows on the page, behind one interface. The webview draws only the rows in view (a 10,000-node plan
// stays as cheap as a small one); the HTML report keeps one element per row, shown or hidden, because its DOM is a
// contract: every node has an element that tests and readers can find.
import { h } from './dom';

/** Rows are numbers: a node or diff row index (≥ 0) or a fold as -(id + 1), see src/core/plan/viewTree.ts. */
export interface RowRenderer {
  /** Builds the element of one row. */
  create(row: number): HTMLElement;
  /**
   * A light stand-in for a row that is not shown yet: the report's DOM contract (ids and badges) without the cells.
   * The full row replaces it the first time it is shown.
   */
  stub(row: number): HTMLElement;
  /** Applies the state that changes without rebuilding (selection, search matches, expanded). */
  decorate(el: HTMLElement, row: number): void;
}

export interface RowList {
  readonly element: HTMLElement;
  /** The rows currently shown, in order. */
  setRows(rows: readonly number[]): void;
  /** Re-applies `decorate` to the rows on the page. */
  refresh(): void;
  /** Scrolls so the row is in view (`center` for a jump, `nearest` for keyboard steps). */
  scrollTo(row: number, align: 'center' | 'nearest'): void;
  /** The row's element, when it is on the page. */
  elementOf(row: number): HTMLElement | undefined;
}

/** Fixed row height in CSS pixels; plan.css sets the same value (--pv-row-height). */
export const ROW_HEIGHT = 24;
const OVERSCAN = 12;

export class VirtualRowList implements RowList {
  readonly element: HTMLElement;
  private readonly spacer: HTMLElement;
  private rows: readonly number[] = [];
  private position = new Map<number, number>();
  private rendered = new Map<number, HTMLElement>();
  private scheduled = false;

  constructor(private readonly renderer: RowRenderer) {
    this.spacer = h('div', { class: 'pv-spacer' });
    this.element = h('div', { class: 'pv-scroll', testId: 'plan-rows' }, this.spacer);
    this.element.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(this.element);
  }

  setRows(rows: readonly number[]): void {
    this.rows = rows;
    this.position = new Map(rows.map((r, i) => [r, i]));
    this.spacer.style.height = `${rows.length * ROW_HEIGHT}px`;
    // Rows keep their number across a collapse or search, but not their position: rebuild what is on screen.
    this.rendered.clear();
    this.spacer.replaceChildren();
    this.draw();
  }

  refresh(): void {
    for (const [row, el] of this.rendered) this.renderer.decorate(el, row);
  }

  scrollTo(row: number, align: 'center' | 'nearest'): void {
    const i = this.position.get(row);
    if (i === undefined) return;
    // The sticky column header sits above the rows inside the scroller: rows start `offset` pixels down.
    const offset = this.spacer.offsetTop;
    const top = offset + i * ROW_HEIGHT;
    const view = this.element.clientHeight;
    if (align === 'center') this.element.scrollTop = Math.max(0, top - (view + offset - ROW_HEIGHT) / 2);
    else if (top < this.element.scrollTop + offset) this.element.scrollTop = top - offset;
    else if (top + ROW_HEIGHT > this.element.scrollTop + view) this.element.scrollTop = top + ROW_HEIGHT - view;
    this.draw();
  }

  elementOf(row: number): HTMLElement | undefined {
    return this.rendered.get(row);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.draw();
    });
  }

  /** Keeps exactly the rows in view (plus a margin) on the page, reusing the ones already there. */
  private draw(): void {
    const height = this.element.clientHeight || 800;
    const scrolled = this.element.scrollTop - this.spacer.offsetTop;
    const first = Math.max(0, Math.floor(scrolled / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.rows.length, Math.ceil((scrolled + height) / ROW_HEIGHT) + OVERSCAN);
    const keep = new Set<number>();
    for (let i = first; i < last; i++) keep.add(this.rows[i]!);
    for (const [row, el] of this.rendered) {
      if (keep.has(row)) continue;
      el.remove();
      this.rendered.delete(row);
    }
    for (let i = first; i < last; i++) {
      const row = this.rows[i]!;
      if (this.rendered.has(row)) continue;
      const el = this.renderer.create(row);
      el.style.top = `${i * ROW_HEIGHT}px`;
      this.renderer.decorate(el, row);
      this.rendered.set(row, el);
      this.spacer.append(el);
    }
  }
}

export class FullRowList implements RowList {
  readonly element: HTMLElement;
  private readonly elements = new Map<number, HTMLElement>();
  private readonly stubs = new Set<number>();

  /**
   * `all` is every row there can be, in document order; each gets an element, hidden until shown. Rows start as stubs
   * and are built in full when first shown, so a plan whose 10,000 partitions start folded costs 10,000 small
   * elements, not 10,000 full rows.
   */
  constructor(
    private readonly renderer: RowRenderer,
    all: readonly number[],
  ) {
    this.element = h('div', { class: 'pv-scroll pv-full', testId: 'plan-rows' });
    const fragment = document.createDocumentFragment();
    for (const row of all) {
      const el = renderer.stub(row);
      el.hidden = true;
      this.elements.set(row, el);
      this.stubs.add(row);
      fragment.append(el);
    }
    this.element.append(fragment);
  }

  setRows(rows: readonly number[]): void {
    const shown = new Set(rows);
    for (const row of rows) {
      if (!this.stubs.delete(row)) continue;
      const stub = this.elements.get(row)!;
      const full = this.renderer.create(row);
      stub.replaceWith(full);
      this.elements.set(row, full);
    }
    for (const [row, el] of this.elements) {
      const hidden = !shown.has(row);
      if (el.hidden !== hidden) el.hidden = hidden;
    }
    this.refresh();
  }

  refresh(): void {
    for (const [row, el] of this.elements) if (!el.hidden) this.renderer.decorate(el, row);
  }

  scrollTo(row: number, align: 'center' | 'nearest'): void {
    this.elements.get(row)?.scrollIntoView({ block: align });
  }

  elementOf(row: number): HTMLElement | undefined {
    const el = this.elements.get(row);
    return el && !el.hidden ? el : undefined;
  }
}
