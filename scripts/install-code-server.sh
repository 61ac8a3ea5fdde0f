#!/usr/bin/env bash
# Installs code-server (a real VS Code in the browser) into a cached tool folder outside the project's
# dependencies, for `npm start` and the end-to-end suites. Idempotent: a working install is kept as it is.
#
#   scripts/install-code-server.sh            the oldest supported version (engines.vscode's floor, the main e2e target)
#   scripts/install-code-server.sh current    the newest version tested (the smoke suite), on the Node it demands
#   DATAENG_TOOLS_DIR=/some/dir               where tools are cached (default ~/.cache/dataeng-tools)
# The last line printed is the binary's path. Versions, and the Node major each needs, are in scripts/test-hosts.json.
#
# Why these steps: code-server builds native modules against the Node it is installed with, and its postinstall
# refuses any other Node major; the newer versions need a Node we install ourselves (scripts/install-node.sh), whose
# package carries the headers node-gyp needs. Its dependency @vscode/ripgrep downloads a binary at install time,
# which cannot work offline; its installer accepts a cached tarball instead, so we hand it one holding Debian's `rg`.
set -euo pipefail
cd "$(dirname "$0")/.."

which=${1:-oldest}
read -r version node_major < <(node -e "
  const hosts = require('./scripts/test-hosts.json').codeServer;
  const h = hosts[process.argv[1]];
  if (!h) { console.error('unknown code-server host \"' + process.argv[1] + '\"; one of: ' + Object.keys(hosts).join(', ')); process.exit(2); }
  console.log(h.version + ' ' + h.node);" "$which")
[ -n "${version:-}" ] || exit 2

tools_dir=${DATAENG_TOOLS_DIR:-$HOME/.cache/dataeng-tools}
dest="$tools_dir/code-server-$version"
bin="$dest/node_modules/.bin/code-server"

log() { printf '[code-server] %s\n' "$*" >&2; }
fail() { printf '[code-server] error: %s\n' "$*" >&2; exit 1; }

# The Node that installs and runs this version: the one on PATH when it is the right major, else a pinned one.
if [ "$(node -p 'process.versions.node.split(".")[0]')" = "$node_major" ]; then
  node_bin=$(command -v node)
else
  node_bin=$(bash scripts/install-node.sh "$node_major" | tail -n 1)
fi
node_dir=$(dirname "$(dirname "$node_bin")")
export PATH="$(dirname "$node_bin"):$PATH"

# A working install answers --version with the expected version; anything else is rebuilt.
# The output is captured first: a pipe into `grep -q` could end code-server early and fail under pipefail.
version_of() { "$1" --version 2>/dev/null || true; }
if [ -x "$bin" ] && [[ "$(version_of "$bin")" == "$version "* ]]; then
  log "already installed ($version, Node $node_major)"
  echo "$bin"
  exit 0
fi

for pkg in libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config; do
  dpkg -s "$pkg" >/dev/null 2>&1 || fail "Debian package $pkg is missing: apt-get install $pkg (scripts/setup-test-env.sh does it)"
done

mkdir -p "$tools_dir"
stage=$(mktemp -d "$tools_dir/.code-server-$version.XXXXXX")
cleanup() { rm -rf "$stage"; }
trap cleanup EXIT
mkdir -p "$stage/pkg"
printf '{ "name": "dataeng-code-server", "private": true }\n' >"$stage/pkg/package.json"

# The package first, to read which @vscode/ripgrep its VS Code pins (and so which tarball name its installer wants).
# npm keeps it in its cache, so the install below downloads nothing more.
(cd "$stage" && npm pack --silent --loglevel=error "code-server@$version" >/dev/null) || fail "npm pack code-server@$version failed"
tarball="$stage/code-server-$version.tgz"
ripgrep_pkg_version=$(tar -xzOf "$tarball" package/lib/vscode/npm-shrinkwrap.json \
  | node -e "let s='';process.stdin.on('data',(d)=>s+=d).on('end',()=>{console.log(JSON.parse(s).packages['node_modules/@vscode/ripgrep']?.version ?? '')})")
export TMPDIR="$stage/tmp"
mkdir -p "$TMPDIR"
case "$ripgrep_pkg_version" in
  # Newer VS Codes depend on @vscode/ripgrep-universal instead, which carries its binaries and downloads nothing.
  '') ;;
  1.15.11)
    # A private TMPDIR holds the ripgrep tarball where @vscode/ripgrep's installer looks first.
    ripgrep_asset=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
    command -v rg >/dev/null 2>&1 || fail "ripgrep (rg) is missing: apt-get install ripgrep (scripts/setup-test-env.sh does it)"
    mkdir -p "$TMPDIR/vscode-ripgrep-cache-$ripgrep_pkg_version" "$stage/rg/bin"
    cp "$(command -v rg)" "$stage/rg/bin/rg"
    tar -czf "$TMPDIR/vscode-ripgrep-cache-$ripgrep_pkg_version/$ripgrep_asset" -C "$stage/rg/bin" rg
    ;;
  *) fail "code-server $version pins @vscode/ripgrep $ripgrep_pkg_version; add the tarball name its installer wants to this script" ;;
esac

# Native modules compile against the installing Node's headers, so node-gyp needs no download: Debian's for the
# system Node, the pinned package's include/ for the others.
if [ -f "$node_dir/include/node/node.h" ]; then
  export npm_config_nodedir="$node_dir"
elif [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
fi
export npm_config_yes=true npm_config_unsafe_perm=true npm_config_fund=false npm_config_audit=false
export npm_config_update_notifier=false

log "installing code-server@$version with Node $("$node_bin" --version) into $dest (takes several minutes)"
started=$(date +%s)
if ! (cd "$stage/pkg" && npm install --no-save --loglevel=error "$tarball" >"$stage/install.log" 2>&1); then
  tail -n 40 "$stage/install.log" >&2
  fail "npm install code-server@$version failed (full log above)"
fi

staged_bin="$stage/pkg/node_modules/.bin/code-server"
# The very first run of a fresh install sets up its own folders and has been seen to print nothing (a CI run on a
# loaded machine); a second try answers. Three tries, then the real output as the reason.
ok=false
for _ in 1 2 3; do
  if [[ "$(version_of "$staged_bin")" == "$version "* ]]; then ok=true; break; fi
  sleep 2
done
$ok || fail "code-server installed but does not run: $("$staged_bin" --version 2>&1 | tail -n 5)"

# Swap the finished install into place so an interrupted run never leaves a half-built tool behind.
rm -rf "$dest"
mv "$stage/pkg" "$dest"
log "installed in $(( $(date +%s) - started ))s at $dest"
echo "$bin"
