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
    return this.page.frameLocator(webview.outer(this.extensionId, 'webviewView')).first().frameLocator(webview.inner);
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

  async waitReady(): Promise<void> {
    await this.input.waitFor({ timeout: 60_000 });
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
