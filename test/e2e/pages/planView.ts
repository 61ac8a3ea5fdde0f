// The plan view: a webview panel (an editor tab) reached through VS Code's two frames, like the chat. Selectors come
// from ./selectors only.
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { planView, webview } from './selectors';

export class PlanView {
  constructor(private readonly page: Page) {}

  /** The plan view's document: the newest editor-tab webview (the tests keep one plan view open at a time). */
  get frame(): FrameLocator {
    return this.page.frameLocator(webview.panel).last().frameLocator(webview.inner);
  }

  get title(): Locator {
    return this.frame.locator(planView.title);
  }

  get summary(): Locator {
    return this.frame.locator(planView.summary);
  }

  get tree(): Locator {
    return this.frame.locator(planView.tree);
  }

  get nodeRows(): Locator {
    return this.frame.locator(planView.nodeRows);
  }

  node(id: string): Locator {
    return this.frame.locator(planView.node(id));
  }

  get selectedRow(): Locator {
    return this.frame.locator(planView.selectedRow);
  }

  async selectedNodeId(): Promise<string | null> {
    return this.selectedRow.getAttribute('data-node-id');
  }

  badge(rule: string): Locator {
    return this.frame.locator(planView.badge(rule));
  }

  get badges(): Locator {
    return this.frame.locator(planView.anyBadge);
  }

  get search(): Locator {
    return this.frame.locator(planView.search);
  }

  get matchCount(): Locator {
    return this.frame.locator(planView.matchCount);
  }

  get details(): Locator {
    return this.frame.locator(planView.details);
  }

  get activeFinding(): Locator {
    return this.frame.locator(planView.activeFinding);
  }

  get diffTotals(): Locator {
    return this.frame.locator(planView.diffTotals);
  }

  diffTotal(label: string): Locator {
    return this.frame.locator(planView.diffTotal(label));
  }

  diffRows(status: 'matched' | 'replaced' | 'added' | 'removed'): Locator {
    return this.frame.locator(planView.diffRows(status));
  }

  /** A finding's badge inside one row. */
  badgeIn(row: Locator, rule: string): Locator {
    return row.locator(planView.badge(rule));
  }

  headOf(row: Locator): Locator {
    return row.locator(planView.head);
  }

  /** Waits until a plan (or a comparison) is drawn. */
  async waitReady(timeout = 60_000): Promise<void> {
    await this.title.waitFor({ timeout });
  }

  /** Gives the tree keyboard focus, then presses keys as a user would. */
  async press(...keys: string[]): Promise<void> {
    await this.tree.focus();
    for (const key of keys) await this.page.keyboard.press(key);
  }
}
