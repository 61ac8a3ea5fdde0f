// The plan view builds its DOM only through these helpers: elements are created by tag, and every piece of plan text
// (names, filters, messages) is set as textContent or as an attribute value, never parsed as HTML.

type Child = Node | string | undefined | null | false;

export interface Props {
  class?: string;
  testId?: string;
  title?: string;
  /** Attributes set with setAttribute (data-*, aria-*, role, tabindex…). */
  attrs?: Record<string, string | undefined>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.testId) el.setAttribute('data-testid', props.testId);
  if (props.title) el.title = props.title;
  if (props.attrs) for (const [k, v] of Object.entries(props.attrs)) if (v !== undefined) el.setAttribute(k, v);
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

export function button(label: string, props: Props = {}): HTMLButtonElement {
  const b = h('button', props, label);
  b.type = 'button';
  return b;
}
