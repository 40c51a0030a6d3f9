package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/common/version"

	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
)

// keepVersion restores the version variables after a test changes them.
func keepVersion(t *testing.T) {
	v, r := version.Version, version.Revision
	t.Cleanup(func() { version.Version, version.Revision = v, r })
}

func TestFillVersion(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	cases := []struct {
		name               string
		ldVersion, ldRev   string // set by -ldflags
		info               *debug.BuildInfo
		ok                 bool
		wantVersion, wantR string
	}{
		{"ldflags kept", "1.2.3", "abc", &debug.BuildInfo{Main: debug.Module{Version: "v9.9.9"}, Settings: vcs("def", "false")}, true, "1.2.3", "abc"},
		{"module version and revision", "", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.3.0"}, Settings: vcs("def", "false")}, true, "v0.3.0", "def"},
		{"dirty tree", "", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20260101000000-def+dirty"}, Settings: vcs("def", "true")},
			true, "v0.0.0-20260101000000-def+dirty", "def-modified"},
		{"go run without VCS stamp", "", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, true, "devel", ""},
		{"no build info", "", "", nil, false, "devel", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			keepVersion(t)
			version.Version, version.Revision = c.ldVersion, c.ldRev
			fillVersion(func() (*debug.BuildInfo, bool) { return c.info, c.ok })
			if version.Version != c.wantVersion || version.Revision != c.wantR {
				t.Errorf("version %q revision %q, want %q %q", version.Version, version.Revision, c.wantVersion, c.wantR)
			}
		})
	}
}

// versionLine is the first line of `version`: the version is never empty.
var versionLine = regexp.MustCompile(`^aiperf-exporter, version (\S+) \(branch: .*, revision: (\S+)\)`)

func TestVersionCommand(t *testing.T) {
	var out bytes.Buffer
	if code := run([]string{"version"}, &out, &bytes.Buffer{}); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if !versionLine.MatchString(out.String()) {
		t.Errorf("version prints %q, want a version and a revision", out.String())
	}
}

// A binary built the README's way (go build, no -ldflags) names a version and,
// from a git checkout with VCS stamping, its revision.
func TestVersionWithoutLdflags(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "aiperf-exporter")
	build := exec.Command("go", "build", "-buildvcs=auto", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	m := versionLine.FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("version prints %q, want a version and a revision", out)
	}
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Logf("no git checkout (%v): revision %s not checked", err, m[2])
		return
	}
	if rev := strings.TrimSpace(string(head)); m[2] != "unknown" && !strings.HasPrefix(m[2], rev) {
		t.Errorf("revision %s, want %s", m[2], rev)
	}
}

// Requests say who sent them: User-Agent aiperf-exporter/<version>, never an
// empty version.
func TestUserAgentCarriesVersion(t *testing.T) {
	var mu sync.Mutex
	agents := map[string]bool{}
	mock := mockserver.New(mockserver.Config{OutputTokens: 2}, nil)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents[r.UserAgent()] = true
		mu.Unlock()
		mock.ServeHTTP(w, r)
	}))
	defer srv.Close()
	profileOK(t, "--model", "m", "--url", srv.URL, "--request-count", "2", "--isl", "4")
	want := "aiperf-exporter/" + version.Version
	if version.Version == "" || len(agents) != 1 || !agents[want] {
		t.Errorf("User-Agent %v, want only %q", agents, want)
	}
}
