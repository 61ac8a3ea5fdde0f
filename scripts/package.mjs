// Builds the production bundles and packs the extension into dist/dataeng.vsix (`npm run package`).
// Usage: node scripts/package.mjs [--out FILE] [--keep-staging | --staging DIR]
//   --staging DIR builds in DIR and keeps it (the package test reads the build's metafile from there).
//
// Everything happens in a staging folder (.cache/package/stage-PID/): the production build goes to its dist/, and
// the manifest, personas, icon and production node_modules (hard links, so it costs no copying) sit next to it.
// Packing the checkout itself would mean rewriting the dist/ that the dev build, the CLI and running tests use.
//
// Why these vsce flags:
// - --no-yarn: the project uses npm. vsce lists the production dependencies with `npm list --production` and
//   .vscodeignore (an allow-list) keeps only the packages the bundles leave external and load at run time.
// - --target: the .vsix carries better-sqlite3's addon compiled on this machine, so it is platform-specific; the
//   target stops VS Code from installing it on a platform where the addon cannot load.
// - --allow-missing-repository: the project has no public repository yet, and a made-up URL would be a broken link.
// - --no-rewrite-relative-links: README links to files of the checkout (ARCHITECTURE.md, …); with no repository
//   there is nothing to rewrite them against, and vsce would otherwise refuse to pack.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
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

  // 4. Pack.
  mkdirSync(dirname(out), { recursive: true });
  const vsce = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
  run(vsce, ['package', '--no-yarn', '--target', vsceTarget(), '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out], staging);
  console.log(`package: ${relative(process.cwd(), out)} (${(statSync(out).size / 1024 / 1024).toFixed(2)} MB)`);
  if (keepStaging) console.log(`package: staging kept at ${staging}`);
} catch (err) {
  console.error(`package: ${err instanceof PackageError ? err.message : err instanceof Error ? err.stack : String(err)}`);
  process.exitCode = 1;
} finally {
  if (!keepStaging) rmSync(staging, { recursive: true, force: true });
}
