// Every selector the e2e suite uses, in one place. When VS Code's DOM changes, this is the file to fix.
// Workbench selectors follow VS Code 1.100 (code-server 4.100.3); webview ids are the data-testid contract in
// notes/COMMON.md, built by the chat view.

export const workbench = {
  root: '.monaco-workbench',
  activityBarItem: (title: string) => `.part.activitybar .action-item a.action-label[aria-label^="${title}"]`,
  sideBar: '.part.sidebar',
  sideBarTitle: '.part.sidebar .composite.title h2',
  /** The draggable borders between the workbench's parts (side bar | editor | panel). */
  verticalSash: '.monaco-sash.vertical',
  paneHeader: (title: string) => `.part.sidebar .pane-header[aria-label^="${title}"]`,
  paneBody: (title: string) => `.part.sidebar .pane:has(> .pane-header[aria-label^="${title}"]) .pane-body`,
  statusBarItem: '.part.statusbar .statusbar-item',
  restrictedModeStatus: '.part.statusbar .statusbar-item[id="status.workspaceTrust"]',
  progressBar: '.monaco-progress-container.active',
  /** The Problems item (errors and warnings counts) in the status bar. */
  problemsStatus: '.part.statusbar .statusbar-item[id="status.problems"] a, .part.statusbar .statusbar-item[id="status.problems"]',
  /** The workbench once a theme of this kind applies: `vs` (light), `vs-dark`, `hc-black`, `hc-light`. */
  themed: (kind: string) => `.monaco-workbench.${kind}`,
};

export const editor = {
  tab: (fileName: string) => `.tabs-container .tab[aria-label^="${fileName}"]`,
  activeEditor: '.editor-group-container.active .monaco-editor',
  viewLine: '.editor-group-container.active .monaco-editor .view-lines .view-line',
  /** Lines of every visible editor, in any editor group. */
  anyViewLine: '.part.editor .monaco-editor .view-lines .view-line',
  inputArea: '.editor-group-container.active .monaco-editor textarea.inputarea, .editor-group-container.active .monaco-editor .native-edit-context',
  dirtyTab: '.tabs-container .tab.dirty',
  findInput: '.editor-group-container.active .find-widget textarea, .editor-group-container.active .find-widget input',
};

export const contextMenu = {
  menu: '.monaco-menu',
  item: '.monaco-menu .action-item .action-label',
};

export const quickInput = {
  widget: '.quick-input-widget',
  input: '.quick-input-widget .quick-input-box input',
  row: '.quick-input-widget .quick-input-list .monaco-list-row',
  rowNamed: (label: string) => `.quick-input-widget .quick-input-list .monaco-list-row[aria-label^="${label}"]`,
  title: '.quick-input-widget .quick-input-title',
  message: '.quick-input-widget .quick-input-message',
};

export const notifications = {
  toast: '.notifications-toasts .notification-toast',
  message: '.notifications-toasts .notification-list-item-message',
  /** Inside one toast: its message, and the "Source: <extension name>" line under it. */
  toastMessage: '.notification-list-item-message',
  toastSource: '.notification-list-item-source',
  button: '.notifications-toasts .notification-list-item-buttons-container .monaco-button',
};

export const dialog = {
  box: '.monaco-dialog-box',
  message: '.monaco-dialog-box .dialog-message-text',
  detail: '.monaco-dialog-box .dialog-message-detail',
  button: '.monaco-dialog-box .dialog-buttons .monaco-button',
};

export const runningExtensions = {
  row: (name: string) => `.runtime-extensions-editor .monaco-list-row:has(.name:text-is("${name}"))`,
  activationTime: '.activation-time',
};

export const treeView = {
  message: '.tree-explorer-viewlet-tree-view .message',
  welcome: '.welcome-view-content',
  row: '.monaco-list-row',
  /** An inline action button of a row (shown on hover), by its title. */
  rowAction: (title: string) => `.actions .action-label[aria-label^="${title}"]`,
};

export const markdownPreview = {
  /** The built-in Markdown preview is a webview panel of the markdown-language-features extension. */
  extensionId: 'vscode.markdown-language-features',
  /** The rendered document inside the preview. */
  content: '.markdown-body',
  /** The preview's "Show Source" action in the editor title bar (markdown.showSource). */
  showSource: '.part.editor .action-label[aria-label^="Show Source"], .part.editor .action-label[aria-label^="Open Source"]',
};

export const webview = {
  // A webview is an outer iframe (class "webview") hosting an inner iframe "#active-frame" with the content.
  // The outer frame's src names the extension and the kind of webview.
  // A view restored by a reload of the workbench may come back without `purpose` in its src (seen in about one reload
  // in four on code-server 4.100: `class="webview ready"`, `extensionId=dataeng.dataeng`, no purpose), so a view is
  // one of the extension's webviews that does not say it is a panel.
  outer: (extensionId: string, purpose: 'webviewView' | 'webviewPanel') =>
    purpose === 'webviewView'
      ? `iframe.webview[src*="extensionId=${extensionId}"]:not([src*="purpose=webviewPanel"])`
      : `iframe.webview[src*="extensionId=${extensionId}"][src*="purpose=${purpose}"]`,
  inner: '#active-frame',
  /** Any webview of an extension (the built-in Markdown preview's src carries no purpose). */
  outerOf: (extensionId: string) => `iframe.webview[src*="extensionId=${extensionId}"]`,
  /**
   * An editor-tab webview (a webview panel). code-server 4.100 names no extension and no purpose in a panel's src
   * (`extensionId=nullExtensionDescription`), so panels are the webviews that are not views.
   */
  panel: 'iframe.webview:not([src*="purpose=webviewView"])',
};

/** data-testid values inside the chat webview (contract in notes/COMMON.md). */
export const chat = {
  messages: '[data-testid="messages"]',
  userMessage: '[data-testid="message-user"]',
  assistantMessage: '[data-testid="message-assistant"]',
  findings: '[data-testid="findings"]',
  finding: '[data-testid="finding"]',
  input: '[data-testid="input"]',
  send: '[data-testid="send"]',
  stop: '[data-testid="stop"]',
  newChat: '[data-testid="new-chat"]',
  personaSelect: '[data-testid="persona-select"]',
  connectionSelect: '[data-testid="connection-select"]',
  codeBlock: '[data-testid="code-block"]',
  /** The code inside a code block (what Copy/Insert/Replace act on). */
  codeText: 'pre code',
  codeCopy: '[data-testid="code-copy"]',
  codeInsert: '[data-testid="code-insert"]',
  codeReplace: '[data-testid="code-replace"]',
  codeVerifyRewrite: '[data-testid="code-verify-rewrite"]',
  codeTryIndex: '[data-testid="code-try-index"]',
  /** A proof card under a code block (media/proofCard.ts), with its parts. */
  proofCard: '[data-testid="proof-card"]',
  proofTitle: '[data-testid="proof-title"]',
  proofRows: '[data-testid="proof-rows"]',
  proofCost: '[data-testid="proof-cost"]',
  proofTime: '[data-testid="proof-time"]',
  proofShowDiff: '[data-testid="proof-show-diff"]',
  setApiKey: '[data-testid="set-api-key"]',
  error: '[data-testid="error"]',
  status: '[data-testid="status"]',
  /** "Show plan" on a turn whose plan the host kept, and a finding id in the findings list that opens it. */
  showPlan: '[data-testid="show-plan"]',
  findingLink: '[data-testid="finding-link"]',
  /** The agent loop (media/agentSteps.ts): tool steps (details/summary), the checklist, proposed edits. */
  toolStep: '[data-testid="tool-step"]',
  toolStepInput: '[data-testid="tool-step-input"]',
  toolStepResult: '[data-testid="tool-step-result"]',
  todo: '[data-testid="todo"]',
  proposedEdit: '[data-testid="proposed-edit"]',
  diffAdded: '[data-testid="diff-added"]',
  diffRemoved: '[data-testid="diff-removed"]',
  applyEdit: '[data-testid="apply-edit"]',
  rejectEdit: '[data-testid="reject-edit"]',
  proposedEditState: '[data-testid="proposed-edit-state"]',
};

/** Inside the plan view webview (media/plan): the DOM the HTML report's contract also promises. */
export const planView = {
  title: '[data-testid="plan-title"]',
  summary: '[data-testid="plan-summary"]',
  tree: '[data-testid="plan-tree"]',
  node: (id: string) => `.pv-row[data-node-id="${id}"]`,
  nodeRows: '.pv-row[data-node-id]',
  selectedRow: '.pv-row.pv-selected',
  badge: (rule: string) => `[data-finding-rule="${rule}"]`,
  anyBadge: '[data-finding-rule]',
  foldRow: '.pv-row.pv-fold',
  search: '[data-testid="plan-search"]',
  matchCount: '[data-testid="plan-match-count"]',
  details: '[data-testid="plan-details"]',
  activeFinding: '[data-testid="finding-details"].pv-active',
  diffTotals: '[data-testid="diff-totals"]',
  diffTotal: (label: string) => `[data-testid="diff-totals"] tr[data-total="${label}"]`,
  diffRows: (status: string) => `.pv-row[data-diff-status="${status}"]`,
  head: '.pv-head',
};
