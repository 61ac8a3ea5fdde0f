#!/usr/bin/env bash
# Installs a pinned Node.js binary (from the npm package node-<platform>-<arch>) into the tools cache, for the tests
# that must run on another Node than the one running npm: the SQLite suite on Node 22 and 24, where the shipped
# better-sqlite3 addon (built for Node 20) cannot load, as in desktop VS Code; and the newest code-server.
# Idempotent: a working install is kept as it is.
#
#   scripts/install-node.sh 22      the last line printed is the path of that Node's `node` binary
#   DATAENG_TOOLS_DIR=/some/dir     where tools are cached (default ~/.cache/dataeng-tools)
#
# Versions are pinned in scripts/test-hosts.json. The package also carries include/node, so node-gyp can build native
# modules (code-server's) against it without downloading headers.
set -euo pipefail
cd "$(dirname "$0")/.."

major=${1:?usage: scripts/install-node.sh MAJOR (a key of "node" in scripts/test-hosts.json)}
version=$(node -p "require('./scripts/test-hosts.json').node['$major'] || ''")
log() { printf '[node] %s\n' "$*" >&2; }
fail() { printf '[node] error: %s\n' "$*" >&2; exit 1; }
[ -n "$version" ] || fail "no Node $major pinned in scripts/test-hosts.json"

case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) fail "no Node package for $(uname -s)" ;; esac
case "$(uname -m)" in x86_64) arch=x64 ;; aarch64 | arm64) arch=arm64 ;; *) fail "no Node package for $(uname -m)" ;; esac
pkg="node-$os-$arch"

tools_dir=${DATAENG_TOOLS_DIR:-$HOME/.cache/dataeng-tools}
dest="$tools_dir/node-$version"
bin="$dest/bin/node"

if [ -x "$bin" ] && [ "$("$bin" --version 2>/dev/null || true)" = "v$version" ]; then
  log "Node $version already installed"
  echo "$bin"
  exit 0
fi

mkdir -p "$tools_dir"
stage=$(mktemp -d "$tools_dir/.node-$version.XXXXXX")
trap 'rm -rf "$stage"' EXIT
log "downloading $pkg@$version from the npm registry"
(cd "$stage" && npm pack --silent --loglevel=error "$pkg@$version" >/dev/null) || fail "npm pack $pkg@$version failed"
tar -xzf "$stage/$pkg-$version.tgz" -C "$stage"
[ "$("$stage/package/bin/node" --version)" = "v$version" ] || fail "the unpacked Node does not run"
rm -rf "$dest"
mv "$stage/package" "$dest"
log "installed Node $version at $dest"
echo "$bin"
