// The self-contained HTML report of a plan (or of two plans compared): one file that opens offline in any browser and
// can be shared. It carries the plan view's own bundle and styles inline, allowed by their SHA-256 hashes in a CSP that
// allows nothing else (no network, no other script, no frames, no forms), and the plan as a JSON data block, which the
// browser never executes. No plan text is ever written into the page's markup: the bundle builds the DOM from the data.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlanViewDoc } from '../protocol/planMessages';

export interface ReportAssets {
  /** dist/planView.js: media/plan/main.ts bundled for the browser. */
  script: string;
  /** dist/planView.css and dist/planReportTheme.css. */
  styles: string[];
}

/**
 * The built plan view next to the running bundle (dist/, for `dataeng`) or, when running from sources (tests), in the
 * repository's dist/ (`npm run build` writes it).
 */
export function loadReportAssets(dir?: string): ReportAssets {
  const candidates = dir ? [dir] : [__dirname, join(__dirname, '..', '..', 'dist')];
  const found = candidates.find((d) => existsSync(join(d, 'planView.js')));
  if (!found) throw new Error(`the plan view bundle (planView.js) is not built; run \`npm run build\` (looked in ${candidates.join(', ')})`);
  return {
    script: readFileSync(join(found, 'planView.js'), 'utf8'),
    styles: [readFileSync(join(found, 'planView.css'), 'utf8'), readFileSync(join(found, 'planReportTheme.css'), 'utf8')],
  };
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * JSON that is inert inside `<script type="application/json">`: `<`, `>` and `&` become \u escapes, so no value can
 * close the element or open a comment, and JSON.parse reads the same value back.
 */
export function inertJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function reportCsp(script: string, styles: readonly string[]): string {
  return [
    "default-src 'none'",
    `script-src ${sha256(script)}`,
    `style-src ${styles.map(sha256).join(' ')}`,
    "img-src 'none'",
    "font-src 'none'",
    "connect-src 'none'",
    "frame-src 'none'",
    "object-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export function planReportHtml(doc: PlanViewDoc, assets: ReportAssets): string {
  // The bundle and styles are ours, but a closing tag inside them would end the element early; refuse rather than
  // rewrite them (a rewrite would change the hash the CSP allows).
  if (/<\/script/i.test(assets.script)) throw new Error('the plan view bundle contains "</script" and cannot be inlined');
  for (const css of assets.styles) if (/<\/style/i.test(css)) throw new Error('a plan view stylesheet contains "</style" and cannot be inlined');
  const csp = reportCsp(assets.script, assets.styles);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="generator" content="dataeng analyze-plan">
<title>Query plan</title>
${assets.styles.map((css) => `<style>${css}</style>`).join('\n')}
</head>
<body>
<noscript><p>This report draws the plan with its own script; open it in a browser with JavaScript on.</p></noscript>
<div id="plan-root"></div>
<script type="application/json" id="plan-data">${inertJson(doc)}</script>
<script>${assets.script}</script>
</body>
</html>
`;
}
