// Builds the production bundles and packs the extension into dist/dataeng.vsix (`npm run package`).
// Usage: node scripts/package.mjs [--target TARGET] [--out FILE] [--keep-staging | --staging DIR]
//   --target TARGET  a VS Code platform target (darwin-arm64, win32-x64, …) or `universal` (no target); default: this
//                    machine's. Only this machine's target carries the better-sqlite3 addon (it is compiled here, for
//                    Node 20); any other package leaves it out and runs SQLite on node:sqlite or sql.js (README,
//                    "Build the .vsix for other platforms").
//   --staging DIR    builds in DIR and keeps it (the package test reads the build's metafile from there).
//
// Everything happens in a staging folder (.cache/package/stage-PID/): the production build goes to its dist/, and
// the manifest, personas, icon and production node_modules (hard links, so it costs no copying) sit next to it.
// Packing the checkout itself would mean rewriting the dist/ that the dev build, the CLI and running tests use.
//
// Why these vsce flags:
// - --no-yarn: the project uses npm. vsce lists the production dependencies with `npm list --production` and
//   .vscodeignore (an allow-list) keeps only the packages the bundles leave external and load at run time.
// - --target: the .vsix carries better-sqlite3's addon compiled on this machine, so it is platform-specific; the
//   target stops VS Code from installing it on a platform where the addon cannot load. A package without the addon
//   may name any target, or none (`universal`), since everything else in it is JavaScript or WebAssembly.
// - No link flags: package.json names the repository, so vsce rewrites README's relative links (ARCHITECTURE.md, the
//   screenshots in media/) to that repository's URLs, which is where the Marketplace and VS Code's details page find
//   them; the screenshots themselves stay out of the package.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = resolve(outIndex >= 0 && args[outIndex + 1] ? args[outIndex + 1] : join(root, 'dist', 'dataeng.vsix'));
const stagingIndex = args.indexOf('--staging');
const stagingArg = stagingIndex >= 0 ? args[stagingIndex + 1] : undefined;
const keepStaging = args.includes('--keep-staging') || stagingArg !== undefined;
// Inside the checkout by default, so the node_modules hard links stay on one file system.
const staging = stagingArg ? resolve(stagingArg) : join(root, '.cache', 'package', `stage-${process.pid}`);

/** Thrown for a reason the user can act on; reported without a stack trace after the staging folder is removed. */
class PackageError extends Error {}

function fail(message) {
  throw new PackageError(message);
}

/** The targets VS Code's Marketplace knows that can run this extension (`web` cannot: it needs Node). */
const knownTargets = ['win32-x64', 'win32-arm64', 'linux-x64', 'linux-arm64', 'linux-armhf', 'alpine-x64', 'alpine-arm64', 'darwin-x64', 'darwin-arm64'];
/** The runtime packages that exist only for the native addon; a package for another platform leaves them out. */
const addonPackages = ['better-sqlite3', 'bindings', 'file-uri-to-path', '@duckdb/node-bindings-[^/]+'];

/** VS Code's platform target for this machine (the platform the compiled better-sqlite3 addon is for). */
function vsceTarget() {
  const platform = { linux: 'linux', darwin: 'darwin', win32: 'win32' }[process.platform];
  const arch = { x64: 'x64', arm64: 'arm64', arm: 'armhf' }[process.arch];
  if (!platform || !arch) fail(`no VS Code platform target for ${process.platform}-${process.arch}`);
  // musl-based Linux (Alpine) has targets of its own.
  return `${platform === 'linux' && existsSync('/etc/alpine-release') ? 'alpine' : platform}-${arch}`;
}

/** Mirrors a package folder with hard links (copies across devices); nested node_modules are listed by npm separately. */
function linkTree(from, to) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) {
    if (entry === 'node_modules') continue;
    const source = join(from, entry);
    const target = join(to, entry);
    const info = lstatSync(source);
    if (info.isDirectory()) linkTree(source, target);
    else if (info.isFile()) {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
    }
  }
}

function run(command, commandArgs, cwd) {
  const result = spawnSync(command, commandArgs, { cwd, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.error) fail(`could not run ${command}: ${result.error.message}`);
  if (result.status !== 0) fail(`${relative(root, command) || command} ${commandArgs[0] ?? ''} failed (exit ${result.status})`);
}

const targetIndex = args.indexOf('--target');
const requestedTarget = targetIndex >= 0 ? args[targetIndex + 1] : undefined;
if (requestedTarget !== undefined && requestedTarget !== 'universal' && !knownTargets.includes(requestedTarget)) {
  console.error(`package: unknown --target ${requestedTarget}; use one of ${knownTargets.join(', ')} or universal`);
  process.exit(2);
}

if (!existsSync(join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))) {
  console.error('package: node_modules/better-sqlite3 has no compiled addon; run `npm ci` first');
  process.exit(1);
}

// The staging folder is wiped before and after; never wipe a folder someone named that already holds something.
if (stagingArg && existsSync(staging) && readdirSync(staging).length > 0) {
  console.error(`package: --staging ${stagingArg} must be an empty or missing folder`);
  process.exit(2);
}
rmSync(staging, { recursive: true, force: true });
mkdirSync(staging, { recursive: true });
try {
  // 1. The production bundles, with metafiles for scripts/bundle-report.mjs (the allow-list keeps those out).
  run(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production', '--metafile', '--outdir', join(staging, 'dist')], root);

  // 2. What the manifest and the extension refer to.
  for (const file of ['package.json', '.vscodeignore', 'LICENSE', 'README.md', 'CHANGELOG.md']) {
    if (existsSync(join(root, file))) copyFileSync(join(root, file), join(staging, file));
  }
  cpSync(join(root, 'agents'), join(staging, 'agents'), { recursive: true });
  cpSync(join(root, 'media'), join(staging, 'media'), { recursive: true });

  // 3. The production dependency tree, so vsce's `npm list --production` sees the same packages as in the checkout.
  const listed = execFileSync('npm', ['list', '--omit=dev', '--parseable', '--depth=99999', '--loglevel=error'], { cwd: root, encoding: 'utf8', shell: process.platform === 'win32' });
  for (const dir of listed.split(/\r?\n/).filter((d) => d && resolve(d) !== resolve(root))) {
    linkTree(dir, join(staging, relative(root, dir)));
  }

  // 4. Another platform's package leaves the addon out: compiled here, it could not load there.
  const hostTarget = vsceTarget();
  const target = requestedTarget ?? hostTarget;
  if (target !== hostTarget) {
    const addonLine = new RegExp(`^!node_modules/(${addonPackages.join('|')})/`);
    const allowList = readFileSync(join(staging, '.vscodeignore'), 'utf8').split('\n').filter((line) => !addonLine.test(line));
    writeFileSync(join(staging, '.vscodeignore'), allowList.join('\n'));
    console.log(`package: ${target} carries no better-sqlite3 addon (this machine is ${hostTarget}); SQLite runs on node:sqlite or sql.js there`);
  }

  // 5. Pack.
  mkdirSync(dirname(out), { recursive: true });
  const vsce = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
  run(vsce, ['package', '--no-yarn', ...(target === 'universal' ? [] : ['--target', target]), '--out', out], staging);
  console.log(`package: ${relative(process.cwd(), out)} (${(statSync(out).size / 1024 / 1024).toFixed(2)} MB)`);
  if (keepStaging) console.log(`package: staging kept at ${staging}`);
} catch (err) {
  console.error(`package: ${err instanceof PackageError ? err.message : err instanceof Error ? err.stack : String(err)}`);
  process.exitCode = 1;
} finally {
  if (!keepStaging) rmSync(staging, { recursive: true, force: true });
}
