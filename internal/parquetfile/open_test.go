package parquetfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/hubtest"
)

// open writes data (none when nil) as a parquet file and opens it.
func open(t *testing.T, data []byte) (rows int64, err error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "0000.parquet")
	if data != nil {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pf, f, err := Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return pf.NumRows(), nil
}

// Open reads a parquet file's footer; a file that is not one, or is not
// there, is an error saying so.
func TestOpen(t *testing.T) {
	if rows, err := open(t, hubtest.Parquet(t, hubtest.NewRow([]byte("RIFF"), "hello"))); rows != 1 || err != nil {
		t.Errorf("a parquet file of one row: %d rows, %v", rows, err)
	}
	if _, err := open(t, []byte("not parquet at all")); err == nil || !strings.Contains(err.Error(), "not a parquet file") {
		t.Errorf("a text file: %v, want not a parquet file", err)
	}
	if _, err := open(t, nil); !os.IsNotExist(err) {
		t.Errorf("no file: %v, want it not to exist", err)
	}
}
