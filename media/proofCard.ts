// Proof cards in the chat: the result of Verify rewrite / Try index, placed under the code block it is about. Built
// from the host's view model (src/core/proof/card.ts) with textContent only — the card never renders Markdown or HTML —
// and kept per message, so a re-rendered message gets its cards back.
import type { ProofCard } from '../src/core/proof/card';
import type { Cell } from '../src/core/proof/compare';
import { codeOf } from './render';

interface Placed {
  requestId: string;
  code: string;
  card: ProofCard;
}

/** The latest card per message and code block. */
const cards = new Map<string, Placed>();

const keyOf = (requestId: string, code: string): string => `${requestId}\u0000${code.trim()}`;

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, cls: string, text?: string, testId?: string): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  if (testId) e.setAttribute('data-testid', testId);
  return e;
}

function samplesTable(doc: Document, title: string, rows: Cell[][]): HTMLElement {
  const wrap = el(doc, 'div', 'proof-sample');
  wrap.append(el(doc, 'div', 'proof-sample-title', title));
  const table = el(doc, 'table', '');
  for (const row of rows) {
    const tr = el(doc, 'tr', '');
    for (const cell of row) tr.append(el(doc, 'td', cell === null ? 'null' : '', cell ?? 'NULL'));
    table.append(tr);
  }
  wrap.append(table);
  return wrap;
}

/** One card as DOM. */
export function renderProofCard(card: ProofCard, doc: Document = document): HTMLElement {
  const box = el(doc, 'div', `proof-card tone-${card.tone} state-${card.state}`, undefined, 'proof-card');
  box.dataset['cardId'] = card.id;
  box.dataset['kind'] = card.kind;
  box.dataset['state'] = card.state;
  box.append(el(doc, 'div', 'proof-title', card.title, 'proof-title'));
  if (card.rows) box.append(el(doc, 'div', 'proof-line', card.rows, 'proof-rows'));
  if (card.cost) box.append(el(doc, 'div', 'proof-line', card.cost, 'proof-cost'));
  if (card.time) box.append(el(doc, 'div', 'proof-line', card.time, 'proof-time'));
  if (card.method) box.append(el(doc, 'div', 'proof-method', `measured with ${card.method}`));
  if (card.notes.length) {
    const notes = el(doc, 'ul', 'proof-notes', undefined, 'proof-notes');
    for (const n of card.notes) notes.append(el(doc, 'li', '', n));
    box.append(notes);
  }
  if (card.samples) {
    const details = el(doc, 'details', 'proof-samples', undefined, 'proof-samples');
    details.append(el(doc, 'summary', '', 'Sample rows (shown here only; not sent to the model)'));
    if (card.samples.onlyInOriginal.length) details.append(samplesTable(doc, 'Only in the original', card.samples.onlyInOriginal));
    if (card.samples.onlyInRewrite.length) details.append(samplesTable(doc, 'Only in the rewrite', card.samples.onlyInRewrite));
    box.append(details);
  }
  if (card.canShowDiff) {
    const b = el(doc, 'button', 'code-action', 'Show diff', 'proof-show-diff');
    b.type = 'button';
    b.dataset['action'] = 'showProofDiff';
    b.dataset['cardId'] = card.id;
    box.append(b);
  }
  return box;
}

/** Puts a card under its code block in a message element (replacing the block's previous card). */
function place(messageEl: HTMLElement, p: Placed): void {
  const key = keyOf(p.requestId, p.code);
  for (const old of Array.from(messageEl.querySelectorAll<HTMLElement>('[data-testid="proof-card"]'))) if (old.dataset['proofKey'] === key) old.remove();
  const card = renderProofCard(p.card, messageEl.ownerDocument);
  card.dataset['proofKey'] = key;
  const block = Array.from(messageEl.querySelectorAll('[data-testid="code-block"]')).find((b) => codeOf(b).trim() === p.code.trim());
  if (block) block.after(card);
  else messageEl.append(card);
}

/** A card arrived from the host: remember it and show it under its block, if the message is on screen. */
export function setProofCard(messages: HTMLElement, p: Placed): void {
  cards.set(keyOf(p.requestId, p.code), p);
  const messageEl = messages.querySelector<HTMLElement>(`[data-testid="message-assistant"][data-request-id="${CSS.escape(p.requestId)}"]`);
  if (messageEl) place(messageEl, p);
}

/** A message was (re-)rendered: give it back its cards. */
export function attachProofCards(messageEl: HTMLElement, requestId: string): void {
  for (const p of cards.values()) if (p.requestId === requestId) place(messageEl, p);
}

export function clearProofCards(): void {
  cards.clear();
}
