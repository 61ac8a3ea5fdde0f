// The VS Code workbench as a user sees it: activity bar, side bar views, command palette, quick open,
// notifications and modal dialogs. Selectors come from ./selectors only.
import type { Locator, Page } from 'playwright-core';
import { ChatView } from './chatView';
import { Editor } from './editor';
import { PlanView } from './planView';
import { contextMenu, dialog, notifications, quickInput, runningExtensions, treeView, workbench } from './selectors';

export const extensionId = 'dataeng.dataeng';
export const containerTitle = 'Data Engineer';

export class Workbench {
  readonly editor: Editor;
  readonly chat: ChatView;
  readonly planView: PlanView;

  constructor(readonly page: Page) {
    this.editor = new Editor(page);
    this.chat = new ChatView(page, extensionId);
    this.planView = new PlanView(page);
  }

  /** Waits until the workbench is laid out and the extension's contributions are registered. */
  async waitReady(): Promise<void> {
    await this.page.locator(workbench.root).waitFor({ timeout: 90_000 });
    await this.activityBarItem(containerTitle).waitFor({ timeout: 90_000 });
  }

  activityBarItem(title: string): Locator {
    return this.page.locator(workbench.activityBarItem(title)).first();
  }

  /** Opens a view container from the activity bar (does nothing when it is already open). */
  async openContainer(title: string): Promise<void> {
    const header = this.page.locator(workbench.sideBarTitle, { hasText: title });
    // Clicking the activity-bar item toggles the container. VS Code 1.139 restores an open side bar a moment after
    // the window loads, so a click meant to open it can close it instead: click again until it shows.
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await header.isVisible()) return;
      await this.activityBarItem(title).click();
      const shown = await header.waitFor({ timeout: 5_000 }).then(
        () => true,
        () => false,
      );
      if (shown) return;
    }
    await header.waitFor({ timeout: 1 });
  }

  paneHeader(title: string): Locator {
    return this.page.locator(workbench.paneHeader(`${title} Section`));
  }

  /** Expands or collapses a side-bar view by clicking its header when it is not already so. */
  async setPaneExpanded(title: string, expanded: boolean): Promise<void> {
    const header = this.paneHeader(title);
    if (((await header.getAttribute('aria-expanded')) === 'true') !== expanded) await header.click();
    await this.page.locator(`${workbench.paneHeader(`${title} Section`)}[aria-expanded="${expanded}"]`).waitFor();
  }

  /** Drags the sash between the side bar and the editor so the side bar is `width` pixels wide. */
  async resizeSideBar(width: number): Promise<void> {
    const bar = await this.page.locator(workbench.sideBar).boundingBox();
    if (!bar) throw new Error('the side bar is not shown');
    // The sash is the vertical one nearest the side bar's right edge (newer layouts leave a gap between the parts).
    const sashes = await this.page.locator(workbench.verticalSash).evaluateAll((nodes) =>
      nodes.map((n) => (n as unknown as { getBoundingClientRect(): { x: number; y: number; width: number; height: number } }).getBoundingClientRect()),
    );
    const edge = bar.x + bar.width;
    const sash = sashes
      .filter((r) => r.height > bar.height / 2 && Math.abs(r.x + r.width / 2 - edge) < 24)
      .sort((a, b) => Math.abs(a.x + a.width / 2 - edge) - Math.abs(b.x + b.width / 2 - edge))[0];
    if (!sash) throw new Error('no sash next to the side bar');
    const x = sash.x + sash.width / 2;
    const y = sash.y + sash.height / 2;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(bar.x + width, y, { steps: 8 });
    await this.page.mouse.up();
  }

  paneBody(title: string): Locator {
    return this.page.locator(workbench.paneBody(`${title} Section`));
  }

  /** The message a tree view shows instead of rows (TreeView.message or a welcome view). */
  treeMessage(viewTitle: string): Locator {
    return this.paneBody(viewTitle).locator(`${treeView.message}, ${treeView.welcome}`);
  }

  treeRows(viewTitle: string): Locator {
    return this.paneBody(viewTitle).locator(treeView.row);
  }

  /** Clicks an inline action (e.g. "Test Connection") of the tree row containing `rowText`; it shows on hover. */
  async runTreeRowAction(viewTitle: string, rowText: string, actionTitle: string): Promise<void> {
    const row = this.treeRows(viewTitle).filter({ hasText: rowText }).first();
    await row.hover();
    await row.locator(treeView.rowAction(actionTitle)).click();
  }

  /** Opens the command palette filtered to `title`; returns the matching row (not yet chosen). */
  async findCommand(title: string): Promise<Locator> {
    await this.openQuickInput('F1');
    await this.page.locator(quickInput.input).fill(`>${title}`);
    return this.page.locator(quickInput.rowNamed(title)).first();
  }

  /** Runs a command by its palette title, e.g. "Data Engineer: Review Schema". */
  async runCommand(title: string): Promise<void> {
    const row = await this.findCommand(title);
    await row.waitFor();
    await row.click();
  }

  async closeQuickInput(): Promise<void> {
    if (await this.page.locator(quickInput.widget).isVisible()) await this.page.keyboard.press('Escape');
    await this.page.locator(quickInput.widget).waitFor({ state: 'hidden' });
  }

  /** Opens a workspace file through Quick Open and waits for its editor tab. */
  async openFile(fileName: string): Promise<void> {
    await this.openQuickInput('Control+P');
    await this.page.locator(quickInput.input).fill(fileName);
    const row = this.page.locator(quickInput.rowNamed(fileName)).first();
    await row.waitFor();
    await row.click();
    await this.editor.waitForTab(fileName);
  }

  /** The quick input shown by an extension (showQuickPick / showInputBox). */
  quickInput(): QuickInput {
    return new QuickInput(this.page);
  }

  /**
   * Until `done` is visible, answers any quick pick the extension shows by choosing the first row whose label
   * starts with one of `choices` (e.g. "which connection?" when none is active). Fails after `timeoutMs`.
   */
  async answerPicksUntil(done: Locator, choices: string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const widget = this.page.locator(quickInput.widget);
    while (Date.now() < deadline) {
      if (await done.first().isVisible().catch(() => false)) return;
      if (await widget.isVisible()) {
        for (const choice of choices) {
          const row = this.page.locator(quickInput.rowNamed(choice)).first();
          if (await row.isVisible()) {
            await row.click();
            break;
          }
        }
      }
      await this.page.waitForTimeout(250);
    }
    await done.first().waitFor({ timeout: 1 });
  }

  /** Drags the sash at the side bar's right edge until the side bar is `width` pixels wide. */
  async setSideBarWidth(width: number): Promise<void> {
    const bar = this.page.locator(workbench.sideBar);
    const box = await bar.boundingBox();
    if (!box) throw new Error('the side bar is not visible');
    const y = box.y + box.height / 2;
    // The sash is the vertical one nearest the side bar's right edge: on the side bar's last pixel in VS Code 1.100,
    // a few pixels to the right of it in the newer workbench, whose parts are cards with gaps between them.
    const edge = box.x + box.width;
    const sashes = await this.page.locator('.monaco-sash.vertical').evaluateAll((els) =>
      els.map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0 && r.height > 0).map((r) => ({ x: r.x + r.width / 2, top: r.y, bottom: r.y + r.height })),
    );
    const sash = sashes.filter((r) => r.top <= y && y <= r.bottom).sort((a, b) => Math.abs(a.x - edge) - Math.abs(b.x - edge))[0];
    const grab = sash && Math.abs(sash.x - edge) < 12 ? sash.x : edge - 1;
    await this.page.mouse.move(grab, y);
    await this.page.mouse.down();
    await this.page.mouse.move(grab + width - box.width, y, { steps: 8 });
    await this.page.mouse.up();
    const now = await bar.boundingBox();
    if (!now || Math.abs(now.width - width) > 4) throw new Error(`the side bar is ${now?.width} px wide, not ${width} px`);
  }

  /** The error and warning counts of the Problems item in the status bar. */
  async problemCounts(): Promise<{ errors: number; warnings: number }> {
    const label = (await this.page.locator(workbench.problemsStatus).first().getAttribute('aria-label')) ?? '';
    // VS Code writes "Errors: 1, Warnings: 0" (or "1 Errors, 0 Warnings" in other versions).
    const count = (word: string) => Number(new RegExp(`${word}s?:\\s*(\\d+)|(\\d+)\\s+${word}`, 'i').exec(label)?.slice(1).find(Boolean) ?? 0);
    return { errors: count('Error'), warnings: count('Warning') };
  }

  contextMenu(): ContextMenu {
    return new ContextMenu(this.page);
  }

  dialog(): Dialog {
    return new Dialog(this.page);
  }

  /** The message of a notification toast that matches `text`. */
  notification(text: string | RegExp): Locator {
    return this.page.locator(notifications.message, { hasText: text }).first();
  }

  /** The "Source: …" line of the toast whose message matches `text`: the name of the extension that showed it. */
  notificationSource(text: string | RegExp): Locator {
    return this.page.locator(notifications.toast, { has: this.page.locator(notifications.toastMessage, { hasText: text }) }).locator(notifications.toastSource).first();
  }

  /**
   * The activation time text ("Activation: N ms") of an extension in the Running Extensions editor, which must be
   * open ("Developer: Show Running Extensions"). Waits until the extension has activated.
   */
  async runningExtensionActivation(displayName: string): Promise<string> {
    const time = this.page.locator(runningExtensions.row(displayName)).locator(runningExtensions.activationTime);
    await time.filter({ hasText: /\d+\s*ms/ }).waitFor({ timeout: 60_000 });
    return (await time.textContent()) ?? '';
  }

  /** Puts text on the clipboard as another application would, so that Ctrl+V pastes it into the workbench. */
  async setClipboard(text: string): Promise<void> {
    await this.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(this.page.url()).origin });
    await this.page.bringToFront();
    await this.page.evaluate((t) => (globalThis as unknown as { navigator: { clipboard: { writeText(x: string): Promise<void> } } }).navigator.clipboard.writeText(t), text);
  }

  statusBarItem(text: string | RegExp): Locator {
    return this.page.locator(workbench.statusBarItem, { hasText: text });
  }

  private async openQuickInput(key: string): Promise<void> {
    await this.closeQuickInput();
    // Focus the workbench first: a key press while a webview has focus goes to the webview.
    await this.page.locator(workbench.root).focus().catch(() => undefined);
    await this.page.keyboard.press(key);
    await this.page.locator(quickInput.input).waitFor();
  }
}

export class QuickInput {
  constructor(private readonly page: Page) {}

  get widget(): Locator {
    return this.page.locator(quickInput.widget);
  }

  row(label: string): Locator {
    return this.page.locator(quickInput.rowNamed(label)).first();
  }

  async waitOpen(): Promise<void> {
    await this.page.locator(quickInput.input).waitFor();
  }

  async pick(label: string): Promise<void> {
    await this.row(label).click();
  }

  async type(text: string): Promise<void> {
    await this.page.locator(quickInput.input).fill(text);
  }

  async accept(): Promise<void> {
    await this.page.locator(quickInput.input).press('Enter');
  }
}

export class ContextMenu {
  constructor(private readonly page: Page) {}

  item(label: string): Locator {
    return this.page.locator(contextMenu.item, { hasText: new RegExp(`^${escapeRegExp(label)}$`) }).first();
  }

  /** Clicks the item; resolves with the wall-clock time of the click that ran it (the menu closed after it). */
  async choose(label: string): Promise<number> {
    await this.item(label).waitFor();
    const menu = this.page.locator(contextMenu.menu).first();
    // A menu ignores a click that arrives while it is still settling under the pointer (seen on a second right-click
    // in quick succession, and on VS Code 1.139's first click in a fresh window): the item is highlighted but nothing runs. Only then is the click repeated; a click that
    // ran an item closes the menu, so an item never runs twice.
    let clicked = 0;
    for (let attempt = 0; attempt < 3; attempt++) {
      await this.item(label).hover();
      clicked = Date.now();
      await this.item(label).click();
      if (await menu.waitFor({ state: 'hidden', timeout: 3_000 }).then(() => true, () => false)) return clicked;
    }
    await menu.waitFor({ state: 'hidden' });
    return clicked;
  }
}

export class Dialog {
  constructor(private readonly page: Page) {}

  get box(): Locator {
    return this.page.locator(dialog.box);
  }

  get message(): Locator {
    return this.page.locator(dialog.message);
  }

  get detail(): Locator {
    return this.page.locator(dialog.detail);
  }

  button(label: string | RegExp): Locator {
    return this.page.locator(dialog.button, { hasText: label }).first();
  }

  async choose(label: string | RegExp): Promise<void> {
    await this.button(label).click();
    await this.box.waitFor({ state: 'hidden' });
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
