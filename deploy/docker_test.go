package deploy

import (
	"encoding/json"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

const repoRoot = ".."

var goEmbed = regexp.MustCompile(`(?m)^//go:embed (.+)$`)

// dockerInstruction is one Dockerfile instruction with continuations joined.
type dockerInstruction struct {
	Cmd  string // upper case: FROM, RUN, ...
	Args string
}

func parseDockerfile(t *testing.T, file string) []dockerInstruction {
	t.Helper()
	var out []dockerInstruction
	var cur strings.Builder
	for _, line := range strings.Split(string(testkit.ReadFile(t, file)), "\n") {
		trimmed := strings.TrimSpace(line)
		if cur.Len() == 0 && (trimmed == "" || strings.HasPrefix(trimmed, "#")) {
			continue
		}
		if s, ok := strings.CutSuffix(trimmed, "\\"); ok {
			cur.WriteString(s + " ")
			continue
		}
		cur.WriteString(trimmed)
		cmd, args, _ := strings.Cut(cur.String(), " ")
		out = append(out, dockerInstruction{strings.ToUpper(cmd), strings.TrimSpace(args)})
		cur.Reset()
	}
	return out
}

func TestDockerfile(t *testing.T) {
	ins := parseDockerfile(t, filepath.Join(repoRoot, "Dockerfile"))
	var froms []string
	var final []dockerInstruction // instructions of the last stage
	for _, in := range ins {
		if in.Cmd == "FROM" {
			froms = append(froms, in.Args)
			final = nil
		}
		final = append(final, in)
	}
	if len(froms) != 2 || !regexp.MustCompile(`^golang:1\.26\S* AS \w+$`).MatchString(froms[0]) {
		t.Fatalf("stages %q: want a golang:1.26 builder stage and a runtime stage", froms)
	}
	if !strings.HasPrefix(froms[1], "gcr.io/distroless/static") || !strings.HasSuffix(froms[1], ":nonroot") {
		t.Errorf("runtime base %q: want distroless static, nonroot", froms[1])
	}

	var build string
	for _, in := range ins {
		if in.Cmd == "RUN" && strings.Contains(in.Args, "go build") {
			build = in.Args
		}
	}
	if !strings.Contains(build, "CGO_ENABLED=0") {
		t.Errorf("go build %q: want CGO_ENABLED=0 for a static binary", build)
	}
	for _, v := range []string{"Version", "Revision", "Branch", "BuildUser", "BuildDate"} {
		if !strings.Contains(build, "-X github.com/prometheus/common/version."+v+"=") {
			t.Errorf("go build sets no version.%s through -ldflags", v)
		}
	}
	if !strings.Contains(build, "./cmd/aiperf-exporter") {
		t.Errorf("go build %q does not build ./cmd/aiperf-exporter", build)
	}

	want := map[string]string{"EXPOSE": "9803", "USER": "nonroot:nonroot"}
	got := map[string]string{}
	for _, in := range final {
		got[in.Cmd] = in.Args
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("runtime stage %s = %q, want %q", k, got[k], v)
		}
	}
	for k, v := range map[string][]string{"ENTRYPOINT": {"/aiperf-exporter"}, "CMD": {"serve"}} {
		var form []string
		if err := json.Unmarshal([]byte(got[k]), &form); err != nil || !slices.Equal(form, v) {
			t.Errorf("%s %s: want exec form %q", k, got[k], v)
		}
	}
}

// dockerignored reports whether a slash path is excluded by patterns
// (Docker's rules for the forms used here: globs, **/ prefixes, directories).
func dockerignored(patterns []string, p string) bool {
	segs := strings.Split(p, "/")
	for _, pat := range patterns {
		for end := 1; end <= len(segs); end++ { // p and each of its parents
			prefix := strings.Join(segs[:end], "/")
			if rest, ok := strings.CutPrefix(pat, "**/"); ok {
				for start := 0; start < end; start++ {
					if m, _ := path.Match(rest, strings.Join(segs[start:end], "/")); m {
						return true
					}
				}
			} else if m, _ := path.Match(pat, prefix); m {
				return true
			}
		}
	}
	return false
}

func TestDockerignoreKeepsBuildInputs(t *testing.T) {
	var patterns []string
	for _, l := range strings.Split(string(testkit.ReadFile(t, filepath.Join(repoRoot, ".dockerignore"))), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			patterns = append(patterns, l)
		}
	}
	for _, tc := range []struct {
		path string
		want bool
	}{
		{".git/HEAD", true}, {"probe/probe_test.go", true}, {"audio/testdata/a.wav", true},
		{"deploy/kubernetes/base/deployment.yaml", true}, {"go.mod", false}, {"probe/probe.go", false},
		// Build and run output never reaches the context.
		{"aiperf-exporter", true}, {"artifacts/m-openai-chat-concurrency1/profile_export.jsonl", true},
		{"bench/artifacts/x.json", true}, {"probe/probe.test", true}, {"cpu.prof", true}, {"cover.out", true},
		{"cmd/aiperf-exporter/main.go", false},
	} {
		if got := dockerignored(patterns, tc.path); got != tc.want {
			t.Errorf("dockerignored(%s) = %v, want %v", tc.path, got, tc.want)
		}
	}
	// Every non-test Go file, go.mod and go.sum must reach the build context.
	err := filepath.WalkDir(repoRoot, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(repoRoot, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() && (rel == ".git" || rel == ".ci") {
			return filepath.SkipDir
		}
		needed := rel == "go.mod" || rel == "go.sum" ||
			(strings.HasSuffix(rel, ".go") && !strings.HasSuffix(rel, "_test.go") && !strings.Contains(rel, "testdata/"))
		if !needed {
			return nil
		}
		if dockerignored(patterns, rel) {
			t.Errorf(".dockerignore excludes %s, which the build needs", rel)
		}
		if strings.HasSuffix(rel, ".go") {
			for _, m := range goEmbed.FindAllStringSubmatch(string(testkit.ReadFile(t, p)), -1) {
				for _, f := range strings.Fields(m[1]) {
					if e := path.Join(path.Dir(rel), f); dockerignored(patterns, e) {
						t.Errorf(".dockerignore excludes %s, embedded by %s", e, rel)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(repoRoot, "go.sum")); err != nil {
		t.Fatal(err)
	}
}
