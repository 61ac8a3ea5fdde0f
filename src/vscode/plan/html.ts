// The plan view webview's HTML shell. Pure (no vscode import) so the Chromium tests and the benchmark serve the very
// same page. The CSP is the chat's (nonce-only scripts, styles and images only from the extension, no network).
import { contentSecurityPolicy, type ShellOptions } from '../chat/html';

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function planViewHtml(o: ShellOptions): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(o))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(o.styleUri)}">
<title>Query plan</title>
</head>
<body>
<div id="plan-root"></div>
<script nonce="${attr(o.nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>`;
}
