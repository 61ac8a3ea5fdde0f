#!/usr/bin/env node
// `npm start`: builds the extension and opens it in a real VS Code with the demo workspace.
//
//   npm start                      code-server on http://127.0.0.1:8080 (or a free port), prints the URL
//   npm start -- --port 9000       a chosen port
//   npm start -- --folder ~/sql    another folder instead of demo/
//   npm start -- --smoke           start, check the workbench answers, stop (what the e2e suite runs)
//   npm start -- --desktop         use a desktop `code` on PATH (also chosen by default when DISPLAY is set)
//
// ANTHROPIC_API_KEY in the environment reaches the extension host, so answers stream from Claude; without it the
// deterministic plan analysis still shows, and the chat offers to set a key.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  codeServerEnv,
  ensureCodeServer,
  freePort,
  isPortFree,
  linkExtension,
  quietSettings,
  repoRoot,
  startCodeServer,
  toolsDir,
  writeUserSettings,
} from './codeServer.mjs';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};

const smoke = flag('smoke') || process.env.DATAENG_START_SMOKE === '1';
const folder = resolve(option('folder') ?? join(repoRoot, 'demo'));

function say(message) {
  console.log(`[start] ${message}`);
}

function fail(message) {
  console.error(`[start] error: ${message}`);
  process.exit(1);
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

if (!existsSync(folder)) fail(`folder not found: ${folder}`);

say('building the extension (npm run build)');
const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: 'inherit' });
if (build.status !== 0) fail('the build failed (see above)');

const wantDesktop = !smoke && !flag('code-server') && (flag('desktop') || (!!process.env.DISPLAY && onPath('code')));
if (wantDesktop) {
  if (!onPath('code')) fail('--desktop needs the `code` command on PATH');
  // A desktop VS Code runs the checkout as an extension under development, in its own window.
  say(`opening ${folder} in desktop VS Code with the extension under development`);
  const code = spawn('code', ['--new-window', `--extensionDevelopmentPath=${repoRoot}`, folder], { stdio: 'inherit' });
  code.on('exit', (status) => process.exit(status ?? 0));
} else {
  await runCodeServer();
}

async function runCodeServer() {
  let bin;
  try {
    bin = ensureCodeServer();
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }

  // A persistent profile keeps the API key (SecretStorage) and chat history between runs; a smoke run uses a
  // throwaway one so it never touches the user's.
  const profileDir = smoke ? mkdtempSync(join(tmpdir(), 'dataeng-start-')) : join(toolsDir(), 'start-profile');
  const userDataDir = join(profileDir, 'user-data');
  const extensionsDir = join(profileDir, 'extensions');
  mkdirSync(extensionsDir, { recursive: true });
  if (smoke || !existsSync(join(userDataDir, 'User', 'settings.json'))) writeUserSettings(userDataDir, quietSettings);
  linkExtension(extensionsDir);

  const requested = option('port') ?? process.env.PORT;
  let port;
  if (requested) {
    port = Number(requested);
    if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`not a port: ${requested}`);
    if (!(await isPortFree(port))) fail(`port ${port} is in use`);
  } else {
    port = (await isPortFree(8080)) ? 8080 : await freePort();
  }

  say(`starting code-server on 127.0.0.1:${port}`);
  let server;
  try {
    server = await startCodeServer({ bin, port, userDataDir, extensionsDir, folder, inheritOutput: !smoke, env: codeServerEnv() });
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }

  if (smoke) {
    say(`workbench answered at ${server.url}`);
    await server.stop();
    rmSync(profileDir, { recursive: true, force: true });
    say('smoke run OK');
    process.exit(0);
  }

  console.log('');
  say(`VS Code with Data Engineer is ready: ${server.url}`);
  say(process.env.ANTHROPIC_API_KEY ? 'ANTHROPIC_API_KEY is set: answers stream from Claude' : 'no ANTHROPIC_API_KEY: plan analysis works; set a key for answers');
  say('open a .sql file, put the cursor in a query, right-click → Optimize Query. Ctrl+C stops.');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    say('stopping code-server');
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  const exit = await server.exited;
  if (!stopping) fail(`code-server exited unexpectedly (${JSON.stringify(exit)})`);
}
