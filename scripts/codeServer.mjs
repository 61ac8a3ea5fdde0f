// Starts a real VS Code (code-server) with this extension loaded: shared by `npm start` and the e2e suite,
// so the command the README documents is the one the tests exercise.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// When a benchmark bundles this file to CommonJS, import.meta is empty; bench/run.mjs runs from the repo root.
export const repoRoot = import.meta.url ? join(dirname(fileURLToPath(import.meta.url)), '..') : process.cwd();

/**
 * The code-server versions the suites run on (scripts/test-hosts.json): `oldest` is engines.vscode's floor and the
 * main e2e target, `current` the newest release tested, which the smoke suites run on.
 * @type {Record<'oldest' | 'current', { version: string, vscode: string, node: string }>}
 */
export const codeServerHosts = JSON.parse(readFileSync(join(repoRoot, 'scripts', 'test-hosts.json'), 'utf8')).codeServer;
export const codeServerVersion = codeServerHosts.oldest.version;

/** Settings that make a fresh profile open straight into the workspace: no trust prompt, no welcome page. */
export const quietSettings = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
};

export function toolsDir() {
  return process.env.DATAENG_TOOLS_DIR || join(homedir(), '.cache', 'dataeng-tools');
}

export function codeServerBin(host = 'oldest') {
  return join(toolsDir(), `code-server-${codeServerHosts[host].version}`, 'node_modules', '.bin', 'code-server');
}

/**
 * The environment additions that make code-server run on the Node it was installed with: nothing when that is the
 * Node running this script, else the pinned Node from the tools cache first on PATH (code-server's launcher is a
 * `#!/usr/bin/env node` script, and its extension host runs on the same Node).
 */
export function codeServerEnv(host = 'oldest') {
  const major = codeServerHosts[host].node;
  if (process.versions.node.split('.')[0] === major) return {};
  const nodeVersion = JSON.parse(readFileSync(join(repoRoot, 'scripts', 'test-hosts.json'), 'utf8')).node[major];
  return { PATH: `${join(toolsDir(), `node-${nodeVersion}`, 'bin')}${delimiter}${process.env.PATH ?? ''}` };
}

/** Installs code-server when missing (idempotent script) and returns the binary's path. */
export function ensureCodeServer(host = 'oldest') {
  const run = spawnSync('bash', [join(repoRoot, 'scripts', 'install-code-server.sh'), host], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`scripts/install-code-server.sh failed (exit ${run.status ?? run.signal})`);
  const bin = run.stdout.trim().split('\n').pop() ?? '';
  if (!existsSync(bin)) throw new Error(`scripts/install-code-server.sh printed no usable path (got "${bin}")`);
  return bin;
}

/** The folder name VS Code expects in an extensions dir: publisher.name-version. */
export function extensionFolderName() {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  return `${pkg.publisher}.${pkg.name}-${pkg.version}`;
}

/**
 * Makes `extensionsDir` hold this extension as VS Code would install it. The bundles in `dist` are hard-linked
 * (copied across file systems) into a real folder inside the extension, never symlinked: Node loads a module under
 * its real path, and VS Code finds which extension calls its API by that path. A symlinked dist made the real path
 * fall outside the extension's folder, so VS Code could not tell who was calling: progress notifications said
 * "Source: Null Extension Description" and the log folder was "nullExtensionDescription". The other parts (manifest,
 * media, personas, node_modules) are symlinks, read by path. `dist` may point at another build of the bundles (the
 * activation benchmark links a production build there). Called at every start, so a rebuild is picked up.
 */
export function linkExtension(extensionsDir, { dist = join(repoRoot, 'dist') } = {}) {
  if (!existsSync(join(dist, 'extension.js'))) {
    throw new Error(`${join(dist, 'extension.js')} is missing: run \`npm run build\` first`);
  }
  const target = join(extensionsDir, extensionFolderName());
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  linkTree(dist, join(target, 'dist'));
  for (const part of ['package.json', 'agents', 'media', 'node_modules', 'README.md', 'LICENSE']) {
    if (existsSync(join(repoRoot, part))) symlinkSync(join(repoRoot, part), join(target, part));
  }
  return target;
}

/** Recreates `from` under `to` with hard links to its files (copies when a link is impossible). */
function linkTree(from, to) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const dest = join(to, entry.name);
    if (entry.isDirectory()) linkTree(source, dest);
    else {
      try {
        linkSync(source, dest);
      } catch {
        copyFileSync(source, dest);
      }
    }
  }
}

export function writeUserSettings(userDataDir, settings) {
  const dir = join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}

export function isPortFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The workbench URL that opens `folder`. */
export function workbenchUrl(port, folder) {
  return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`;
}

/**
 * Starts code-server and resolves once the workbench page is served. Returns a handle whose stop() ends the
 * whole process group it started (code-server forks the extension host and file watchers).
 * @param {{
 *   bin: string, port: number, userDataDir: string, extensionsDir: string, folder: string,
 *   env?: Record<string, string | undefined>, logFile?: string, inheritOutput?: boolean, timeoutMs?: number
 * }} options
 */
export async function startCodeServer(options) {
  const { bin, port, userDataDir, extensionsDir, folder } = options;
  const configFile = join(userDataDir, 'code-server.yaml');
  // code-server otherwise writes a config with a generated password into ~/.config; ours says auth: none.
  writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = [
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    folder,
  ];
  const child = spawn(bin, args, {
    detached: true,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', options.inheritOutput ? 'inherit' : 'pipe', options.inheritOutput ? 'inherit' : 'pipe'],
  });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let stopped = false;
  const handle = {
    pid: child.pid,
    port,
    url: workbenchUrl(port, folder),
    output: () => output,
    exited,
    async stop() {
      if (stopped) return;
      stopped = true;
      signalGroup(child.pid, 'SIGTERM');
      const done = await Promise.race([exited.then(() => true), delay(5_000).then(() => false)]);
      if (!done) signalGroup(child.pid, 'SIGKILL');
      // Helpers such as the file watcher may outlive the parent for a moment; the group signal reaches them too.
      signalGroup(child.pid, 'SIGKILL');
      if (options.logFile) writeFileSync(options.logFile, output);
    },
  };
  try {
    await waitForWorkbench(handle, options.timeoutMs ?? 60_000);
  } catch (err) {
    await handle.stop();
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n--- code-server output ---\n${output}`);
  }
  return handle;
}

function signalGroup(pid, signal) {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitForWorkbench(handle, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let exitedEarly = null;
  void handle.exited.then((e) => {
    exitedEarly = e;
  });
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (exitedEarly) throw new Error(`code-server exited before it was ready (${JSON.stringify(exitedEarly)})`);
    try {
      const res = await fetch(handle.url, { signal: AbortSignal.timeout(5_000) });
      const body = await res.text();
      if (res.ok && body.includes('workbench')) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await delay(250);
  }
  throw new Error(`code-server did not serve the workbench at ${handle.url} within ${timeoutMs} ms (last: ${last})`);
}

/**
 * A throwaway profile: user-data-dir with settings, and an extensions dir holding this extension linked from the
 * checkout, or nothing when `link` is false (the packaged-extension test installs the .vsix there instead).
 */
export function makeProfile(settings, prefix = 'dataeng-vscode-', link = {}) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const userDataDir = join(dir, 'user-data');
  const extensionsDir = join(dir, 'extensions');
  mkdirSync(extensionsDir, { recursive: true });
  writeUserSettings(userDataDir, settings);
  if (link !== false) linkExtension(extensionsDir, link);
  return { dir, userDataDir, extensionsDir };
}

/**
 * Installs a .vsix into a profile with code-server's own `--install-extension`, as a user installs a downloaded
 * package (the extension is unpacked and registered in the profile's extensions.json). Returns code-server's output.
 * @param {{ bin: string, vsix: string, userDataDir: string, extensionsDir: string, env?: Record<string, string | undefined> }} options
 */
export function installVsix({ bin, vsix, userDataDir, extensionsDir, env = {} }) {
  const run = spawnSync(bin, ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  if (run.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (exit ${run.status ?? run.signal}):\n${output}`);
  return output;
}
