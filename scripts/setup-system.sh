#!/usr/bin/env bash
# Installs the system packages the test suite needs beyond npm, and only those missing, so it is
# quick and silent on a machine that already has them. Called by `npm test` (scripts/test-all.mjs)
# and by .ci/run. Debian packages only: this machine kind reaches the npm registry and Debian.
#   java    (PMD, through @salesforce/code-analyzer-pmd-engine; apex-ls for check:apex-semantics) -> openjdk-17-jre-headless
#   postgres (the PostgreSQL path of the companion's tests)      -> postgresql
#   chromium (the browser test of the package's UI)               -> chromium
set -euo pipefail

need=()
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then need+=(postgresql); fi
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

echo "setup-system: installing ${need[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo); else
    echo "setup-system: need root (or sudo) to install ${need[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "setup-system: installed ${need[*]}" >&2
