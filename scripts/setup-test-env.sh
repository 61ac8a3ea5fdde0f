#!/usr/bin/env bash
# Installs and starts what the test suites need on a fresh Debian machine, and nothing more.
# Idempotent: a second run finds everything in place and returns quickly.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian packages: Chromium for browser tests; ripgrep and build headers for code-server's native modules;
# PostgreSQL server and client for the integration tests.
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
command -v psql >/dev/null 2>&1 || need+=(postgresql-client)
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
for pkg in libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  log "apt-get install ${need[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${need[@]}" >/dev/null
fi

# HypoPG for the index what-if tests, matching the installed server (Debian's postgresql-<major>-hypopg). The tests
# create the extension themselves, in a database of their own (dataeng_hypopg), never in `test`.
pgmajor=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)
if [ -n "$pgmajor" ] && ! dpkg -s "postgresql-$pgmajor-hypopg" >/dev/null 2>&1; then
  log "apt-get install postgresql-$pgmajor-hypopg"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "postgresql-$pgmajor-hypopg" >/dev/null
fi

# PostgreSQL must be up: the integration suite never skips because the server is down.
if [ -z "${DATAENG_TEST_PG_URL:-}" ]; then
  if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    log "starting PostgreSQL"
    cluster=$(ls /etc/postgresql | sort -V | tail -n 1)
    as_root pg_ctlcluster --skip-systemctl-redirect "$cluster" main start || true
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
  pg_isready -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is not reachable on 127.0.0.1:5432" >&2; exit 1; }
  psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -d postgres -c 'CREATE DATABASE test' >/dev/null
fi

# MariaDB for the MySQL/MariaDB suites (Debian's mariadb-server; MySQL 8 is not in Debian, its live tests run only
# when DATAENG_TEST_MYSQL_URL is set). The tests use their own database, dataeng_test, seeded from
# test/fixtures/mysql/seed.sql when its tables are missing; root on 127.0.0.1 without a password, as the server runs here.
if [ -z "${DATAENG_TEST_MARIADB_URL:-}" ]; then
  if ! command -v mariadbd >/dev/null 2>&1 && ! command -v mysqld >/dev/null 2>&1; then
    log "apt-get install mariadb-server"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq mariadb-server mariadb-client >/dev/null
  fi
  if ! mariadb-admin -h 127.0.0.1 -P 3306 -u root ping >/dev/null 2>&1; then
    log "starting MariaDB"
    as_root mkdir -p /run/mysqld && as_root chown mysql:mysql /run/mysqld 2>/dev/null || true
    (as_root service mariadb start >/dev/null 2>&1 || as_root sh -c 'nohup mysqld_safe >/dev/null 2>&1 &') || true
    for _ in $(seq 1 30); do mariadb-admin -h 127.0.0.1 -P 3306 -u root ping >/dev/null 2>&1 && break; sleep 1; done
  fi
  mariadb-admin -h 127.0.0.1 -P 3306 -u root ping >/dev/null || { echo "MariaDB is not reachable on 127.0.0.1:3306" >&2; exit 1; }
  if [ "$(mariadb -h 127.0.0.1 -u root -N -e "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'dataeng_test'")" -lt 7 ]; then
    log "creating the dataeng_test database"
    mariadb -h 127.0.0.1 -u root < test/fixtures/mysql/seed.sql >/dev/null
  fi
fi

# The other Nodes the SQLite suites run on (npm run test:sqlite-hosts), and code-server for the end-to-end suites: the
# oldest supported version, and the newest tested on the Node it needs (npm run test:smoke). All pinned in
# scripts/test-hosts.json, cached outside node_modules (~/.cache/dataeng-tools), each install skipped when in place.
for major in $(node -p "Object.keys(require('./scripts/test-hosts.json').node).filter((m) => m !== process.versions.node.split('.')[0]).join(' ')"); do
  bash scripts/install-node.sh "$major" >/dev/null
done
bash scripts/install-code-server.sh oldest >/dev/null
bash scripts/install-code-server.sh current >/dev/null
log "test environment ready"
