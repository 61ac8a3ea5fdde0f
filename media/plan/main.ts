// The plan view's entry point, in two places. In the webview (an editor tab of the extension) it asks the host for its
// document and shows it with virtualized rows. In an HTML report written by `dataeng analyze-plan --html` the document
// is embedded in the page as JSON data, and every node keeps an element. Nothing else is ever loaded.
import type { HostToPlanView, PlanViewDoc, PlanViewToHost } from '../../src/protocol/planMessages';
import { DiffViewer } from './diffViewer';
import { h } from './dom';
import { PlanViewer } from './viewer';

interface PlanViewApi {
  postMessage(message: PlanViewToHost): void;
}

declare function acquireVsCodeApi(): PlanViewApi;

export type Viewer = PlanViewer | DiffViewer;

/** Shows a document in `root`; `mode` and `copy` differ between the webview and the report. */
export function show(root: HTMLElement, doc: PlanViewDoc, mode: 'virtual' | 'full', copy: (text: string) => void): Viewer {
  if (doc.kind === 'diff') return new DiffViewer(root, doc, { mode, copy });
  const viewer = new PlanViewer(root, doc.title, doc.plan, { mode, copy });
  if (doc.focus !== undefined) viewer.focusNode(doc.focus);
  return viewer;
}

function startReport(data: HTMLElement, root: HTMLElement): void {
  // The data block is JSON, not script: the page's CSP allows only this bundle to run.
  const doc = JSON.parse(data.textContent ?? 'null') as PlanViewDoc;
  document.title = doc.title;
  const viewer = show(root, doc, 'full', (text) => void navigator.clipboard?.writeText(text).catch(() => undefined));
  (window as unknown as { planViewer?: Viewer }).planViewer = viewer;
  document.body.setAttribute('data-ready', 'true');
}

function startWebview(root: HTMLElement): void {
  const api = acquireVsCodeApi();
  let viewer: Viewer | undefined;
  window.addEventListener('message', (event: MessageEvent<HostToPlanView>) => {
    const m = event.data;
    if (!m || typeof m !== 'object') return;
    if (m.type === 'show') {
      document.title = m.doc.title;
      viewer = show(root, m.doc, 'virtual', (text) => api.postMessage({ type: 'copy', text }));
      document.body.setAttribute('data-ready', 'true');
    } else if (m.type === 'focus') viewer?.focusNode(m.nodeId);
  });
  api.postMessage({ type: 'ready' });
}

const root = document.getElementById('plan-root') ?? document.body.appendChild(h('div', { attrs: { id: 'plan-root' } }));
const data = document.getElementById('plan-data');
if (data) startReport(data, root);
else startWebview(root);
