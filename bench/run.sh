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

# Real tools' shapes: five fixtures (Semgrep, CodeQL, Snyk Code, Trivy,
# gitleaks) with their results repeated to the same count, each keeping its
# tool's member order, rules, artifacts, code flows and property bags.
fixtures=${SECGATE_FIXTURES:-../shared/fixtures}
real_from=""
for f in semgrep/sarif/defectdojo-semgrep-oss-1.69.0.sarif codeql/sarif/defectdojo-codeql-2.5.4.sarif \
  snyk-code/sarif/defectdojo-snyk-code-issue9270.sarif trivy/sarif/ortelius-ms-validate-user.sarif \
  gitleaks/sarif/defectdojo-v7.4.0.sarif; do
  real_from+="$fixtures/$f,"
done
echo "real-tool-shaped SARIF: $RESULTS results from $fixtures" >&2
rm -rf "$out/real"
go run ./bench/gen -out "$out/real" -results "$RESULTS" -from "${real_from%,}" >/dev/null
real=("$out"/real/*.sarif)
real_mb=$(du -cm "${real[@]}" | tail -1 | cut -f1)
rm -f "$out/real-merged.sarif" "$out/real-evaluated.sarif"
measure real-secgate-merge "$secgate" merge -o "$out/real-merged.sarif" "${real[@]}"
measure real-secgate-evaluate "$secgate" evaluate --config "$out/bench.yaml" \
  --sarif "$out/real-evaluated.sarif" "$out/real-merged.sarif"
rm -rf "$out/real-multitool"
measure real-multitool-merge "$multitool" merge "${real[@]}" \
  --output-directory "$out/real-multitool" --output-file merged.sarif --log ForceOverwrite
measure real-jq-merge sh -c "jq -s '{version: .[0].version, \"\$schema\": .[0][\"\$schema\"],
  runs: (map(.runs) | add)}' ${real[*]} > $out/real-jq.sarif"

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
# A syft built by go install reports no version, so a stamp file records it.
if [ "$(cat "$syft.version" 2>/dev/null)" != "$syft_version" ] || [ ! -x "$syft" ]; then
  echo "building syft $syft_version into .tools/go/bin (once)" >&2
  GOBIN="$PWD/.tools/go/bin" go install "github.com/anchore/syft/cmd/syft@$syft_version"
  echo "$syft_version" > "$syft.version"
fi
measure syft-cli "$syft" scan dir:examples/demo-app -o cyclonedx-json -q
printf 'key: bench\ntarget: examples/demo-app\nscanners:\n  sbom: {}\n' > "$out/sbom.yaml"
measure secgate-sbom "$secgate" scan --config "$out/sbom.yaml" --out-dir "$out/sbom"

{
  echo "# secgate bench, $(date -u +%F), $(nproc) cores"
  echo
  echo "Generated SARIF: ${input_mb} MB. Real-tool-shaped SARIF (real-*): ${real_mb} MB."
  echo
  echo "| what | wall s | peak RSS MB |"
  echo "|---|---|---|"
  # time -a also writes "Command exited with non-zero status N" lines.
  awk 'NF == 3 && $2 ~ /^[0-9.]+$/ { printf "| %s | %s | %.0f |\n", $1, $2, $3/1024 }' \
    "$out/times"
  echo
  echo "Side by side: wall time, throughput over the input, peak RSS; then secgate's speed-up"
  echo "over the Multitool and its share of the Multitool's memory."
  echo
  echo "| input | secgate merge + evaluate | SARIF Multitool merge | jq -s | speed-up | memory |"
  echo "|---|---|---|---|---|---|"
  awk -v gen="$input_mb" -v real="$real_mb" '
    NF == 3 && $2 ~ /^[0-9.]+$/ { t[$1] = $2; m[$1] = $3 / 1024 }
    function cell(s, mb, rss) { return sprintf("%.2f s, %.0f MB/s, %.0f MB", s, mb / s, rss) }
    function row(label, p, mb,    s, rss) {
      s = t[p "secgate-merge"] + t[p "secgate-evaluate"]
      rss = m[p "secgate-merge"] > m[p "secgate-evaluate"] ? m[p "secgate-merge"] : m[p "secgate-evaluate"]
      printf "| %s, %d MB | %s | %s | %s | %.1fx | %.0f %% |\n", label, mb, cell(s, mb, rss),
        cell(t[p "multitool-merge"], mb, m[p "multitool-merge"]),
        cell(t[p "jq-merge"], mb, m[p "jq-merge"]),
        t[p "multitool-merge"] / s, 100 * rss / m[p "multitool-merge"]
    }
    END { row("generated", "", gen); row("real-tool-shaped", "real-", real) }' "$out/times"
} > "$out/results.md"
cat "$out/results.md"
