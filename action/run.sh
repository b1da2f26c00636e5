#!/usr/bin/env bash
# Runs secgate scan for the action. The inputs arrive as environment
# variables, never pasted into this script's text, so a value cannot turn
# into shell code. secgate itself writes the job summary, the annotations and
# the step outputs (verdict, counts, sarif); this script passes secgate's
# exit code on: 0 passed, 1 blocked, 2 could not decide.
set -uo pipefail

# A missing setting exits 2, could not decide: exit 1 would read as "blocked".
for v in SECGATE_BIN RUNNER_TEMP; do
  if [ -z "${!v:-}" ]; then
    echo "::error title=secgate::$v is not set"
    exit 2
  fi
done
bin="$SECGATE_BIN"
config="${INPUT_CONFIG:-secgate.yaml}"
sarif="$RUNNER_TEMP/secgate.sarif"

args=(scan --config "$config" --sarif "$sarif")
if [ "${INPUT_PUBLISH:-false}" = "true" ]; then
  args+=(--publish github)
fi
# args is split on white space, like a command line without quotes; put
# anything more complex in the config file.
read -r -a extra <<< "${INPUT_ARGS:-}"
args+=("${extra[@]}")

code=0
"$bin" "${args[@]}" || code=$?
if [ "$code" -ne 0 ] && [ "$code" -ne 1 ]; then
  echo "::error title=secgate::secgate could not decide (exit $code): see the log above"
fi
exit "$code"
