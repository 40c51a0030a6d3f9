package parquetfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/hubtest"
)

// Open reads a parquet file's footer; a file that is not one, or is not
// there, is an error saying so.
func TestOpen(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte // nil: no file
		want string // "" = opens
	}{
		{"good", hubtest.Parquet(t, hubtest.NewRow([]byte("RIFF"), "hello")), ""},
		{"text", []byte("not parquet at all"), "not a parquet file"},
		{"missing", nil, "no such file"},
	} {
		path := filepath.Join(t.TempDir(), tc.name+".parquet")
		if tc.data != nil {
			if err := os.WriteFile(path, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		pf, f, err := Open(path)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want == "" && pf.NumRows() != 1:
			t.Errorf("%s: %d rows, want 1", tc.name, pf.NumRows())
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
		if f != nil {
			f.Close()
		}
	}
}
