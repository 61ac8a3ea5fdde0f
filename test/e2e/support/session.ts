// One real VS Code for one test: a throwaway profile and a copy of the workspace, code-server on a free port,
// and a Chromium page on the workbench. Nothing is built here: `npm run test:e2e` builds the extension first.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import {
  codeServerBin,
  codeServerEnv,
  freePort,
  installVsix,
  makeProfile,
  quietSettings,
  repoRoot,
  startCodeServer,
  type CodeServerHandle,
  type CodeServerHost,
} from '../../../scripts/codeServer.mjs';
import { Workbench } from '../pages/workbench';
import { launchChromium } from './browser';

export const resultsDir = join(repoRoot, 'test-results', 'e2e');

export interface SessionOptions {
  /** Names the screenshots and the saved logs. */
  name: string;
  /** User settings laid over the quiet defaults (workspace trust off, no welcome page). */
  settings?: Record<string, unknown>;
  /** The folder copied to a temp dir and opened (default: the demo workspace). */
  workspaceFrom?: string;
  /** Extra environment for code-server and so for the extension host. */
  env?: Record<string, string | undefined>;
  /** Another build of dist/ to load (the activation benchmark uses a production build). */
  dist?: string;
  /** Which code-server (scripts/test-hosts.json): the oldest supported, the default, or the newest tested. */
  codeServer?: CodeServerHost;
  /**
   * A packaged extension to install with `code-server --install-extension` into the fresh profile, as users install
   * it, instead of linking the checkout's build.
   */
  vsix?: string;
  /** Extension folders (test fixtures) copied into the profile beside this extension. */
  extraExtensions?: string[];
}

export class VsCodeSession {
  /** The open session, for the failure screenshot taken after a failed test (see failureScreenshots.ts). */
  static current: VsCodeSession | undefined;
  readonly workbench: Workbench;
  private shots = 0;
  /** Everything the page and its frames (the webviews) wrote to the console, saved beside the logs on close. */
  private readonly console: string[] = [];
  private readonly inFlight = new Map<Request, number>();

  /** Requests the page (and its frames) started and that have not finished, oldest first: what a stuck load waits on. */
  pendingRequests(): string[] {
    return [...this.inFlight].map(([r, at]) => `${((Date.now() - at) / 1000).toFixed(1)}s ${r.method()} ${r.resourceType()} ${r.url().replace(/\?.*$/, '').slice(-100)}`);
  }

  private constructor(
    readonly name: string,
    readonly page: Page,
    private readonly browser: Browser,
    readonly server: CodeServerHandle,
    readonly workspace: string,
    readonly userDataDir: string,
    private readonly profileDir: string,
  ) {
    this.workbench = new Workbench(page);
    const started = Date.now();
    page.on('console', (m) => {
      const where = m.location().url.replace(/\?.*$/, '').slice(-80);
      this.console.push(`${((Date.now() - started) / 1000).toFixed(1)}s ${m.type()} ${where}: ${m.text().slice(0, 500)}`);
    });
    page.on('request', (r) => this.inFlight.set(r, Date.now()));
    page.on('requestfinished', (r) => this.inFlight.delete(r));
    page.on('requestfailed', (r) => this.inFlight.delete(r));
    page.on('pageerror', (e) => this.console.push(`${((Date.now() - started) / 1000).toFixed(1)}s pageerror: ${e.message.slice(0, 500)}`));
  }

  static async open(options: SessionOptions): Promise<VsCodeSession> {
    // DATAENG_E2E_CODE_SERVER=current runs a whole suite on the newest VS Code tested; its screenshots and logs are
    // prefixed so they do not replace those of the run on the oldest one.
    const fromEnv = !options.codeServer && process.env.DATAENG_E2E_CODE_SERVER === 'current';
    const host = options.codeServer ?? (fromEnv ? 'current' : 'oldest');
    const name = fromEnv ? `current-${options.name}` : options.name;
    removeEarlierResults(name);
    // The suite's global setup (or scripts/install-code-server.sh) has installed it at this fixed path.
    const bin = codeServerBin(host);
    const hostEnv = codeServerEnv(host);
    const profile = makeProfile({ ...quietSettings, ...options.settings }, 'dataeng-e2e-', options.vsix ? false : options.dist ? { dist: options.dist } : {});
    for (const extra of options.extraExtensions ?? []) {
      const pkg = JSON.parse(readFileSync(join(extra, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
      cpSync(extra, join(profile.extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`), { recursive: true });
    }
    if (options.vsix) installVsix({ bin, vsix: options.vsix, userDataDir: profile.userDataDir, extensionsDir: profile.extensionsDir, env: hostEnv });
    const workspace = join(profile.dir, 'workspace');
    cpSync(options.workspaceFrom ?? join(repoRoot, 'demo'), workspace, { recursive: true });
    const server = await startCodeServer({
      bin,
      port: await freePort(),
      userDataDir: profile.userDataDir,
      extensionsDir: profile.extensionsDir,
      folder: workspace,
      // The extension host inherits this environment. A test key keeps a developer's real key out of the run.
      env: { ...hostEnv, ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: undefined, ...options.env },
    });
    let browser: Browser | undefined;
    try {
      browser = await launchChromium();
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      const session = new VsCodeSession(name, page, browser, server, workspace, profile.userDataDir, profile.dir);
      await page.goto(server.url);
      await session.workbench.waitReady();
      VsCodeSession.current = session;
      return session;
    } catch (err) {
      await browser?.close();
      await server.stop();
      rmSync(profile.dir, { recursive: true, force: true });
      throw err;
    }
  }

  /** Saves a screenshot as test-results/e2e/<name>-<n>-<label>.png. */
  async screenshot(label: string): Promise<string> {
    mkdirSync(resultsDir, { recursive: true });
    this.shots++;
    const file = join(resultsDir, `${this.name}-${String(this.shots).padStart(2, '0')}-${label}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /**
   * "Developer: Reload Window", as a user reloads VS Code: the workbench shuts down in order (storage flushed),
   * then restarts with a new extension host.
   */
  async reload(): Promise<void> {
    const navigated = this.page.waitForEvent('framenavigated', { predicate: (f) => f === this.page.mainFrame(), timeout: 60_000 });
    await this.workbench.runCommand('Developer: Reload Window');
    await navigated;
    await this.page.waitForLoadState('domcontentloaded');
    await this.workbench.waitReady();
  }

  /** A browser refresh (F5 in the page), as a code-server user does it: the window does not shut down in order. */
  async refresh(): Promise<void> {
    await this.page.reload();
    await this.page.waitForLoadState('domcontentloaded');
    await this.workbench.waitReady();
  }

  /** Text of the newest log file with this name under the profile's logs folder (e.g. "Data Engineer.log"). */
  log(fileName: string): string {
    const files = findFiles(join(this.userDataDir, 'logs'), fileName);
    const newest = files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
    return newest ? readFileSync(newest, 'utf8') : '';
  }

  /** The profile's extensions folder (where a .vsix is installed, or the checkout linked). */
  get extensionsDir(): string {
    return join(this.profileDir, 'extensions');
  }

  /** The extension's own log channel ("Data Engineer"). */
  extensionLog(): string {
    return this.log('Data Engineer.log');
  }

  /** The extension host's log, where VS Code records activations. */
  extensionHostLog(): string {
    return this.log('remoteexthost.log');
  }

  async close(): Promise<void> {
    if (VsCodeSession.current === this) VsCodeSession.current = undefined;
    await this.browser.close().catch(() => undefined);
    await this.server.stop();
    // Keep the logs of every run next to the screenshots: they are what explains a failure in CI.
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, `${this.name}-code-server.log`), this.server.output());
    writeFileSync(join(resultsDir, `${this.name}-extension.log`), this.extensionLog());
    writeFileSync(join(resultsDir, `${this.name}-exthost.log`), this.extensionHostLog());
    writeFileSync(join(resultsDir, `${this.name}-console.log`), this.console.join('\n') + '\n');
    rmSync(this.profileDir, { recursive: true, force: true });
  }
}

/** Screenshots and logs of an earlier run of the same test would mislead: remove them (only this test's). */
function removeEarlierResults(name: string): void {
  if (!existsSync(resultsDir)) return;
  for (const file of readdirSync(resultsDir)) {
    if (file.startsWith(`${name}-`)) rmSync(join(resultsDir, file), { force: true });
  }
}

function findFiles(dir: string, fileName: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findFiles(path, fileName));
    else if (entry.name === fileName) out.push(path);
  }
  return out;
}

/**
 * Records a measured figure of the e2e run (e.g. click → findings painted) in test-results/e2e/figures.json, with
 * every run and the median, and prints it. Figures are reported, never asserted: timed assertions do not belong in
 * tests.
 */
export function recordFigure(name: string, runs: number[]): void {
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, 'figures.json');
  const figures = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  const sorted = [...runs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
  figures[name] = { runs, median, at: new Date().toISOString() };
  writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`figure ${name}: median ${median} (runs ${runs.join(', ')})`);
}
