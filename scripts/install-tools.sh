#!/usr/bin/env bash
# Installs the pinned scanners and validators the test suite runs for real into
# .tools/ (nothing system-wide). Idempotent: a tool already at its pinned
# version is left alone.
set -euo pipefail

SEMGREP_VERSION=1.187.0
SARIF_MULTITOOL_VERSION=5.7.0

cd "$(dirname "$0")/.."
tools="$PWD/.tools"
mkdir -p "$tools"

if [ "$("$tools/venv/bin/semgrep" --version 2>/dev/null)" != "$SEMGREP_VERSION" ]; then
  echo "installing semgrep $SEMGREP_VERSION into .tools/venv" >&2
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install --quiet --disable-pip-version-check "semgrep==$SEMGREP_VERSION"
fi

multitool="$tools/npm/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if ! "$multitool" --version 2>/dev/null | grep -q "^SARIF Multitool $SARIF_MULTITOOL_VERSION"; then
  echo "installing the SARIF Multitool $SARIF_MULTITOOL_VERSION into .tools/npm" >&2
  # --ignore-scripts: the package's own install script only sets the run bit,
  # which is done below; no other script runs.
  npm install --silent --no-save --no-audit --no-fund --ignore-scripts \
    --prefix "$tools/npm" "@microsoft/sarif-multitool@$SARIF_MULTITOOL_VERSION"
  chmod +x "$multitool"
fi
