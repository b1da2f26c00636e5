#!/usr/bin/env bash
# Measures secgate against the tools a user would otherwise pick, on the same
# inputs, in one run. Figures go to bench/out/results.md; bench/README.md
# explains them. Needs Go, jq, and the SARIF Multitool that
# scripts/install-tools.sh puts in .tools/. Usage:
#   bench/run.sh            # full size: 5 runs, 200k results, 2k rules
#   RESULTS=20000 bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

RESULTS=${RESULTS:-200000}
RULES=${RULES:-2000}
SLEEP=${SLEEP:-2}
out=bench/out
mkdir -p "$out"
multitool=${SARIF_MULTITOOL:-.tools/npm/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool}

go build -trimpath -o "$out/secgate" ./cmd/secgate
secgate="$PWD/$out/secgate"

# measure NAME CMD...: one line "NAME wall_s peak_rss_kb" appended to $out/times.
measure() {
  local name=$1; shift
  /usr/bin/time -f "$name %e %M" -a -o "$out/times" "$@" >/dev/null 2>"$out/$name.log" || {
    local rc=$?
    # secgate exits 1 when it blocks, which is a result, not a failure.
    [ "$rc" -eq 1 ] || { echo "$name failed ($rc), see $out/$name.log" >&2; exit 1; }
  }
}
: > "$out/times"

echo "generating SARIF: $RESULTS results, $RULES rules" >&2
rm -rf "$out/sarif"
go run ./bench/gen -out "$out/sarif" -results "$RESULTS" -rules "$RULES" >/dev/null
inputs=("$out"/sarif/tool*.sarif)
input_mb=$(du -cm "${inputs[@]}" | tail -1 | cut -f1)
printf 'key: bench\nscanners: {}\n' > "$out/bench.yaml"

echo "merge + evaluate" >&2
rm -f "$out/merged.sarif" "$out/evaluated.sarif"
measure secgate-merge "$secgate" merge -o "$out/merged.sarif" "${inputs[@]}"
measure secgate-evaluate "$secgate" evaluate --config "$out/bench.yaml" \
  --sarif "$out/evaluated.sarif" "$out/merged.sarif"
# The same gate in one step: evaluate merges the five logs as it reads them.
rm -f "$out/evaluated5.sarif"
measure secgate-evaluate-5-files "$secgate" evaluate --config "$out/bench.yaml" \
  --sarif "$out/evaluated5.sarif" "${inputs[@]}"
rm -rf "$out/multitool"
measure multitool-merge "$multitool" merge "${inputs[@]}" --output-directory "$out/multitool" \
  --output-file merged.sarif --log ForceOverwrite
measure jq-merge sh -c "jq -s '{version: .[0].version, \"\$schema\": .[0][\"\$schema\"],
  runs: (map(.runs) | add)}' ${inputs[*]} > $out/jq.sarif"

echo "start-up" >&2
"$secgate" convert --from sarif bench/out/sarif/tool1.sarif > /dev/null
small=$(mktemp --suffix=.sarif)
printf '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[]}]}' > "$small"
measure secgate-version "$secgate" version
measure secgate-evaluate-small "$secgate" evaluate --config "$out/bench.yaml" "$small"
rm -f "$small"

echo "orchestration: 4 scanners of ${SLEEP}s each" >&2
scan_dir=$(mktemp -d)
cat > "$scan_dir/slow-tool" <<TOOL
#!/bin/sh
sleep $SLEEP
printf '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"slow"}},"results":[]}]}'
TOOL
chmod +x "$scan_dir/slow-tool"
{
  echo "key: bench"
  echo "scanners:"
  for i in 1 2 3 4; do
    echo "  slow$i: {type: command, command: [$scan_dir/slow-tool], format: sarif}"
  done
} > "$scan_dir/secgate.yaml"
git -C "$scan_dir" init -q .
measure secgate-scan-4x sh -c "cd $scan_dir && $secgate scan --config secgate.yaml --jobs 4"
measure sequential-4x sh -c "for i in 1 2 3 4; do $scan_dir/slow-tool; done"
rm -rf "$scan_dir"

echo "SBOM: embedded Syft vs the syft CLI on examples/demo-app" >&2
# The syft CLI at the version secgate embeds, built from its Go module.
syft=".tools/go/bin/syft"
syft_version=$(go list -m -f '{{.Version}}' github.com/anchore/syft)
if ! "$syft" version 2>/dev/null | grep -q "${syft_version#v}"; then
  echo "building syft $syft_version into .tools/go/bin (once)" >&2
  GOBIN="$PWD/.tools/go/bin" go install "github.com/anchore/syft/cmd/syft@$syft_version"
fi
measure syft-cli "$syft" scan dir:examples/demo-app -o cyclonedx-json -q
printf 'key: bench\ntarget: examples/demo-app\nscanners:\n  sbom: {}\n' > "$out/sbom.yaml"
measure secgate-sbom "$secgate" scan --config "$out/sbom.yaml" --out-dir "$out/sbom"

{
  echo "# secgate bench, $(date -u +%F), $(nproc) cores, ${input_mb} MB of input SARIF"
  echo
  echo "| what | wall s | peak RSS MB |"
  echo "|---|---|---|"
  # time -a also writes "Command exited with non-zero status N" lines.
  awk 'NF == 3 && $2 ~ /^[0-9.]+$/ { printf "| %s | %s | %.0f |\n", $1, $2, $3/1024 }' \
    "$out/times"
} > "$out/results.md"
cat "$out/results.md"
