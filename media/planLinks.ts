// The chat's way into the plan view: a "Show plan" button on every turn whose plan the host kept, and finding ids
// (F1, F2… in the findings list and the [F1] citations in the answer) that open the plan on the finding's node.
// Built after rendering, from text nodes only: nothing here parses HTML, and the model cannot forge these elements
// (its output goes through DOMPurify, which drops data attributes).
import type { FindingView } from '../src/core/findingsFormat';

export function showPlanButton(): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'show-plan secondary';
  b.setAttribute('data-testid', 'show-plan');
  b.dataset['action'] = 'showPlan';
  b.textContent = 'Show plan';
  b.title = 'Open the plan this answer is about, with the findings on its nodes';
  return b;
}

function findingLink(id: string, className: string, testId?: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = className;
  b.setAttribute('data-finding-link', id);
  if (testId) b.setAttribute('data-testid', testId);
  b.title = `Show ${id} on the plan`;
  b.textContent = id;
  return b;
}

const citation = /\[(F\d{1,3}(?:\s*,\s*F\d{1,3})*)\]/g;

/** Makes the finding ids of one assistant message clickable: in its findings list, and cited in its answer. */
export function linkFindings(message: HTMLElement, findings: readonly FindingView[] | undefined): void {
  if (!findings?.length) return;
  const known = new Set(findings.map((f) => f.id));
  for (const span of Array.from(message.querySelectorAll<HTMLElement>('[data-testid="findings"] .finding-id'))) {
    const id = span.textContent ?? '';
    if (known.has(id)) span.replaceWith(findingLink(id, 'finding-id finding-link', 'finding-link'));
  }
  const body = message.querySelector('.body');
  if (!body) return;
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n.parentElement?.closest('pre, code, button') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  const texts: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) if (/\[F\d/.test((n as Text).data)) texts.push(n as Text);
  for (const text of texts) {
    const parts: (string | Node)[] = [];
    let last = 0;
    for (const m of text.data.matchAll(citation)) {
      parts.push(text.data.slice(last, m.index));
      parts.push('[');
      m[1]!.split(/(\s*,\s*)/).forEach((piece) => parts.push(known.has(piece) ? findingLink(piece, 'finding-cite') : piece));
      parts.push(']');
      last = m.index + m[0].length;
    }
    parts.push(text.data.slice(last));
    text.replaceWith(...parts);
  }
}

/** The plan node a finding id points at (`where` of a plan finding), when it is one. */
export function nodeOfFinding(findings: readonly FindingView[] | undefined, id: string): string | undefined {
  const where = findings?.find((f) => f.id === id)?.where;
  return where !== undefined && /^#\d{1,7}$/.test(where) ? where : undefined;
}
