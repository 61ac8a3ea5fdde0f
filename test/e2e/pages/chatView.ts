// The Data Engineer chat view: a webview, so its content is reached through two frames (VS Code's outer
// iframe.webview and the inner #active-frame). Test ids follow the contract in notes/COMMON.md.
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { chat, webview } from './selectors';

export class ChatView {
  constructor(
    private readonly page: Page,
    private readonly extensionId: string,
  ) {}

  /** The chat webview's document. */
  get frame(): FrameLocator {
    // After a reload the workbench may still hold the old view's iframe, hidden, before the new one: take the shown one.
    return this.page.locator(webview.outer(this.extensionId, 'webviewView')).filter({ visible: true }).first().contentFrame().frameLocator(webview.inner);
  }

  byTestId(selector: string): Locator {
    return this.frame.locator(selector);
  }

  get messages(): Locator {
    return this.frame.locator(chat.messages);
  }

  get userMessages(): Locator {
    return this.frame.locator(chat.userMessage);
  }

  get assistantMessages(): Locator {
    return this.frame.locator(chat.assistantMessage);
  }

  lastAssistantMessage(): Locator {
    return this.assistantMessages.last();
  }

  get findings(): Locator {
    return this.frame.locator(chat.findings);
  }

  /** Findings, optionally only those of one rule id (data-rule). */
  finding(rule?: string): Locator {
    return this.frame.locator(rule ? `${chat.finding}[data-rule="${rule}"]` : chat.finding);
  }

  /** Findings of the given severities (data-severity). */
  findingsOfSeverity(...severities: string[]): Locator {
    return this.frame.locator(severities.map((s) => `${chat.finding}[data-severity="${s}"]`).join(', '));
  }

  get input(): Locator {
    return this.frame.locator(chat.input);
  }

  get sendButton(): Locator {
    return this.frame.locator(chat.send);
  }

  get stopButton(): Locator {
    return this.frame.locator(chat.stop);
  }

  get newChatButton(): Locator {
    return this.frame.locator(chat.newChat);
  }

  get personaSelect(): Locator {
    return this.frame.locator(chat.personaSelect);
  }

  get connectionSelect(): Locator {
    return this.frame.locator(chat.connectionSelect);
  }

  get error(): Locator {
    return this.frame.locator(chat.error);
  }

  get status(): Locator {
    return this.frame.locator(chat.status);
  }

  /** "Show plan" of the last assistant message. */
  showPlanButton(): Locator {
    return this.lastAssistantMessage().locator(chat.showPlan);
  }

  /** A finding id (F1, F2…) in the last assistant message's findings list, which opens the plan on its node. */
  findingLink(id: string): Locator {
    return this.lastAssistantMessage().locator(chat.findingLink, { hasText: id });
  }

  /** The clickable id (F1, F2…) of the first finding of a rule. */
  findingLinkOf(rule: string): Locator {
    return this.finding(rule).first().locator(chat.findingLink);
  }

  /** Tool steps of the last assistant message (each a details element: click its summary to expand). */
  toolSteps(): Locator {
    return this.lastAssistantMessage().locator(chat.toolStep);
  }

  toolStepPart(step: Locator, part: 'summary' | 'input' | 'result'): Locator {
    return step.locator(part === 'summary' ? 'summary' : part === 'input' ? chat.toolStepInput : chat.toolStepResult);
  }

  /** The checklist items of the last assistant message (data-status: pending, in_progress, done). */
  todos(): Locator {
    return this.lastAssistantMessage().locator(chat.todo);
  }

  /** Proposed edits of the last assistant message (data-state: proposed, applied, rejected, failed). */
  proposedEdits(): Locator {
    return this.lastAssistantMessage().locator(chat.proposedEdit);
  }

  proposedEditPart(edit: Locator, part: 'added' | 'removed' | 'apply' | 'reject' | 'state'): Locator {
    const selector = { added: chat.diffAdded, removed: chat.diffRemoved, apply: chat.applyEdit, reject: chat.rejectEdit, state: chat.proposedEditState }[part];
    return edit.locator(selector);
  }

  /** Code blocks of the last assistant message. */
  codeBlocks(): Locator {
    return this.lastAssistantMessage().locator(chat.codeBlock);
  }

  async codeText(block: Locator): Promise<string> {
    return (await block.locator(chat.codeText).first().textContent()) ?? '';
  }

  insertButton(block: Locator): Locator {
    return block.locator(chat.codeInsert);
  }

  replaceButton(block: Locator): Locator {
    return block.locator(chat.codeReplace);
  }

  verifyRewriteButton(block: Locator): Locator {
    return block.locator(chat.codeVerifyRewrite);
  }

  tryIndexButton(block: Locator): Locator {
    return block.locator(chat.codeTryIndex);
  }

  /** The proof card right under a code block (a sibling of the block in the message). */
  proofCardOf(block: Locator): Locator {
    return block.locator(`xpath=following-sibling::*[1][@data-testid="proof-card"]`);
  }

  proofPart(card: Locator, part: 'title' | 'rows' | 'cost' | 'time' | 'showDiff'): Locator {
    const selector = { title: chat.proofTitle, rows: chat.proofRows, cost: chat.proofCost, time: chat.proofTime, showDiff: chat.proofShowDiff }[part];
    return card.locator(selector);
  }

  /**
   * Starts a stopwatch inside the webview: the wall-clock time (Date.now, the same clock as the test process) of the
   * first animation frame after a finding of a NEW assistant message is in the page, i.e. when it is painted.
   * Read it with `findingsPaintedAt()`. Measured in the page, so no polling delay is added.
   */
  async armFindingsStopwatch(): Promise<void> {
    await this.messages.evaluate((root, selector) => {
      const w = window as unknown as { __dataengFindingsAt?: number; __dataengObserver?: MutationObserver };
      w.__dataengFindingsAt = undefined;
      w.__dataengObserver?.disconnect();
      const seen = new Set(Array.from(root.querySelectorAll(selector)));
      const observer = new MutationObserver(() => {
        const fresh = Array.from(root.querySelectorAll(selector)).some((el) => !seen.has(el));
        if (!fresh || w.__dataengFindingsAt !== undefined) return;
        observer.disconnect();
        requestAnimationFrame(() => (w.__dataengFindingsAt = Date.now()));
      });
      observer.observe(root, { childList: true, subtree: true });
      w.__dataengObserver = observer;
    }, chat.finding);
  }

  /** When the findings were painted (see armFindingsStopwatch), waiting for them up to `timeoutMs`. */
  async findingsPaintedAt(timeoutMs = 60_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = await this.messages.evaluate(() => (window as unknown as { __dataengFindingsAt?: number }).__dataengFindingsAt);
      if (typeof at === 'number') return at;
      if (Date.now() > deadline) throw new Error('no new findings were painted');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /**
   * Where things are drawn in the chat: every pair of status line / finding / message rectangles that overlap, and
   * whether any content is wider than the view (which would need a sideways scroll).
   */
  async layout(): Promise<{ overlaps: string[]; sidewaysOverflow: boolean; width: number; lastFindingInView: boolean }> {
    return this.messages.evaluate((messages) => {
      const doc = messages.ownerDocument;
      const status = doc.querySelector('[data-testid="status"]')!.getBoundingClientRect();
      const overlaps: string[] = [];
      const visibleBox = messages.getBoundingClientRect();
      for (const el of Array.from(doc.querySelectorAll('[data-testid="finding"], [data-testid="message-user"], [data-testid="message-assistant"]'))) {
        const r = el.getBoundingClientRect();
        // Only what is inside the scrolled messages area is drawn.
        const top = Math.max(r.top, visibleBox.top);
        const bottom = Math.min(r.bottom, visibleBox.bottom);
        if (bottom <= top) continue;
        if (status.height > 0 && top < status.bottom && bottom > status.top && r.left < status.right && r.right > status.left) {
          overlaps.push(`status over ${el.getAttribute('data-testid')}: ${(el.textContent ?? '').slice(0, 40)}`);
        }
      }
      const sideways = doc.documentElement.scrollWidth > doc.documentElement.clientWidth || messages.scrollWidth > messages.clientWidth;
      const findings = doc.querySelectorAll('[data-testid="finding"]');
      const last = findings[findings.length - 1]?.getBoundingClientRect();
      const lastFindingInView = last !== undefined && last.top >= visibleBox.top - 1 && last.bottom <= visibleBox.bottom + 1;
      return { overlaps, sidewaysOverflow: sideways, width: doc.documentElement.clientWidth, lastFindingInView };
    });
  }

  async waitReady(timeoutMs = 60_000): Promise<void> {
    try {
      await this.input.waitFor({ timeout: timeoutMs });
    } catch (err) {
      // Say what the page held, so a failure in CI explains itself.
      const frames = await Promise.all(
        this.page.frames().map(async (f) => {
          const inside = await Promise.race([
            f.evaluate(() => `${location.pathname.slice(-30)} ${document.readyState} body=${document.body?.innerHTML.length ?? -1}`),
            new Promise<string>((r) => setTimeout(() => r('no answer'), 2_000)),
          ]).catch((e: unknown) => String(e).slice(0, 80));
          return `${f.name()} ${f.url().replace(/^.*\?/, '').slice(0, 120)} [${inside}]`;
        }),
      );
      const alive = await Promise.race([
        this.page.evaluate(() => `workbench answers: ${document.readyState}, ${document.querySelectorAll('iframe').length} iframes`),
        new Promise<string>((r) => setTimeout(() => r('workbench page does not answer within 5 s'), 5_000)),
      ]).catch((e: unknown) => `workbench page: ${String(e)}`);
      const pending = (await import('../support/session')).VsCodeSession.current?.pendingRequests() ?? [];
      throw new Error(`${err instanceof Error ? err.message : String(err)}\n${alive}\npending requests:\n${pending.join('\n')}\nframes:\n${frames.join('\n')}`);
    }
  }

  /** Types a message and sends it with the Send button. */
  async send(text: string): Promise<void> {
    await this.input.fill(text);
    await this.sendButton.click();
  }

  async choosePersona(name: string): Promise<void> {
    await this.personaSelect.selectOption(name);
  }
}
