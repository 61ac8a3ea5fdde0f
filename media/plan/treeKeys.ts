// Keyboard navigation of a plan tree, as in VS Code's own trees: Up/Down, Home/End and PageUp/PageDown move the
// selection; Right opens a row or steps into it; Left closes it or steps to its parent; Enter and Space toggle; "/"
// (or Ctrl+F) jumps to the search box. The tree keeps focus and points at the selected row (aria-activedescendant), so
// the rows themselves need no tab stops, which also suits rows that come and go as the list scrolls.

export interface TreeModel {
  rows(): readonly number[];
  selected(): number | undefined;
  select(row: number): void;
  toggle(row: number, open?: boolean): void;
  parentRow(row: number): number | undefined;
  isOpen(row: number): boolean;
  hasChildren(row: number): boolean;
  pageSize(): number;
  focusSearch(): void;
}

/** The id the selected row's element carries; the tree names it as its active descendant. */
export const ACTIVE_ROW_ID = 'pv-active-row';

export class TreeKeys {
  constructor(
    private readonly tree: HTMLElement,
    private readonly model: TreeModel,
  ) {
    tree.setAttribute('aria-activedescendant', ACTIVE_ROW_ID);
    tree.addEventListener('keydown', (e) => this.onKey(e));
  }

  focus(): void {
    this.tree.focus({ preventScroll: true });
  }

  private onKey(e: KeyboardEvent): void {
    const rows = this.model.rows();
    const current = this.model.selected();
    const at = current === undefined ? -1 : rows.indexOf(current);
    const go = (i: number) => {
      const row = rows[Math.max(0, Math.min(rows.length - 1, i))];
      if (row !== undefined) this.model.select(row);
    };
    let handled = true;
    switch (e.key) {
      case 'ArrowDown':
        go(at + 1);
        break;
      case 'ArrowUp':
        go(at - 1);
        break;
      case 'Home':
        go(0);
        break;
      case 'End':
        go(rows.length - 1);
        break;
      case 'PageDown':
        go(at + this.model.pageSize());
        break;
      case 'PageUp':
        go(at - this.model.pageSize());
        break;
      case 'ArrowRight':
        if (current === undefined) break;
        if (this.model.hasChildren(current) && !this.model.isOpen(current)) this.model.toggle(current, true);
        else if (this.model.hasChildren(current)) go(at + 1);
        break;
      case 'ArrowLeft': {
        if (current === undefined) break;
        if (this.model.hasChildren(current) && this.model.isOpen(current)) this.model.toggle(current, false);
        else {
          const parent = this.model.parentRow(current);
          if (parent !== undefined) this.model.select(parent);
        }
        break;
      }
      case 'Enter':
      case ' ':
        if (current !== undefined) this.model.toggle(current);
        break;
      case '/':
        this.model.focusSearch();
        break;
      case 'f':
        if (e.ctrlKey || e.metaKey) this.model.focusSearch();
        else handled = false;
        break;
      default:
        handled = false;
    }
    if (handled) e.preventDefault();
  }
}
