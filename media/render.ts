// Model output → safe DOM. The only path from Markdown to the page: marked for parsing, then DOMPurify with a tight
// allow-list. Raw HTML in the Markdown is shown as text, images are never loaded (their alt text is shown), and only
// http, https and mailto links survive (the host opens them after the user confirms). The XSS suite renders its
// payloads through this very file in Chromium.
import DOMPurify from 'dompurify';
import { Marked, type Tokens } from 'marked';
import { proofActionFor } from '../src/core/proof/card';

const allowedTags = [
  'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 'del', 'code', 'pre', 'blockquote',
  'ul', 'ol', 'li', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span',
];
const allowedAttrs = ['href', 'title', 'class', 'start', 'align'];
const safeUri = /^(?:https?:|mailto:)/i;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    // Raw HTML from the model is data: show it, never interpret it.
    html(token: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(token.text);
    },
    // Images would fetch from the network (and are blocked by the CSP anyway): show what they were.
    image(token: Tokens.Image): string {
      return `<span class="image-placeholder">[image: ${escapeHtml(token.text || token.href)}]</span>`;
    },
  },
});

let hooked = false;
function purifier(): typeof DOMPurify {
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.nodeName === 'A') {
        const href = node.getAttribute('href') ?? '';
        if (!safeUri.test(href.trim())) node.removeAttribute('href');
        node.setAttribute('rel', 'noopener noreferrer');
      }
      if (node.hasAttribute('class')) {
        // Only marked's `language-xxx` classes on code survive; no other styling hooks for the model.
        const cls = node.getAttribute('class') ?? '';
        if (node.nodeName !== 'CODE' || !/^language-[A-Za-z0-9_+-]{1,32}$/.test(cls)) node.removeAttribute('class');
      }
    });
    hooked = true;
  }
  return DOMPurify;
}

/** Sanitized HTML fragment for a Markdown text. */
export function markdownToFragment(markdown: string, doc: Document = document): DocumentFragment {
  const html = marked.parse(markdown) as string;
  const fragment = purifier().sanitize(html, {
    ALLOWED_TAGS: allowedTags,
    ALLOWED_ATTR: allowedAttrs,
    ALLOWED_URI_REGEXP: safeUri,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    RETURN_DOM_FRAGMENT: true,
  });
  return doc.importNode(fragment, true);
}

function button(doc: Document, testId: string, action: string, label: string): HTMLButtonElement {
  const b = doc.createElement('button');
  b.type = 'button';
  b.className = 'code-action';
  b.dataset['testid'] = testId;
  b.setAttribute('data-testid', testId);
  b.dataset['action'] = action;
  b.textContent = label;
  return b;
}

/** Wraps every code block with its toolbar (Copy, Insert at cursor, Replace statement when possible). */
export function decorateCodeBlocks(root: ParentNode, options: { canReplace: boolean; doc?: Document }): void {
  const doc = options.doc ?? document;
  for (const pre of Array.from(root.querySelectorAll('pre'))) {
    const code = pre.querySelector('code');
    const wrap = doc.createElement('div');
    wrap.className = 'code-block';
    wrap.setAttribute('data-testid', 'code-block');
    const lang = /^language-(.+)$/.exec(code?.getAttribute('class') ?? '')?.[1];
    if (lang) wrap.dataset['lang'] = lang;
    const bar = doc.createElement('div');
    bar.className = 'code-toolbar';
    bar.append(button(doc, 'code-copy', 'copy', 'Copy'), button(doc, 'code-insert', 'insert', 'Insert'));
    if (options.canReplace) bar.append(button(doc, 'code-replace', 'replace', 'Replace statement'));
    // A rewrite can be verified against the statement, an index tried on it (src/vscode/proof runs either).
    const proof = proofActionFor(code?.textContent ?? pre.textContent ?? '');
    if (proof === 'verifyRewrite') bar.append(button(doc, 'code-verify-rewrite', 'verifyRewrite', 'Verify rewrite'));
    else if (proof === 'tryIndex') bar.append(button(doc, 'code-try-index', 'tryIndex', 'Try index'));
    pre.replaceWith(wrap);
    wrap.append(bar, pre);
  }
}

/** Renders one assistant message into `target`, replacing what was there. */
export function renderMessage(target: HTMLElement, markdown: string, options: { canReplace: boolean }): void {
  const fragment = markdownToFragment(markdown, target.ownerDocument);
  decorateCodeBlocks(fragment, { canReplace: options.canReplace, doc: target.ownerDocument });
  target.replaceChildren(fragment);
}

/** The text a code block's buttons act on. */
export function codeOf(block: Element): string {
  return block.querySelector('pre code')?.textContent ?? block.querySelector('pre')?.textContent ?? '';
}
