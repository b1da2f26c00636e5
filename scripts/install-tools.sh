#!/usr/bin/env bash
# Installs the pinned scanners and validators the test suite runs for real into
# .tools/ (nothing system-wide). Idempotent: a tool already at its pinned
# version is left alone.
set -euo pipefail

SEMGREP_VERSION=1.187.0
SARIF_MULTITOOL_VERSION=5.7.0
OSV_SCANNER_VERSION=2.2.2

cd "$(dirname "$0")/.."
tools="$PWD/.tools"
mkdir -p "$tools"

# git, which the diff, new-only and hook tests run for real (repositories,
# commits, a push to a bare remote, shallow clones). It is the system's: the
# tests need 2.31 or later (rev-parse --is-shallow-repository, --end-of-options).
if ! git --version 2>/dev/null | awk '{split($3, v, "."); exit !(v[1] > 2 || (v[1] == 2 && v[2] >= 31))}'; then
  echo "git 2.31 or later is needed: install it from your system's packages (apt-get install git)" >&2
  exit 1
fi

if [ "$("$tools/venv/bin/semgrep" --version 2>/dev/null)" != "$SEMGREP_VERSION" ]; then
  echo "installing semgrep $SEMGREP_VERSION into .tools/venv" >&2
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install --quiet --disable-pip-version-check "semgrep==$SEMGREP_VERSION"
fi

multitool="$tools/npm/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
# The Multitool prints its version on stderr.
if ! "$multitool" --version 2>&1 | grep -q "^SARIF Multitool $SARIF_MULTITOOL_VERSION"; then
  echo "installing the SARIF Multitool $SARIF_MULTITOOL_VERSION into .tools/npm" >&2
  # --ignore-scripts: the package's own install script only sets the run bit,
  # which is done below; no other script runs.
  npm install --silent --no-save --no-audit --no-fund --ignore-scripts \
    --prefix "$tools/npm" "@microsoft/sarif-multitool@$SARIF_MULTITOOL_VERSION"
  chmod +x "$multitool"
fi

# osv-scanner, built from its Go module. The tests run it offline against a
# database they build, since OSV's own cannot be downloaded here.
osv="$tools/go/bin/osv-scanner"
if ! "$osv" --version 2>/dev/null | grep -q "^osv-scanner version: $OSV_SCANNER_VERSION\$"; then
  echo "installing osv-scanner $OSV_SCANNER_VERSION into .tools/go/bin" >&2
  GOBIN="$tools/go/bin" GOFLAGS=-mod=mod \
    go install "github.com/google/osv-scanner/v2/cmd/osv-scanner@v$OSV_SCANNER_VERSION"
fi

# ZAP's core, from Maven Central, with a zap.sh that starts it as ZAP's own
# does. No scan rules: they are add-ons that no registry here serves, so the
# tests drive its API (spider, passive and active scan, alerts) for real and
# read alerts from the shared fixtures. Needs Java and Maven.
zapdir="$tools/zap"
zapstamp="zap 2.11.1, $(sha256sum scripts/zap-pom.xml | cut -c1-16)"
if [ "$(cat "$zapdir/STAMP" 2>/dev/null)" != "$zapstamp" ]; then
  echo "installing the ZAP 2.11.1 core into .tools/zap" >&2
  rm -rf "$zapdir" && mkdir -p "$zapdir"
  cp scripts/zap-pom.xml "$zapdir/pom.xml"
  (cd "$zapdir" && mvn -q -B dependency:copy-dependencies -DoutputDirectory="$zapdir/lib")
  cat > "$zapdir/zap.sh" <<'LAUNCHER'
#!/bin/sh
# Starts the ZAP core beside this file; takes zap.sh's options (-daemon, -port,
# -host, -dir, -config, -silent).
dir=$(cd "$(dirname "$0")" && pwd)
exec java -Xmx512m -cp "$dir/lib/*" org.zaproxy.zap.ZAP "$@"
LAUNCHER
  chmod +x "$zapdir/zap.sh"
  echo "$zapstamp" > "$zapdir/STAMP"
fi
