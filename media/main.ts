// The chat webview: renders host notifications (src/protocol/messages.ts) and sends the user's actions back.
// No inline handlers (the CSP forbids them); one delegated click listener; model text only through render.ts.
import type { FindingView } from '../src/core/findingsFormat';
import type { ConversationEntry, HostToWebview, PickerState } from '../src/protocol/messages';
import { newRequestId } from '../src/protocol/messages';
import { agentEl, setTodos, upsertEdit, upsertStep } from './agentSteps';
import { linkFindings, nodeOfFinding, showPlanButton } from './planLinks';
import { attachProofCards, clearProofCards, setProofCard } from './proofCard';
import { codeOf, renderMessage } from './render';
import { stableSplit } from './streamSplit';
import { vscodeApi, type PersistedState } from './vscodeApi';

const api = vscodeApi();
const $ = <T extends HTMLElement>(testId: string): T => document.querySelector<T>(`[data-testid="${testId}"]`)!;

const messagesEl = $<HTMLDivElement>('messages');
const inputEl = $<HTMLTextAreaElement>('input');
const sendEl = $<HTMLButtonElement>('send');
const stopEl = $<HTMLButtonElement>('stop');
const statusEl = $<HTMLDivElement>('status');
const personaEl = $<HTMLSelectElement>('persona-select');
const connectionEl = $<HTMLSelectElement>('connection-select');

let conversation: ConversationEntry[] = [];
let activeRequest: string | null = null;
interface Streaming {
  entry: ConversationEntry;
  el: HTMLElement;
  body: HTMLElement;
  scheduled: boolean;
  /** Length of the text already rendered into frozen blocks that are never re-rendered while streaming. */
  frozen: number;
}
const pending = new Map<string, Streaming>();

function persist(): void {
  const state: PersistedState = { conversation, draft: inputEl.value };
  api.setState(state);
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, testId?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (testId) e.setAttribute('data-testid', testId);
  return e;
}

function findingsEl(findings: FindingView[]): HTMLElement {
  const list = el('ul', 'findings', 'findings');
  for (const f of findings) {
    const li = el('li', `finding severity-${f.severity}`, 'finding');
    li.setAttribute('data-rule', f.rule);
    li.setAttribute('data-severity', f.severity);
    const id = el('span', 'finding-id');
    id.textContent = f.id;
    const text = el('span', 'finding-text');
    text.textContent = `${f.message}${f.where ? ` (${f.where})` : ''}`;
    li.title = f.rule;
    li.append(id, text);
    list.append(li);
  }
  return list;
}

function errorEl(entry: ConversationEntry): HTMLElement {
  const box = el('div', `error kind-${entry.error!.kind}`, 'error');
  const text = el('span', '');
  text.textContent = entry.error!.message;
  box.append(text);
  if (entry.error!.kind === 'noKey' || entry.error!.kind === 'auth') {
    const b = el('button', 'set-api-key', 'set-api-key');
    b.type = 'button';
    b.dataset['action'] = 'setApiKey';
    b.textContent = 'Set API key';
    box.append(b);
  }
  return box;
}

function renderEntry(entry: ConversationEntry): HTMLElement {
  const wrap = el('div', `message ${entry.role}`, entry.role === 'user' ? 'message-user' : 'message-assistant');
  wrap.dataset['requestId'] = entry.requestId;
  if (entry.role === 'user') {
    const body = el('div', 'body');
    body.textContent = entry.text;
    wrap.append(body);
    // A long question (a whole statement from the editor) would fill a narrow sidebar: show its start, expandable.
    if (entry.text.split('\n').length > clampLines || entry.text.length > clampChars) {
      body.classList.add('clamped');
      const toggle = el('button', 'link-button', 'expand');
      toggle.type = 'button';
      toggle.dataset['action'] = 'toggleClamp';
      toggle.textContent = 'Show more';
      wrap.append(toggle);
    }
    return wrap;
  }
  if (entry.findings?.length) wrap.append(findingsEl(entry.findings));
  wrap.append(agentEl(entry));
  const body = el('div', 'body markdown');
  renderMessage(body, entry.text, { canReplace: entry.canReplace === true });
  wrap.append(body);
  if (entry.hasPlan) {
    wrap.append(showPlanButton());
    linkFindings(wrap, entry.findings);
  }
  attachProofCards(wrap, entry.requestId);
  if (entry.incomplete) wrap.classList.add('incomplete');
  if (entry.error && entry.error.kind !== 'cancelled') wrap.append(errorEl(entry));
  else if (entry.incomplete) {
    const note = el('div', 'note');
    note.textContent = 'Stopped: the answer is incomplete.';
    wrap.append(note);
  }
  return wrap;
}

function renderAll(): void {
  messagesEl.replaceChildren(...conversation.map(renderEntry));
  for (const [id, p] of pending) {
    const fresh = messagesEl.querySelector<HTMLElement>(`[data-testid="message-assistant"][data-request-id="${id}"]`);
    if (fresh) {
      p.el = fresh;
      p.body = fresh.querySelector<HTMLElement>('.body')!;
    }
  }
  scrollToEnd();
}

/** User messages longer than this are shown clamped, with a Show more button. */
const clampLines = 6;
const clampChars = 400;

function scrollToEnd(): void {
  messagesEl.scrollTop = messagesEl.scrollHeight;
}

/** Whether the view shows the end of the conversation (so new content should keep it there). */
function atEnd(): boolean {
  return messagesEl.scrollHeight - messagesEl.scrollTop - messagesEl.clientHeight < 48;
}

function setBusy(requestId: string | null): void {
  activeRequest = requestId;
  stopEl.hidden = requestId === null;
  sendEl.disabled = requestId !== null;
  if (!requestId) statusEl.textContent = '';
}

function setPickers(p: PickerState): void {
  personaEl.replaceChildren(
    ...p.personas.map((x) => {
      const o = document.createElement('option');
      o.value = x.name;
      o.textContent = x.name;
      o.title = x.description;
      o.selected = x.name === p.persona;
      return o;
    }),
  );
  const none = document.createElement('option');
  none.value = '';
  none.textContent = 'No connection';
  connectionEl.replaceChildren(
    none,
    ...p.connections.map((c) => {
      const o = document.createElement('option');
      o.value = c.name;
      o.textContent = `${c.name} (${c.driver})`;
      return o;
    }),
  );
  connectionEl.value = p.connection ?? '';
  document.body.classList.toggle('no-key', !p.hasKey);
}

/**
 * The streaming message is re-rendered at most once per animation frame, however fast deltas arrive, and only its
 * tail: complete blocks are rendered once into frozen chunks (see streamSplit.ts).
 */
function schedule(requestId: string): void {
  const p = pending.get(requestId);
  if (!p || p.scheduled) return;
  p.scheduled = true;
  requestAnimationFrame(() => {
    p.scheduled = false;
    renderStreaming(p);
    scrollToEnd();
  });
}

function renderStreaming(p: Streaming): void {
  const options = { canReplace: p.entry.canReplace === true };
  let live = p.body.lastElementChild as HTMLElement | null;
  if (!live?.classList.contains('live')) {
    p.body.replaceChildren();
    p.frozen = 0;
    live = el('div', 'live');
    p.body.append(live);
  }
  const text = p.entry.text;
  const split = stableSplit(text, p.frozen);
  if (split > p.frozen) {
    const chunk = el('div', 'chunk');
    renderMessage(chunk, text.slice(p.frozen, split), options);
    live.before(chunk);
    p.frozen = split;
  }
  renderMessage(live, text.slice(p.frozen), options);
}

function startAssistant(requestId: string, canReplace: boolean): void {
  const entry: ConversationEntry = { requestId, role: 'assistant', text: '', canReplace };
  conversation.push(entry);
  const node = renderEntry(entry);
  messagesEl.append(node);
  pending.set(requestId, { entry, el: node, body: node.querySelector<HTMLElement>('.body')!, scheduled: false, frozen: 0 });
  setBusy(requestId);
}

/** After a reload mid-answer: keep appending to the partial answers the host is still streaming. */
function resume(requestIds: string[]): void {
  for (const requestId of requestIds) {
    const entry = conversation.find((e) => e.requestId === requestId && e.role === 'assistant');
    const node = messagesEl.querySelector<HTMLElement>(`[data-testid="message-assistant"][data-request-id="${CSS.escape(requestId)}"]`);
    if (!entry || !node) continue;
    pending.set(requestId, { entry, el: node, body: node.querySelector<HTMLElement>('.body')!, scheduled: false, frozen: 0 });
    setBusy(requestId);
  }
}

function finish(requestId: string, update: (e: ConversationEntry) => void): void {
  const p = pending.get(requestId);
  if (!p) return;
  update(p.entry);
  pending.delete(requestId);
  p.el.replaceWith(renderEntry(p.entry));
  if (activeRequest === requestId) setBusy(null);
  scrollToEnd();
  persist();
}

function onHostMessage(m: HostToWebview): void {
  switch (m.type) {
    case 'init':
      conversation = m.conversation;
      pending.clear();
      setPickers(m.pickers);
      renderAll();
      setBusy(null);
      resume(m.streaming);
      persist();
      break;
    case 'pickers':
      setPickers(m.pickers);
      break;
    case 'turnStart': {
      if (!conversation.some((e) => e.requestId === m.requestId && e.role === 'user')) {
        const user: ConversationEntry = { requestId: m.requestId, role: 'user', text: m.userText };
        conversation.push(user);
        messagesEl.append(renderEntry(user));
      }
      startAssistant(m.requestId, m.canReplace);
      persist();
      break;
    }
    case 'status':
      if (m.requestId === activeRequest) {
        statusEl.textContent = m.text;
        statusEl.title = m.text;
      }
      break;
    case 'findings': {
      const p = pending.get(m.requestId);
      if (!p) break;
      const follow = atEnd() || p.el === messagesEl.lastElementChild;
      p.entry.findings = m.findings;
      p.el.querySelector('[data-testid="findings"]')?.remove();
      if (m.findings.length) p.el.prepend(findingsEl(m.findings));
      // The findings are what the user waits for: bring them into view (unless they scrolled up to read something).
      if (follow) scrollToEnd();
      if (p.entry.hasPlan) linkFindings(p.el, m.findings);
      break;
    }
    case 'planReady': {
      const p = pending.get(m.requestId);
      if (!p || p.entry.hasPlan) break;
      p.entry.hasPlan = true;
      p.el.append(showPlanButton());
      persist();
      break;
    }
    case 'delta': {
      const p = pending.get(m.requestId);
      if (!p) break;
      p.entry.text += m.text;
      schedule(m.requestId);
      break;
    }
    case 'done':
      finish(m.requestId, (e) => (e.incomplete = m.incomplete || undefined));
      break;
    case 'error':
      finish(m.requestId, (e) => {
        e.error = { kind: m.kind, message: m.message };
        if (e.text) e.incomplete = true;
      });
      break;
    case 'noKey':
      finish(m.requestId, (e) => {
        e.error = { kind: 'noKey', message: 'No Anthropic API key is set: the findings above come from the plan analysis alone. Set a key to get the explanation.' };
      });
      break;
    case 'proofCard':
      setProofCard(messagesEl, m);
      break;
    case 'toolStep':
    case 'todos':
    case 'proposedEdit': {
      const target = answerOf(m.requestId);
      if (!target) break;
      if (m.type === 'toolStep') upsertStep(target.el, target.entry, m.step);
      else if (m.type === 'todos') setTodos(target.el, target.entry, m.items);
      else upsertEdit(target.el, target.entry, m.edit);
      persist();
      break;
    }
    case 'cleared':
      clearProofCards();
      conversation = [];
      pending.clear();
      renderAll();
      setBusy(null);
      persist();
      break;
  }
}

/** The answer to `requestId` and its element: streaming, or already finished (an edit applied after the answer). */
function answerOf(requestId: string): { entry: ConversationEntry; el: HTMLElement } | undefined {
  const p = pending.get(requestId);
  if (p) return { entry: p.entry, el: p.el };
  const entry = conversation.find((e) => e.requestId === requestId && e.role === 'assistant');
  const node = messagesEl.querySelector<HTMLElement>(`[data-testid="message-assistant"][data-request-id="${CSS.escape(requestId)}"]`);
  return entry && node ? { entry, el: node } : undefined;
}

function send(): void {
  const text = inputEl.value.trim();
  if (!text || activeRequest) return;
  const requestId = newRequestId('w');
  const user: ConversationEntry = { requestId, role: 'user', text };
  conversation.push(user);
  messagesEl.append(renderEntry(user));
  inputEl.value = '';
  persist();
  api.postMessage({ type: 'send', requestId, text });
}

function onClick(event: MouseEvent): void {
  const target = event.target as HTMLElement | null;
  const link = target?.closest('a');
  if (link) {
    event.preventDefault();
    const href = link.getAttribute('href');
    if (href) api.postMessage({ type: 'openLink', href });
    return;
  }
  const findingLink = target?.closest<HTMLElement>('[data-finding-link]');
  if (findingLink) return showPlan(findingLink);
  const actionEl = target?.closest<HTMLElement>('[data-action]');
  const action = actionEl?.dataset['action'];
  if (!actionEl || !action) return;
  if (action === 'setApiKey') return api.postMessage({ type: 'setApiKey' });
  if (action === 'toggleClamp') {
    const body = actionEl.parentElement?.querySelector('.body');
    const clamped = body?.classList.toggle('clamped') ?? false;
    actionEl.textContent = clamped ? 'Show more' : 'Show less';
    return;
  }
  if (action === 'showPlan') return showPlan(actionEl);
  if (action === 'applyEdit' || action === 'rejectEdit') {
    const editId = actionEl.dataset['editId'];
    const owner = actionEl.closest<HTMLElement>('[data-request-id]')?.dataset['requestId'];
    if (editId && owner) api.postMessage({ type: action, requestId: owner, editId });
    return;
  }
  if (action === 'showProofDiff') {
    const cardId = actionEl.dataset['cardId'];
    if (cardId) api.postMessage({ type: 'showProofDiff', cardId });
    return;
  }
  const block = actionEl.closest('[data-testid="code-block"]');
  const requestId = actionEl.closest<HTMLElement>('[data-request-id]')?.dataset['requestId'];
  if (!block) return;
  const text = codeOf(block);
  if (action === 'copy') api.postMessage({ type: 'copyCode', text });
  else if (action === 'insert' && requestId) api.postMessage({ type: 'insertCode', requestId, text });
  else if (action === 'replace' && requestId) api.postMessage({ type: 'replaceStatement', requestId, text });
  else if ((action === 'verifyRewrite' || action === 'tryIndex') && requestId) api.postMessage({ type: 'proof', requestId, action, text });
}

/** Asks the host to open a turn's plan; from a finding id, on that finding's node. */
function showPlan(from: HTMLElement): void {
  const requestId = from.closest<HTMLElement>('[data-request-id]')?.dataset['requestId'];
  if (!requestId) return;
  const findingId = from.getAttribute('data-finding-link');
  const entry = conversation.find((e) => e.requestId === requestId && e.role === 'assistant');
  const nodeId = findingId ? nodeOfFinding(entry?.findings, findingId) : undefined;
  api.postMessage({ type: 'showPlan', requestId, ...(nodeId ? { nodeId } : {}) });
}

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const m = event.data;
  if (m && typeof m === 'object' && typeof m.type === 'string') onHostMessage(m);
});
document.addEventListener('click', onClick);
sendEl.addEventListener('click', send);
stopEl.addEventListener('click', () => {
  if (activeRequest) api.postMessage({ type: 'cancel', requestId: activeRequest });
});
$('new-chat').addEventListener('click', () => api.postMessage({ type: 'newChat' }));
personaEl.addEventListener('change', () => api.postMessage({ type: 'selectPersona', name: personaEl.value }));
connectionEl.addEventListener('change', () => api.postMessage({ type: 'selectConnection', name: connectionEl.value || null }));
inputEl.addEventListener('keydown', (e) => {
  // Enter sends; Shift+Enter (and IME composition) inserts a newline.
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    send();
  }
});
inputEl.addEventListener('input', () => persist());

const saved = api.getState();
if (saved) {
  conversation = saved.conversation ?? [];
  inputEl.value = saved.draft ?? '';
  renderAll();
}
setBusy(null);
api.postMessage({ type: 'ready' });
