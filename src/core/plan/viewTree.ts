// What a plan viewer shows of its tree at a given moment: which rows are visible after collapsing and folding, runs of
// repeated siblings folded into one row, search, and revealing a node. Works on any preorder list of items that know
// their parent and subtree end, so the single-plan view and the merged diff share it. No walk recurses.

export interface TreeItem {
  parent: number;
  depth: number;
  /** Index just past the item's last descendant. */
  end: number;
}

/**
 * A run of consecutive siblings with the same shape (an Append over partitions, a UNION ALL of like branches), shown as
 * one row that can be expanded.
 */
export interface Fold {
  id: number;
  parent: number;
  depth: number;
  /** Indices of the run's members (the siblings themselves, not their descendants). */
  members: number[];
  /** The run covers the items `[start, end)`: the members and everything below them. */
  start: number;
  end: number;
}

/**
 * Siblings fold from this many in a row. Up to three like siblings (a self-join, a small UNION) read fine one by one;
 * partitioned tables produce tens to thousands, which is what folding is for.
 */
export const FOLD_MIN_RUN = 4;

/** The collapse and fold state a viewer keeps; both sets hold indices (items and folds). */
export interface TreeState {
  collapsed: Set<number>;
  expandedFolds: Set<number>;
}

export function newTreeState(): TreeState {
  return { collapsed: new Set(), expandedFolds: new Set() };
}

/** Children of every item, in order. */
export function childrenOf(items: readonly TreeItem[]): number[][] {
  const out: number[][] = items.map(() => []);
  for (let i = 1; i < items.length; i++) {
    const p = items[i]!.parent;
    if (p >= 0) out[p]!.push(i);
  }
  return out;
}

/**
 * Finds runs of at least FOLD_MIN_RUN consecutive siblings whose subtrees have the same shape: the same `key` (for
 * plans, the node type) at every position. Shapes are interned bottom-up, so comparing two subtrees is comparing two
 * numbers and the whole pass is linear in the plan's size.
 */
export function findFolds(items: readonly TreeItem[], key: (index: number) => string): Fold[] {
  const children = childrenOf(items);
  const shape = new Int32Array(items.length);
  const interned = new Map<string, number>();
  for (let i = items.length - 1; i >= 0; i--) {
    let k = key(i);
    const kids = children[i]!;
    if (kids.length) {
      const ids = new Array<number>(kids.length);
      for (let j = 0; j < kids.length; j++) ids[j] = shape[kids[j]!]!;
      k += `\u0000${ids.join(',')}`;
    }
    let id = interned.get(k);
    if (id === undefined) {
      id = interned.size;
      interned.set(k, id);
    }
    shape[i] = id;
  }
  const folds: Fold[] = [];
  for (let p = 0; p < items.length; p++) {
    const kids = children[p]!;
    if (kids.length < FOLD_MIN_RUN) continue;
    let runStart = 0;
    for (let j = 1; j <= kids.length; j++) {
      if (j < kids.length && shape[kids[j]!] === shape[kids[runStart]!]) continue;
      if (j - runStart >= FOLD_MIN_RUN) {
        const members = kids.slice(runStart, j);
        folds.push({ id: folds.length, parent: p, depth: items[p]!.depth + 1, members, start: members[0]!, end: items[members[members.length - 1]!]!.end });
      }
      runStart = j;
    }
  }
  return folds;
}

/** Fold id by its first member's index (-1 elsewhere), and by any member's index, for the walks below. */
export interface FoldIndex {
  folds: Fold[];
  startsAt: Int32Array;
  memberOf: Int32Array;
}

export function indexFolds(items: readonly TreeItem[], folds: Fold[]): FoldIndex {
  const startsAt = new Int32Array(items.length).fill(-1);
  const memberOf = new Int32Array(items.length).fill(-1);
  for (const f of folds) {
    startsAt[f.start] = f.id;
    for (const m of f.members) memberOf[m] = f.id;
  }
  return { folds, startsAt, memberOf };
}

/**
 * The rows to draw, in order: an item index (≥ 0) or a fold as `-(id + 1)`. A folded run is one row; an expanded
 * run keeps its fold row as a header above its members. A collapsed item hides its subtree.
 */
export function visibleRows(items: readonly TreeItem[], folds: FoldIndex, state: TreeState): number[] {
  const rows: number[] = [];
  let i = 0;
  while (i < items.length) {
    const f = folds.startsAt[i]!;
    if (f >= 0) {
      rows.push(-(f + 1));
      if (!state.expandedFolds.has(f)) {
        i = folds.folds[f]!.end;
        continue;
      }
    }
    rows.push(i);
    i = state.collapsed.has(i) ? items[i]!.end : i + 1;
  }
  return rows;
}

/** Decodes a row: `{node}` for an item, `{fold}` for a fold row. */
export function rowTarget(row: number): { node: number; fold?: undefined } | { fold: number; node?: undefined } {
  return row >= 0 ? { node: row } : { fold: -row - 1 };
}

/** Expands every collapsed ancestor of `index` and every fold on its path. Returns true when anything changed. */
export function reveal(items: readonly TreeItem[], folds: FoldIndex, state: TreeState, index: number): boolean {
  let changed = false;
  for (let i = index; i >= 0; i = items[i]!.parent) {
    if (i !== index && state.collapsed.delete(i)) changed = true;
    const f = folds.memberOf[i]!;
    if (f >= 0 && !state.expandedFolds.has(f)) {
      state.expandedFolds.add(f);
      changed = true;
    }
  }
  return changed;
}

/** Collapses every item that has children, except the root, so the plan reads as its top level first. */
export function collapseAll(items: readonly TreeItem[], state: TreeState): void {
  state.collapsed.clear();
  for (let i = 1; i < items.length; i++) if (items[i]!.end > i + 1) state.collapsed.add(i);
}

export function expandAll(state: TreeState): void {
  state.collapsed.clear();
}

/**
 * Items whose search text holds every word of the query (case-insensitive), in order. An empty query matches nothing,
 * so clearing the box clears the highlights.
 */
export function searchItems(texts: readonly string[], query: string): number[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [];
  const out: number[] = [];
  for (let i = 0; i < texts.length; i++) {
    const t = texts[i]!;
    if (words.every((w) => t.includes(w))) out.push(i);
  }
  return out;
}
