package httpclient

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// A secret file is read trimmed; one larger than any credential (a device
// that never ends, a file given by mistake) is refused, naming the file and
// never showing its content.
func TestReadSecretFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string { return testkit.WriteFile(t, dir, name, content) }
	for _, tc := range []struct {
		name, path, want, wantErr string
	}{
		{"token", write("token", " s3cr3t\n"), "s3cr3t", ""},
		{"largest", write("largest", strings.Repeat("k", maxSecretFileBytes)), strings.Repeat("k", maxSecretFileBytes), ""},
		{"too large", write("big", "s3cr3t"+strings.Repeat("k", maxSecretFileBytes)), "", "big: larger than the limit of 64 KiB"},
		{"never ends", "/dev/zero", "", "secret file /dev/zero: not a regular file (a device)"},
		{"missing", filepath.Join(dir, "none"), "", "none: no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadSecretFile(tc.path)
			if tc.wantErr == "" {
				if err != nil || got != tc.want {
					t.Fatalf("got %.20q, %v; want %.20q", got, err, tc.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || strings.Contains(err.Error(), "s3cr3t") {
				t.Fatalf("got %v, want an error with %q and no secret", err, tc.wantErr)
			}
		})
	}
}
