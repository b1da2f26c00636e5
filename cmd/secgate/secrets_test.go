package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/testenv"
)

// Distinctive fake values: none of them can occur in any output by chance.
const (
	fakeGitHubToken = "ghs_FAKEgithubTOKEN0c8f2d9e7a6b5c4d3e2f1a0"
	fakeSnykToken   = "snyk-FAKE-token-51e0d7c4a9b84f2e"
	fakeZAPKey      = "zapFAKEapikey93kd72mz"
	fakeDeployPass  = "deployFAKEpassword-Ku8Qw2Xz"
	plantedSecret   = "sgFAKEplanted7Q9xK2mW4pL"
)

// leakyScanner is a hostile scanner: given the tokens in its environment, it
// prints every one of them on stderr (its log) and in its SARIF report, and
// reports the planted secret the way gitleaks does, with the value as the
// region's snippet and, worse than gitleaks, in the message too.
const leakyScanner = `#!/bin/sh
echo "debug: SNYK_TOKEN=$SNYK_TOKEN ZAP=$ZAP_API_KEY pass=$DEPLOY_PASSWORD" >&2
cat <<SARIF
{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"gitleaks","rules":[
 {"id":"generic-api-key","shortDescription":{"text":"Generic API Key"}},
 {"id":"token-echo","shortDescription":{"text":"echo $GITHUB_TOKEN"}}]}},
 "results":[
 {"ruleId":"generic-api-key","level":"error",
  "message":{"text":"generic-api-key has detected secret ` + plantedSecret + ` for file app/settings.py"},
  "locations":[{"physicalLocation":{"artifactLocation":{"uri":"app/settings.py"},
   "region":{"startLine":2,"startColumn":11,"endLine":2,"endColumn":35,
   "snippet":{"text":"` + plantedSecret + `"}}}}]},
 {"ruleId":"token-echo","level":"error",
  "message":{"text":"saw $SNYK_TOKEN and $ZAP_API_KEY and $DEPLOY_PASSWORD"},
  "locations":[{"physicalLocation":{"artifactLocation":{"uri":"app/settings.py"},
   "region":{"startLine":1}}}]}]}]}
SARIF
`

// hardcodedKeyRule makes semgrep quote the planted secret in its message.
const hardcodedKeyRule = `rules:
  - id: hardcoded-api-key
    languages: [python]
    severity: ERROR
    message: Hard-coded API key $VALUE
    metadata:
      cwe: ["CWE-798: Use of Hard-coded Credentials"]
    pattern: API_KEY = $VALUE
`

const secretsConfig = `key: demo
target: examples/demo-app
fail_on: high
secrets: [DEPLOY_PASSWORD]
scanners:
  semgrep:
    config: [rules/semgrep, rules/secrets]
  leaks:
    type: command
    format: sarif
    command: [tools/leaky.sh]
    env: [SNYK_TOKEN, ZAP_API_KEY, DEPLOY_PASSWORD, GITHUB_TOKEN]
  sbom:
    formats: [cyclonedx-json]
`

// TestSecretsNeverWritten runs a full scan with every report, verbose logs,
// the scanner logs and the GitHub Actions job summary and outputs, with fake
// tokens in the environment and a planted secret found by two scanners, and
// reads every byte secgate wrote: no token and no secret value may be in it,
// while the secret findings keep their place.
func TestSecretsNeverWritten(t *testing.T) {
	repo := demoRepo(t)
	for _, d := range []string{"rules/secrets", "tools"} {
		if err := os.MkdirAll(filepath.Join(repo, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, filepath.Join(repo, "examples/demo-app/app/settings.py"),
		"DEBUG = False\nAPI_KEY = \""+plantedSecret+"\"\n")
	writeFile(t, filepath.Join(repo, "rules/secrets/hardcoded.yaml"), hardcodedKeyRule)
	writeFile(t, filepath.Join(repo, "secgate.yaml"), secretsConfig)
	writeFile(t, filepath.Join(repo, "tools/leaky.sh"), leakyScanner)
	if err := os.Chmod(filepath.Join(repo, "tools/leaky.sh"), 0o755); err != nil {
		t.Fatal(err)
	}

	ci := t.TempDir()
	summary, outputs := filepath.Join(ci, "summary.md"), filepath.Join(ci, "outputs.txt")
	for k, v := range map[string]string{
		"GITHUB_TOKEN": fakeGitHubToken, "SNYK_TOKEN": fakeSnykToken,
		"ZAP_API_KEY": fakeZAPKey, "DEPLOY_PASSWORD": fakeDeployPass,
		"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary, "GITHUB_OUTPUT": outputs,
		"GITHUB_REPOSITORY": "acme/app", "GITHUB_SERVER_URL": "https://github.com",
		"GITHUB_RUN_ID": "7",
	} {
		t.Setenv(k, v)
	}

	res := secgate(t, repo, []string{semgrepDir(t)}, "scan", "-v", "--config", "secgate.yaml",
		"--sarif", "out/secgate.sarif", "--json", "out/secgate.json",
		"--junit", "out/junit.xml", "--out-dir", "out/artifacts")
	if res.code != 1 {
		t.Fatalf("exit code: got %d, want 1 (blocked)\nstderr:\n%s", res.code, res.stderr)
	}

	written := map[string]string{"stdout": res.stdout, "stderr": res.stderr,
		"job summary": readFile(t, summary), "step outputs": readFile(t, outputs)}
	readTree(t, filepath.Join(repo, "out"), written)
	if _, ok := written[filepath.Join(repo, "out/artifacts/logs/leaks.log")]; !ok {
		t.Fatalf("no scanner log among the outputs: %v", mapKeys(written))
	}
	values := []string{fakeGitHubToken, fakeSnykToken, fakeZAPKey, fakeDeployPass, plantedSecret}
	total := 0
	for _, text := range written {
		total += len(text)
	}
	t.Logf("searched %d outputs, %d bytes, for %d values", len(written), total, len(values))
	for name, text := range written {
		for _, v := range values {
			if i := strings.Index(text, v); i >= 0 {
				t.Errorf("%s holds %q: ...%s...", name, v,
					text[max(0, i-200):min(len(text), i+len(v)+40)])
			}
		}
	}
	if !strings.Contains(written[filepath.Join(repo, "out/artifacts/logs/leaks.log")],
		"debug: SNYK_TOKEN=[redacted]") {
		t.Errorf("scanner log lost the tool's stderr:\n%s",
			written[filepath.Join(repo, "out/artifacts/logs/leaks.log")])
	}

	// The secret findings keep their place.
	rep := readJSONReport(t, filepath.Join(repo, "out", "secgate.json"))
	lines := strings.Join(findingLines(rep), "\n")
	for _, want := range []string{
		"gitleaks generic-api-key examples/demo-app/app/settings.py:2",
		"semgrep hardcoded-api-key examples/demo-app/app/settings.py:2",
	} {
		if !strings.Contains(lines, want) {
			t.Errorf("findings lack %q:\n%s", want, lines)
		}
	}
}

func readTree(t *testing.T, dir string, into map[string]string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		into[p] = readFile(t, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func mapKeys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestEscapedSecretsNeverWritten: a secret that holds characters an output
// escapes (quotes, here) must be withheld in its escaped form too. gitleaks
// quotes a line of JSON as the secret; another tool that flags the same line
// repeats it in its message, logical location and fix, and the SARIF, JSON
// and JUnit reports each escape its quotes their own way.
func TestEscapedSecretsNeverWritten(t *testing.T) {
	dir := t.TempDir()
	leaks := filepath.Join(dir, "gitleaks.sarif")
	writeFile(t, leaks, readFile(t, testenv.Fixture(t, "gitleaks/sarif/defectdojo-v7.4.0.sarif")))

	const snippet = `      "raw_source_code_extract": "AKIAIOSFODNN7EXAMPLE",`
	quoted, err := json.Marshal(snippet)
	if err != nil {
		t.Fatal(err)
	}
	other := fmt.Sprintf(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"lint"}},
		"results":[{"ruleId":"r","message":{"text":%[1]s},
		"locations":[{"logicalLocations":[{"name":%[1]s}]}]}]}]}`, quoted)
	writeFile(t, filepath.Join(dir, "other.sarif"), other)
	writeFile(t, filepath.Join(dir, "secgate.yaml"), "key: leaks\nscanners: {}\nfail_on: low\n")

	res := secgate(t, dir, nil, "evaluate", "--config", "secgate.yaml", "--sarif", "out.sarif",
		"--json", "out.json", "--junit", "out.xml", "gitleaks.sarif", "other.sarif")
	if res.code != 1 {
		t.Fatalf("exit code: got %d, want 1 (blocked)\nstderr:\n%s", res.code, res.stderr)
	}
	written := map[string]string{"stdout": res.stdout, "stderr": res.stderr}
	for _, name := range []string{"out.sarif", "out.json", "out.xml"} {
		written[name] = readFile(t, filepath.Join(dir, name))
	}
	for name, text := range written {
		if i := strings.Index(text, "AKIAIOSFODNN7EXAMPLE"); i >= 0 {
			t.Errorf("%s holds the secret: ...%s...", name, text[max(0, i-120):i+30])
		}
	}
	if !strings.Contains(written["out.json"], "[redacted]") {
		t.Errorf("the JSON report redacted nothing:\n%s", written["out.json"])
	}
}
