package git

import (
	"context"
	"strings"
	"testing"

	"github.com/secgate/secgate/pkg/git/gittest"
)

func TestShowFile(t *testing.T) {
	gittest.Isolate(t)
	r := gittest.Init(t)
	r.Commit("strict", map[string]string{"conf/secgate.yaml": "fail_on: high\n"})
	r.Run("branch", "base")
	r.Commit("weaker", map[string]string{"conf/secgate.yaml": "fail_on: critical\n"})
	repo := &Repo{Dir: r.Dir}

	tests := []struct {
		name, rev, path, want, err string
	}{
		{name: "base branch", rev: "base", path: "conf/secgate.yaml", want: "fail_on: high\n"},
		{name: "head", rev: "HEAD", path: "conf/secgate.yaml", want: "fail_on: critical\n"},
		{name: "no such rev", rev: "nope", path: "conf/secgate.yaml",
			err: "nope is not a commit here"},
		{name: "rev like an option", rev: "--output=/tmp/x", path: "conf/secgate.yaml",
			err: "is not a commit here"},
		{name: "no such file", rev: "base", path: "secgate.yaml",
			err: "base has no file secgate.yaml (file does not exist)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := repo.ShowFile(context.Background(), tt.rev, tt.path)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("ShowFile: got %v, want an error containing %q", err, tt.err)
				}
				return
			}
			if err != nil || string(got) != tt.want {
				t.Errorf("ShowFile: got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
