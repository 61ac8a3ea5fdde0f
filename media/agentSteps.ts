// The agent loop in an answer: each tool call a compact step that expands to its input and result, the todo_write
// checklist (updated in place), and proposed edits as diffs with Apply / Reject. Model and database text is only ever
// set as textContent: none of it is parsed as HTML.
import { diffLines } from '../src/core/tools/editDiff';
import type { TodoItem } from '../src/core/tools/types';
import type { ConversationEntry, ProposedEditView, ToolStepView } from '../src/protocol/messages';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, testId?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (testId) e.setAttribute('data-testid', testId);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** The pretty-printed input when it is JSON (it always is from the loop), else as sent. */
function prettyInput(input: string): string {
  try {
    return JSON.stringify(JSON.parse(input), null, 2);
  } catch {
    return input;
  }
}

function stepEl(step: ToolStepView): HTMLElement {
  const details = el('details', `tool-step${step.running ? ' running' : ''}${step.isError ? ' is-error' : ''}`, 'tool-step');
  details.dataset['stepId'] = step.id;
  details.dataset['tool'] = step.name;
  const summary = el('summary', '', 'tool-step-summary', step.running ? `${step.summary}…` : step.summary);
  details.append(summary, el('div', 'tool-step-label', undefined, 'Input'), el('pre', 'tool-step-input', 'tool-step-input', prettyInput(step.input)));
  if (step.result !== undefined) {
    details.append(el('div', 'tool-step-label', undefined, step.isError ? 'Error' : 'Result'), el('pre', 'tool-step-result', 'tool-step-result', step.result));
  }
  return details;
}

function todosEl(items: readonly TodoItem[]): HTMLElement {
  const list = el('ul', 'todos', 'todos');
  const mark = { pending: '○', in_progress: '◐', done: '●' } as const;
  for (const item of items) {
    const li = el('li', `todo status-${item.status}`, 'todo');
    li.dataset['status'] = item.status;
    li.append(el('span', 'todo-mark', undefined, mark[item.status]), el('span', 'todo-text', undefined, item.text));
    list.append(li);
  }
  return list;
}

function editEl(edit: ProposedEditView): HTMLElement {
  const box = el('div', `proposed-edit state-${edit.state}`, 'proposed-edit');
  box.dataset['editId'] = edit.id;
  box.dataset['state'] = edit.state;
  box.append(el('div', 'proposed-edit-path', 'proposed-edit-path', edit.path));
  const diff = el('pre', 'diff', 'diff');
  for (const line of diffLines(edit.oldText, edit.newText)) {
    const sign = line.kind === 'added' ? '+' : line.kind === 'removed' ? '-' : ' ';
    diff.append(el('span', `diff-line diff-${line.kind}`, `diff-${line.kind}`, `${sign}${line.text}`));
  }
  box.append(diff);
  const actions = el('div', 'proposed-edit-actions');
  if (edit.state === 'proposed') {
    for (const [action, label] of [['applyEdit', 'Apply'], ['rejectEdit', 'Reject']] as const) {
      const b = el('button', action === 'applyEdit' ? 'primary' : 'secondary', action === 'applyEdit' ? 'apply-edit' : 'reject-edit', label);
      b.type = 'button';
      b.dataset['action'] = action;
      b.dataset['editId'] = edit.id;
      actions.append(b);
    }
  } else {
    const words = { applied: 'Applied (undo with Edit › Undo in the file).', rejected: 'Rejected.', failed: 'Not applied' } as const;
    actions.append(el('span', 'proposed-edit-state', 'proposed-edit-state', edit.state === 'failed' && edit.note ? `${words.failed}: ${edit.note}` : words[edit.state]));
  }
  box.append(actions);
  return box;
}

/** The agent part of an assistant message: steps, checklist, edits (empty when the answer used no tools). */
export function agentEl(entry: ConversationEntry): HTMLElement {
  const box = el('div', 'agent', 'agent');
  const steps = el('div', 'tool-steps', 'tool-steps');
  for (const s of entry.steps ?? []) steps.append(stepEl(s));
  box.append(steps);
  if (entry.todos?.length) box.append(todosEl(entry.todos));
  const edits = el('div', 'proposed-edits', 'proposed-edits');
  for (const e of entry.edits ?? []) edits.append(editEl(e));
  box.append(edits);
  box.hidden = !entry.steps?.length && !entry.todos?.length && !entry.edits?.length;
  return box;
}

function agentOf(message: HTMLElement, entry: ConversationEntry): HTMLElement {
  let box = message.querySelector<HTMLElement>(':scope > [data-testid="agent"]');
  if (!box) {
    box = agentEl(entry);
    const body = message.querySelector(':scope > .body');
    if (body) body.before(box);
    else message.append(box);
  }
  box.hidden = false;
  return box;
}

/** Adds a step, or replaces the one with the same id in place (running → done), keeping it open if it was. */
export function upsertStep(message: HTMLElement, entry: ConversationEntry, step: ToolStepView): void {
  const steps = (entry.steps ??= []);
  const i = steps.findIndex((s) => s.id === step.id);
  if (i >= 0) steps[i] = step;
  else steps.push(step);
  const list = agentOf(message, entry).querySelector<HTMLElement>('[data-testid="tool-steps"]')!;
  const old = [...list.querySelectorAll<HTMLDetailsElement>('[data-testid="tool-step"]')].find((d) => d.dataset['stepId'] === step.id);
  const fresh = stepEl(step);
  if (old) {
    (fresh as HTMLDetailsElement).open = old.open;
    old.replaceWith(fresh);
  } else list.append(fresh);
}

/** Replaces the checklist in place. */
export function setTodos(message: HTMLElement, entry: ConversationEntry, items: TodoItem[]): void {
  entry.todos = items;
  const box = agentOf(message, entry);
  const fresh = todosEl(items);
  const old = box.querySelector('[data-testid="todos"]');
  if (old) old.replaceWith(fresh);
  else box.querySelector('[data-testid="proposed-edits"]')!.before(fresh);
}

/** Adds a proposed edit, or shows its new state (applied, rejected, failed) in place. */
export function upsertEdit(message: HTMLElement, entry: ConversationEntry, edit: ProposedEditView): void {
  const edits = (entry.edits ??= []);
  const i = edits.findIndex((e) => e.id === edit.id);
  if (i >= 0) edits[i] = edit;
  else edits.push(edit);
  const list = agentOf(message, entry).querySelector<HTMLElement>('[data-testid="proposed-edits"]')!;
  const old = [...list.querySelectorAll<HTMLElement>('[data-testid="proposed-edit"]')].find((d) => d.dataset['editId'] === edit.id);
  if (old) old.replaceWith(editEl(edit));
  else list.append(editEl(edit));
}
