#!/usr/bin/env bash
# Installs code-server (a real VS Code in the browser) into a cached tool folder outside the project's
# dependencies, for `npm start` and the end-to-end suite. Idempotent: a working install is kept as it is.
#
#   scripts/install-code-server.sh          install if needed; the last line printed is the binary's path
#   DATAENG_TOOLS_DIR=/some/dir             where tools are cached (default ~/.cache/dataeng-tools)
#
# Why these steps: code-server builds native modules (Debian headers below), and its dependency
# @vscode/ripgrep downloads a binary at install time, which cannot work offline; its installer accepts a
# cached tarball instead, so we hand it one holding Debian's `rg`.
set -euo pipefail

version=4.100.3
ripgrep_pkg_version=1.15.11
ripgrep_asset=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

tools_dir=${DATAENG_TOOLS_DIR:-$HOME/.cache/dataeng-tools}
dest="$tools_dir/code-server-$version"
bin="$dest/node_modules/.bin/code-server"

log() { printf '[code-server] %s\n' "$*" >&2; }
fail() { printf '[code-server] error: %s\n' "$*" >&2; exit 1; }

# A working install answers --version with the expected version; anything else is rebuilt.
# The output is captured first: a pipe into `grep -q` could end code-server early and fail under pipefail.
version_of() { "$1" --version 2>/dev/null || true; }
if [ -x "$bin" ] && [[ "$(version_of "$bin")" == "$version "* ]]; then
  log "already installed ($version)"
  echo "$bin"
  exit 0
fi

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null) || fail "node is not on PATH"
[ "$node_major" = 20 ] || fail "code-server $version needs Node 20 (found $(node --version))"
command -v rg >/dev/null 2>&1 || fail "ripgrep (rg) is missing: apt-get install ripgrep (scripts/setup-test-env.sh does it)"
for pkg in libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config; do
  dpkg -s "$pkg" >/dev/null 2>&1 || fail "Debian package $pkg is missing: apt-get install $pkg (scripts/setup-test-env.sh does it)"
done

mkdir -p "$tools_dir"
stage=$(mktemp -d "$tools_dir/.code-server-$version.XXXXXX")
cleanup() { rm -rf "$stage"; }
trap cleanup EXIT

# A private TMPDIR holds the ripgrep tarball where @vscode/ripgrep's installer looks first.
export TMPDIR="$stage/tmp"
mkdir -p "$TMPDIR/vscode-ripgrep-cache-$ripgrep_pkg_version" "$stage/rg/bin"
cp "$(command -v rg)" "$stage/rg/bin/rg"
tar -czf "$TMPDIR/vscode-ripgrep-cache-$ripgrep_pkg_version/$ripgrep_asset" -C "$stage/rg/bin" rg

# Native modules compile against the local Node headers when present, so node-gyp needs no download.
if [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi
export npm_config_yes=true npm_config_unsafe_perm=true npm_config_fund=false npm_config_audit=false
export npm_config_update_notifier=false

mkdir -p "$stage/pkg"
printf '{ "name": "dataeng-code-server", "private": true }\n' >"$stage/pkg/package.json"
log "installing code-server@$version into $dest (takes several minutes)"
started=$(date +%s)
if ! (cd "$stage/pkg" && npm install --no-save --loglevel=error "code-server@$version" >"$stage/install.log" 2>&1); then
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
