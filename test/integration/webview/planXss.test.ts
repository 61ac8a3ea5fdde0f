/// <reference lib="dom" />
// The XSS suite for plans: hostile strings in every string field of a plan (and in findings and titles) rendered by
// the real plan view bundle in real Chromium, in the webview under its nonce CSP and in the HTML report under its hash
// CSP. Nothing may execute or load; the hostile text must still be shown as text.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffDoc, planDoc } from '../../../src/app/planViewDocs';
import type { Finding } from '../../../src/core/findings';
import { analyzePlan } from '../../../src/core/plan/analyze';
import { parsePlan } from '../../../src/core/plan/parse';
import { flattenPlan, type FlatPlan } from '../../../src/core/plan/view';
import { planReportHtml } from '../../../src/host/planReport';
import type { PlanViewDoc } from '../../../src/protocol/planMessages';
import { bundlePlanView, reportAssetsFromSources } from '../../support/bundlePlanView';
import { openPlanReport, openPlanWebview } from '../../support/planViewPage';
import { launchChromium } from '../../support/webviewPage';
import { pgNodeListFields, pgNodeStringFields, xssPayloads, xssPgJsonPlan, xssPgTextPlan, xssSqliteRows } from './xssPayloads';

let browser: Browser;
let sentinel: Server;
let S = '';
const sentinelHits: string[] = [];

beforeAll(async () => {
  sentinel = createServer((req, res) => {
    sentinelHits.push(req.url ?? '');
    res.writeHead(200, { 'access-control-allow-origin': '*' }).end('');
  });
  await new Promise<void>((r) => sentinel.listen(0, '127.0.0.1', r));
  S = `http://127.0.0.1:${(sentinel.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => sentinel.close(() => r()));
});

/** Findings as hostile as the plan: payloads in the rule id, message, fix and evidence, one on each node. */
function hostileFindings(plan: FlatPlan): Finding[] {
  const payloads = xssPayloads(S);
  return plan.nodes.map((n, i) => {
    const p = payloads[i % payloads.length]!;
    return { rule: p, severity: (['info', 'warning', 'critical'] as const)[i % 3]!, score: 1, message: p, fix: p, node: n.id, evidence: { [p]: p, n: i } };
  });
}

function hostile(parsed: ReturnType<typeof parsePlan>): FlatPlan {
  const flat = flattenPlan(parsed, analyzePlan(parsed));
  return { ...flat, findings: [...flat.findings, ...hostileFindings(flat)] };
}

function docs(): { name: string; doc: PlanViewDoc; markers: number }[] {
  const title = xssPayloads(S)[2]!;
  const json = hostile(parsePlan(xssPgJsonPlan(S)));
  const text = hostile(parsePlan(xssPgTextPlan(S)));
  const sqlite = hostile(parsePlan(xssSqliteRows(S)));
  const n = xssPayloads(S).length;
  return [
    { name: 'PostgreSQL JSON', doc: planDoc(json, title), markers: n },
    { name: 'PostgreSQL text', doc: planDoc(text, title), markers: n },
    { name: 'SQLite rows', doc: planDoc(sqlite, title), markers: n },
    { name: 'diff', doc: diffDoc(text, json, { beforeTitle: title, afterTitle: title }), markers: n },
  ];
}

const allowedTags = ['aside', 'body', 'button', 'code', 'div', 'h1', 'h2', 'h3', 'h4', 'head', 'header', 'html', 'input', 'li', 'link', 'meta', 'noscript', 'p', 'pre', 'script', 'section', 'span', 'style', 'table', 'tbody', 'td', 'th', 'thead', 'title', 'tr', 'ul'];

/** What the page holds that it should not: unexpected elements, handlers, links, sources. */
async function inspect(page: Page) {
  return page.evaluate(() => {
    const all = Array.from(document.querySelectorAll('*'));
    return {
      xss: (window as unknown as { __xss?: number }).__xss,
      tags: [...new Set(all.map((e) => e.tagName.toLowerCase()))].sort(),
      handlers: all.flatMap((e) => Array.from(e.attributes).filter((a) => /^on/i.test(a.name)).map((a) => `${e.tagName}@${a.name}`)),
      hrefs: all.filter((e) => e.hasAttribute('href') && e.tagName !== 'LINK').length,
      srcs: all.filter((e) => e.tagName !== 'SCRIPT' && (e.hasAttribute('src') || e.hasAttribute('srcdoc') || e.hasAttribute('background'))).length,
      scripts: document.scripts.length,
    };
  });
}

/** Opens every node (and every fold), selects it so its details and finding cards are drawn; returns all the text seen. */
async function visitEverything(page: Page): Promise<string> {
  await page.locator('[data-testid="plan-expand-all"]').click();
  for (const twisty of await page.locator('.pv-fold[aria-expanded="false"] .pv-twisty').all()) await twisty.click().catch(() => undefined);
  let seen = await page.locator('[data-testid="plan-title"]').innerText();
  await page.locator('[data-testid="plan-tree"]').focus();
  await page.keyboard.press('Home');
  let previous = '';
  for (let i = 0; i < 2000; i++) {
    const selected = (await page.locator('.pv-row.pv-selected').getAttribute('data-row')) ?? '';
    if (i > 0 && selected === previous) break;
    previous = selected;
    seen += `\n${await page.locator('.pv-row.pv-selected').innerText()}\n${await page.locator('[data-testid="plan-details"]').innerText()}`;
    await page.keyboard.press('ArrowDown');
  }
  // Hover the badges too: their titles hold the messages.
  for (const badge of (await page.locator('.pv-badge:visible').all()).slice(0, 40)) await badge.hover({ timeout: 2000 }).catch(() => undefined);
  return seen;
}

describe('XSS: hostile plans in the plan view', () => {
  it('the plans carry a payload in every string field the model reads', () => {
    const plan = parsePlan(xssPgJsonPlan(S));
    const node = plan.root.children[1]!;
    const p = xssPayloads(S)[1]!;
    for (const value of [node.nodeType, node.parentRelationship, node.subplanName, node.relation, node.schema, node.alias, node.index, node.cteName, node.functionName, node.joinType, node.strategy, node.partialMode, node.operation, node.scanDirection, node.filter, node.indexCond, node.recheckCond, node.hashCond, node.mergeCond, node.joinFilter, node.sortMethod, node.sortSpaceType]) {
      expect(value).toBe(p);
    }
    for (const list of [node.sortKey, node.groupKey, node.output]) expect(list).toEqual([p, `${p} 2`]);
    expect(pgNodeStringFields.length + pgNodeListFields.length).toBe(25);
    expect(plan.triggers[0]!.name).toBe(xssPayloads(S)[0]);
    expect(Object.keys(plan.settings!)).toContain(xssPayloads(S)[0]);
    expect(plan.queryIdentifier).toBe(xssPayloads(S).at(-1));
  });

  for (const mode of ['webview', 'report'] as const) {
    it(`${mode}: executes nothing, loads nothing, and shows every payload as text`, async () => {
      const assets = mode === 'report' ? await reportAssetsFromSources() : undefined;
      const script = mode === 'webview' ? await bundlePlanView() : '';
      for (const { name, doc, markers } of docs()) {
        const dialogs: string[] = [];
        const page = mode === 'webview' ? await openPlanWebview(browser, script) : await openPlanReport(browser, planReportHtml(doc, assets!));
        page.page.on('dialog', (d) => {
          dialogs.push(d.message());
          void d.dismiss();
        });
        if (mode === 'webview') await (page as Awaited<ReturnType<typeof openPlanWebview>>).show(doc);
        const seen = await visitEverything(page.page);
        await page.page.waitForTimeout(300);
        const report = await inspect(page.page);
        expect(report.xss, `${mode} ${name}`).toBeUndefined();
        expect(dialogs, `${mode} ${name}`).toEqual([]);
        expect(report.handlers, `${mode} ${name}`).toEqual([]);
        expect(report.tags.filter((t) => !allowedTags.includes(t)), `${mode} ${name}`).toEqual([]);
        expect(report.hrefs, `${mode} ${name}`).toBe(0);
        expect(report.srcs, `${mode} ${name}`).toBe(0);
        // The webview: the test stub and the bundle; the report: its data block and the bundle.
        expect(report.scripts, `${mode} ${name}`).toBe(2);
        expect(page.strayRequests, `${mode} ${name}`).toEqual([]);
        for (let i = 0; i < markers; i++) expect(seen, `${mode} ${name}: payload ${i} shown`).toContain(`V${i} `);
        await page.close();
      }
      expect(sentinelHits).toEqual([]);
    }, 300_000);
  }
});
