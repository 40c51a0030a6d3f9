package parquetfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/hubtest"
)

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.parquet")
	if err := os.WriteFile(good, hubtest.Parquet(t, hubtest.NewRow([]byte("RIFF"), "hello")), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.parquet")
	if err := os.WriteFile(bad, []byte("not parquet at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		want string // "" = opens
	}{
		{good, ""},
		{bad, "not a parquet file"},
		{filepath.Join(dir, "missing.parquet"), "missing.parquet"},
	}
	for _, tc := range tests {
		pf, f, err := Open(tc.path)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.path, err)
		case tc.want == "" && pf.NumRows() != 1:
			t.Errorf("%s: %d rows, want 1", tc.path, pf.NumRows())
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want %q", tc.path, err, tc.want)
		}
		if f != nil {
			f.Close()
		}
	}
}
