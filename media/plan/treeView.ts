// What the single-plan view and the diff view share: a tree of rows (folded runs, collapse and expand), selection with
// a details pane, keyboard navigation, search, and highlighting a node on request. Subclasses say how a row and its
// details look. The rows go through a RowList: virtualized in the webview, one element per row in the HTML report.
import { collapseAll, expandAll, indexFolds, newTreeState, reveal, rowTarget, searchItems, visibleRows, type Fold, type FoldIndex, type TreeItem } from '../../src/core/plan/viewTree';
import { button, h } from './dom';
import { FullRowList, ROW_HEIGHT, VirtualRowList, type RowList } from './list';
import { ACTIVE_ROW_ID, TreeKeys } from './treeKeys';

export interface ViewerOptions {
  /** `virtual` draws only the rows in view (webview); `full` keeps one element per node (HTML report). */
  mode: 'virtual' | 'full';
  /** Copies a fix (the webview asks the host; the report uses the clipboard API). */
  copy(text: string): void;
}

/** Indentation per level, capped so a 10,000-deep chain stays readable (the level is shown past the cap). */
const INDENT_PX = 14;
const MAX_INDENT_LEVELS = 32;

export abstract class TreeView {
  protected readonly state = newTreeState();
  protected folds!: FoldIndex;
  protected list!: RowList;
  protected keys!: TreeKeys;
  protected details!: HTMLElement;
  protected tree!: HTMLElement;
  protected rows: number[] = [];
  protected selected: number | undefined;
  protected flash: number | undefined;
  private searchTexts: () => readonly string[] = () => [];
  private searchCache: readonly string[] | undefined;
  private readonly searchBox: HTMLInputElement;
  private readonly matchCount: HTMLElement;
  private matches: number[] = [];
  private matchSet = new Set<number>();
  private matchCursor = -1;

  constructor(
    readonly root: HTMLElement,
    protected readonly options: ViewerOptions,
  ) {
    this.searchBox = h('input', { class: 'pv-search', testId: 'plan-search', attrs: { type: 'search', placeholder: 'Search relation, index, node type', 'aria-label': 'Search the plan' } });
    this.matchCount = h('span', { class: 'pv-match-count', testId: 'plan-match-count', attrs: { 'aria-live': 'polite' } });
  }

  /** The items the tree is made of, in preorder. */
  protected abstract items(): readonly TreeItem[];
  protected abstract createItemRow(index: number): HTMLElement;
  /** The report's stand-in for a row not shown yet: the same contract attributes and badges, no cells. */
  protected abstract createItemStub(index: number): HTMLElement;
  protected abstract createFoldRow(fold: Fold): HTMLElement;
  protected abstract headerRow(): HTMLElement;
  protected abstract itemDetails(index: number, finding: number | undefined): HTMLElement;
  protected abstract foldDetails(fold: Fold): HTMLElement;

  /** Builds the page: call once from the subclass constructor, after its own fields are set. */
  /** `searchTexts` gives each item's lower-case search text; it is called once, on the first search. */
  protected mount(toolbar: (Node | undefined)[], folds: Fold[], searchTexts: () => readonly string[]): void {
    const items = this.items();
    this.folds = indexFolds(items, folds);
    this.searchTexts = searchTexts;
    const renderer = { create: (row: number) => this.createRow(row), stub: (row: number) => this.createStub(row), decorate: (el: HTMLElement, row: number) => this.decorate(el, row) };
    this.list = this.options.mode === 'virtual' ? new VirtualRowList(renderer) : new FullRowList(renderer, this.allRows());
    this.details = h('aside', { class: 'pv-details', testId: 'plan-details', attrs: { 'aria-label': 'Details' } });
    // The column header scrolls sideways with the rows and stays on top (sticky) when they scroll down.
    this.list.element.prepend(this.headerRow());
    this.tree = h('div', { class: 'pv-tree', testId: 'plan-tree', attrs: { role: 'tree', tabindex: '0', 'aria-label': 'Plan nodes' } }, this.list.element);
    this.keys = new TreeKeys(this.tree, {
      rows: () => this.rows,
      selected: () => this.selected,
      select: (row) => this.select(row, 'nearest'),
      toggle: (row, open) => this.toggle(row, open),
      parentRow: (row) => this.parentRow(row),
      isOpen: (row) => this.isOpen(row),
      hasChildren: (row) => this.hasChildren(row),
      pageSize: () => Math.max(1, Math.floor(this.list.element.clientHeight / ROW_HEIGHT) - 1),
      focusSearch: () => this.searchBox.focus(),
    });
    this.root.replaceChildren(h('header', { class: 'pv-toolbar' }, ...toolbar, h('div', { class: 'pv-controls' }, this.searchBar(), this.treeButtons())), h('div', { class: 'pv-body' }, this.tree, this.details));
    this.root.classList.add('pv-root');
    this.tree.addEventListener('click', (e) => this.onClick(e));
    this.tree.addEventListener('dblclick', (e) => {
      const row = this.rowOf(e.target);
      if (row !== undefined && !(e.target as HTMLElement).closest('button')) this.toggle(row);
    });
    this.details.addEventListener('click', (e) => {
      const copy = (e.target as HTMLElement).closest('[data-copy]');
      const code = copy?.parentElement?.querySelector('code')?.textContent;
      if (code) this.options.copy(code);
    });
    this.refreshRows();
    this.select(this.rows[0], 'nearest');
  }

  /** Selects, reveals and highlights an item; used for a node id asked for by the chat. */
  protected focusItem(index: number): void {
    if (reveal(this.items(), this.folds, this.state, index)) this.refreshRows();
    this.flash = index;
    this.select(index, 'center');
    this.keys.focus();
  }

  // ---- rows ----------------------------------------------------------------------------------------------------

  /** Every row the report keeps an element for: each item, with each fold row before its first member. */
  private allRows(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.items().length; i++) {
      const f = this.folds.startsAt[i]!;
      if (f >= 0) out.push(-(f + 1));
      out.push(i);
    }
    return out;
  }

  protected refreshRows(): void {
    this.rows = visibleRows(this.items(), this.folds, this.state);
    this.list.setRows(this.rows);
  }

  private createRow(row: number): HTMLElement {
    const t = rowTarget(row);
    const el = t.fold !== undefined ? this.createFoldRow(this.folds.folds[t.fold]!) : this.createItemRow(t.node);
    el.setAttribute('role', 'treeitem');
    if (t.fold !== undefined) el.setAttribute('data-fold', String(t.fold));
    else el.setAttribute('data-row', String(t.node));
    return el;
  }

  private createStub(row: number): HTMLElement {
    const t = rowTarget(row);
    if (t.fold !== undefined) return this.createRow(row);
    const el = this.createItemStub(t.node);
    el.classList.add('pv-row', 'pv-stub');
    el.setAttribute('data-row', String(t.node));
    return el;
  }

  /** The node cell's start: indentation and the twisty (or the space of one). */
  protected indentAndTwisty(depth: number, hasChildren: boolean): HTMLElement[] {
    const indent = h('span', { class: 'pv-indent' });
    indent.style.width = `${Math.min(depth, MAX_INDENT_LEVELS) * INDENT_PX}px`;
    if (depth > MAX_INDENT_LEVELS) indent.append(h('span', { class: 'pv-depth', title: `Level ${depth}` }, `${depth}`));
    const twisty = hasChildren ? button('', { class: 'pv-twisty', attrs: { 'aria-label': 'Collapse or expand', tabindex: '-1' } }) : h('span', { class: 'pv-twisty-space' });
    return [indent, twisty];
  }

  /**
   * Applies the row's state. Runs on every row on the page after each selection (all of them in the report), so it
   * writes only what changed: rewriting an attribute to the same value still makes the browser recompute styles.
   */
  private decorate(el: HTMLElement, row: number): void {
    const selected = row === this.selected;
    const set = (name: string, value: string) => {
      if (el.getAttribute(name) !== value) el.setAttribute(name, value);
    };
    if (el.classList.contains('pv-selected') !== selected) el.classList.toggle('pv-selected', selected);
    set('aria-selected', selected ? 'true' : 'false');
    if (selected) set('id', ACTIVE_ROW_ID);
    else if (el.id === ACTIVE_ROW_ID) el.removeAttribute('id');
    const match = row >= 0 && this.matchSet.has(row);
    if (el.classList.contains('pv-match') !== match) el.classList.toggle('pv-match', match);
    const flash = row === this.flash;
    if (el.classList.contains('pv-flash') !== flash) el.classList.toggle('pv-flash', flash);
    if (this.hasChildren(row)) set('aria-expanded', this.isOpen(row) ? 'true' : 'false');
  }

  // ---- state ---------------------------------------------------------------------------------------------------

  protected hasChildren(row: number): boolean {
    return row < 0 || this.items()[row]!.end > row + 1;
  }

  protected isOpen(row: number): boolean {
    return row < 0 ? this.state.expandedFolds.has(-row - 1) : !this.state.collapsed.has(row);
  }

  private parentRow(row: number): number | undefined {
    if (row < 0) {
      const p = this.folds.folds[-row - 1]!.parent;
      return p >= 0 ? p : undefined;
    }
    const fold = this.folds.memberOf[row]!;
    if (fold >= 0) return -(fold + 1);
    const p = this.items()[row]!.parent;
    return p >= 0 ? p : undefined;
  }

  protected toggle(row: number, open?: boolean): void {
    if (!this.hasChildren(row)) return;
    const want = open ?? !this.isOpen(row);
    if (want === this.isOpen(row)) return;
    if (row < 0) {
      if (want) this.state.expandedFolds.add(-row - 1);
      else this.state.expandedFolds.delete(-row - 1);
    } else if (want) this.state.collapsed.delete(row);
    else this.state.collapsed.add(row);
    this.refreshRows();
    this.list.scrollTo(row, 'nearest');
  }

  protected select(row: number | undefined, align: 'center' | 'nearest', finding?: number): void {
    if (row === undefined) return;
    this.selected = row;
    this.list.scrollTo(row, align);
    this.list.refresh();
    const fold = rowTarget(row).fold;
    this.details.replaceChildren(fold !== undefined ? this.foldDetails(this.folds.folds[fold]!) : this.itemDetails(row, finding));
    this.details.scrollTop = 0;
  }

  private rowOf(target: EventTarget | null): number | undefined {
    const el = (target as HTMLElement | null)?.closest<HTMLElement>('[data-row], [data-fold]');
    if (!el) return undefined;
    const fold = el.getAttribute('data-fold');
    return fold !== null ? -(Number(fold) + 1) : Number(el.getAttribute('data-row'));
  }

  private onClick(e: MouseEvent): void {
    const target = e.target as HTMLElement;
    const row = this.rowOf(target);
    if (row === undefined) return;
    const badge = target.closest<HTMLElement>('[data-finding]');
    if (target.closest('.pv-twisty')) this.toggle(row);
    else if (badge) this.select(row, 'nearest', Number(badge.getAttribute('data-finding')));
    else this.select(row, 'nearest');
    this.keys.focus();
  }

  // ---- toolbar ---------------------------------------------------------------------------------------------------

  private searchBar(): HTMLElement {
    const prev = button('↑', { class: 'pv-icon', title: 'Previous match (Shift+Enter)', testId: 'plan-search-prev' });
    const next = button('↓', { class: 'pv-icon', title: 'Next match (Enter)', testId: 'plan-search-next' });
    this.searchBox.addEventListener('input', () => this.search(this.searchBox.value));
    this.searchBox.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        this.step(e.shiftKey ? -1 : 1);
      } else if (e.key === 'Escape') {
        this.searchBox.value = '';
        this.search('');
        this.keys.focus();
      }
    });
    prev.addEventListener('click', () => this.step(-1));
    next.addEventListener('click', () => this.step(1));
    return h('div', { class: 'pv-searchbar' }, this.searchBox, this.matchCount, prev, next);
  }

  private treeButtons(): HTMLElement {
    const expand = button('Expand all', { class: 'pv-secondary', testId: 'plan-expand-all' });
    const collapse = button('Collapse all', { class: 'pv-secondary', testId: 'plan-collapse-all' });
    expand.addEventListener('click', () => {
      expandAll(this.state);
      this.refreshRows();
    });
    collapse.addEventListener('click', () => {
      collapseAll(this.items(), this.state);
      this.refreshRows();
      if (this.selected !== undefined && !this.rows.includes(this.selected)) this.select(this.rows[0], 'nearest');
    });
    return h('div', { class: 'pv-buttons' }, expand, collapse);
  }

  private search(query: string): void {
    this.searchCache ??= this.searchTexts();
    this.matches = searchItems(this.searchCache, query);
    this.matchSet = new Set(this.matches);
    this.matchCursor = -1;
    this.matchCount.textContent = query.trim() ? `${this.matches.length.toLocaleString('en-US')} ${this.matches.length === 1 ? 'match' : 'matches'}` : '';
    this.list.refresh();
    if (this.matches.length) this.step(1);
  }

  /** Moves to the next (or previous) match, revealing it inside collapsed nodes and folds. */
  private step(direction: 1 | -1): void {
    if (!this.matches.length) return;
    this.matchCursor = (this.matchCursor + direction + this.matches.length) % this.matches.length;
    const index = this.matches[this.matchCursor]!;
    if (reveal(this.items(), this.folds, this.state, index)) this.refreshRows();
    this.matchCount.textContent = `${this.matchCursor + 1} of ${this.matches.length.toLocaleString('en-US')}`;
    this.select(index, 'center');
  }
}
