package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// profileWarnsOnce runs a two-request mock profile with an upload's flags
// whose upload fails, and checks that the failure costs one warning line
// (containing warning) while the exit code and the exports stand.
func profileWarnsOnce(t *testing.T, warning string, flags ...string) {
	t.Helper()
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	args := append([]string{"--mock", "--model", "m", "--request-count", "2", "--artifact-dir", dir}, flags...)
	if code := profile(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if n := strings.Count(stdout.String(), warning); n != 1 {
		t.Errorf("%d warnings %q, want 1:\n%s", n, warning, stdout.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "profile_export_aiperf.json")); err != nil {
		t.Error(err)
	}
}

// profileUploads runs a three-request streaming mock profile with an
// upload's flags, its --url carrying a password the upload must hide, and
// fails the test unless it exits 0. It returns the artifact directory and
// all that was printed.
func profileUploads(t *testing.T, flags ...string) (dir, printed string) {
	t.Helper()
	dir = t.TempDir()
	var stdout, stderr bytes.Buffer
	args := append([]string{"--mock", "--model", "m", "--streaming", "--request-count", "3", "--osl", "3", "--concurrency", "2",
		"--artifact-dir", dir, "--url", "http://user:pw@127.0.0.1:1"}, flags...)
	if code := profile(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, stderr.String(), stdout.String())
	}
	return dir, stdout.String() + stderr.String()
}

// onlyRun is the one run (or artifact) a fake upload server holds.
func onlyRun[R any](t *testing.T, runs map[string]R) R {
	t.Helper()
	if len(runs) != 1 {
		t.Fatalf("%d held, want 1", len(runs))
	}
	for _, r := range runs {
		return r
	}
	panic("unreachable")
}
