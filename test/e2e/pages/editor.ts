// The active text editor: put the cursor on a line, right-click there, read what is shown, save and undo.
import type { Locator, Page } from 'playwright-core';
import { editor, markdownPreview, webview } from './selectors';

/** The two properties of a rendered line element that are read (the test's tsconfig has no DOM lib). */
interface RenderedLine {
  style: { top: string };
  innerText: string;
}

export class Editor {
  constructor(private readonly page: Page) {}

  tab(fileName: string): Locator {
    return this.page.locator(editor.tab(fileName)).first();
  }

  async waitForTab(fileName: string): Promise<void> {
    await this.tab(fileName).waitFor();
    await this.page.locator(editor.viewLine).first().waitFor();
  }

  /** The first rendered line containing `text` (only lines in the viewport are rendered). */
  line(text: string): Locator {
    return this.page.locator(editor.viewLine, { hasText: text }).first();
  }

  /**
   * The rendered lines of every visible editor (any group), one string per line with Monaco's no-break spaces
   * turned back into spaces; lines of different editors are simply listed one after the other.
   */
  async textOfAllEditors(): Promise<string[]> {
    const lines = await this.page.locator(editor.anyViewLine).evaluateAll((nodes) => nodes.map((n) => (n as unknown as RenderedLine).innerText));
    return lines.map((l) => l.replace(/\u00a0/g, ' '));
  }

  /** The rendered text of the open Markdown preview (the built-in preview is a webview panel). */
  async markdownPreviewText(): Promise<string> {
    const frame = this.page.frameLocator(webview.outerOf(markdownPreview.extensionId)).last().frameLocator(webview.inner);
    const body = frame.locator(markdownPreview.content);
    await body.waitFor({ timeout: 30_000 });
    return (await body.innerText()).replace(/\u00a0/g, ' ');
  }

  /** Clicks the Markdown preview's "Show Source" action, which opens the Markdown text beside. */
  async openPreviewSource(): Promise<void> {
    await this.page.locator(markdownPreview.showSource).first().click();
  }

  /** Clicks a little way into the line containing `text`, which puts the cursor inside that line. */
  async clickLine(text: string): Promise<void> {
    await this.line(text).click({ position: { x: 24, y: 8 } });
  }

  /** Right-clicks inside the line containing `text`; Monaco moves the cursor there and opens the context menu. */
  async rightClickLine(text: string): Promise<void> {
    await this.line(text).click({ button: 'right', position: { x: 24, y: 8 } });
  }

  /** The rendered lines, top to bottom, with Monaco's non-breaking spaces turned back into spaces. */
  async visibleText(): Promise<string> {
    const lines = await this.page.locator(editor.viewLine).evaluateAll((nodes) =>
      nodes
        .map((n) => n as unknown as RenderedLine)
        .map((n) => ({ top: parseFloat(n.style.top || '0'), text: n.innerText }))
        .sort((a, b) => a.top - b.top)
        .map((l) => l.text),
    );
    return lines.join('\n').replace(/\u00a0/g, ' ');
  }

  async focus(): Promise<void> {
    await this.page.locator(editor.inputArea).first().focus();
  }

  /** Scrolls the active editor to the first occurrence of `text` with the Find widget (then closes it). */
  async reveal(text: string): Promise<void> {
    await this.page.locator(editor.viewLine).first().waitFor();
    await this.focus();
    await this.page.keyboard.press('Control+F');
    const find = this.page.locator(editor.findInput).first();
    await find.waitFor();
    await find.fill(text);
    await find.press('Enter');
    await find.press('Escape');
  }

  async save(): Promise<void> {
    await this.focus();
    await this.page.keyboard.press('Control+S');
    await this.page.locator(editor.dirtyTab).waitFor({ state: 'detached' });
  }

  async undo(): Promise<void> {
    await this.focus();
    await this.page.keyboard.press('Control+Z');
  }

  async isDirty(fileName: string): Promise<boolean> {
    const classes = (await this.tab(fileName).getAttribute('class')) ?? '';
    return classes.split(/\s+/).includes('dirty');
  }
}
