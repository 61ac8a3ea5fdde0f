// The chat webview's HTML shell. Pure (no vscode import) so the XSS suite and the benchmark serve the very same page.
// Strict CSP: nothing loads unless it comes from the extension's own dist/media folders, scripts need the per-load
// nonce, no inline handlers, no images from anywhere else, no network.

export interface ShellOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  /** A fresh random value per load. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

export function contentSecurityPolicy(o: Pick<ShellOptions, 'cspSource' | 'nonce'>): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${o.nonce}'`,
    `style-src ${o.cspSource}`,
    `img-src ${o.cspSource}`,
    `font-src ${o.cspSource}`,
    "connect-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function chatHtml(o: ShellOptions): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(o))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(o.styleUri)}">
<title>Data Engineer Chat</title>
</head>
<body>
<header class="toolbar">
  <label class="picker"><span>Persona</span><select data-testid="persona-select" aria-label="Persona"></select></label>
  <label class="picker"><span>Connection</span><select data-testid="connection-select" aria-label="Connection"></select></label>
  <button type="button" class="icon" data-testid="new-chat" title="New chat" aria-label="New chat">New chat</button>
</header>
<main data-testid="messages" class="messages" role="log" aria-live="polite"></main>
<div data-testid="status" class="status" role="status"></div>
<footer class="composer">
  <textarea data-testid="input" rows="3" placeholder="Ask about SQL, plans or schemas (Enter to send, Shift+Enter for a new line)" aria-label="Message"></textarea>
  <div class="composer-actions">
    <button type="button" data-testid="stop" class="secondary" hidden>Stop</button>
    <button type="button" data-testid="send">Send</button>
  </div>
</footer>
<script nonce="${attr(o.nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>`;
}
