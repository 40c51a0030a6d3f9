package boundedfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fileCase is a file to read, and what reading it at most 1 KiB gives.
type fileCase struct {
	name, path string
	wantLen    int
	wantErr    string
}

func TestRead(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, n int) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(strings.Repeat("x", n)), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range append([]fileCase{
		{"under", write("under", 10), 10, ""},
		{"at the limit", write("at", 1024), 1024, ""},
		{"over", write("over", 1025), 0, "larger than the limit of 1 KiB"},
		{"device", "/dev/zero", 0, "not a regular file (a device)"},
		{"directory", dir, 0, "not a regular file (a directory)"},
		{"missing", filepath.Join(dir, "none"), 0, "no such file"},
	}, specialFiles(t, dir)...) {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Read(tc.path, 1024)
			f, size, oerr := Open(tc.path, 1024)
			if oerr == nil {
				f.Close()
			}
			if (oerr == nil) != (err == nil) || (err == nil && size != int64(len(b))) {
				t.Errorf("Open: size %d, %v; Read: %d bytes, %v", size, oerr, len(b), err)
			}
			if tc.name == "missing" && !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("%v is not fs.ErrNotExist", err)
			}
			if (tc.name == "over") != errors.Is(err, ErrTooBig) || (tc.name == "over") != errors.Is(oerr, ErrTooBig) {
				t.Errorf("Read %v, Open %v: errors.Is ErrTooBig only for the file over the limit", err, oerr)
			}
			if tc.wantErr == "" {
				if err != nil || len(b) != tc.wantLen {
					t.Fatalf("got %d bytes, %v; want %d", len(b), err, tc.wantLen)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || strings.Contains(err.Error(), dir) {
				t.Fatalf("got %v, want an error with %q", err, tc.wantErr)
			}
		})
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{
		256 << 20: "256 MiB", 64 << 10: "64 KiB", 4 << 30: "4 GiB", 1000: "1000 bytes", 1536: "1536 bytes",
	} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}
