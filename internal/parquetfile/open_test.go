package parquetfile

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/hubtest"
	"github.com/parquet-go/parquet-go"
)

// write writes data (none when nil) as the file 0000.parquet and returns its path.
func write(t *testing.T, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "0000.parquet")
	if data != nil {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// open writes data as a parquet file and opens it.
func open(t *testing.T, data []byte, maxBytes int64) (rows int64, err error) {
	t.Helper()
	pf, f, err := Open(write(t, data), maxBytes)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return pf.NumRows(), nil
}

// Open reads a parquet file's footer; a file that is not one, is damaged,
// is too big or is not there is an error saying so, on one line.
func TestOpen(t *testing.T) {
	good := hubtest.Parquet(t, hubtest.NewRow([]byte("RIFF"), "hello"))
	if rows, err := open(t, good, MaxBytes); rows != 1 || err != nil {
		t.Errorf("a parquet file of one row: %d rows, %v", rows, err)
	}
	for _, tc := range []struct {
		name     string
		data     []byte
		maxBytes int64
		want     string
	}{
		{"a text file", []byte("not parquet at all"), MaxBytes, "not a Parquet file"},
		{"a damaged file", hubtest.Damaged(t, good), MaxBytes, "damaged Parquet file ("},
		{"over the bound", good, 10, "larger than the limit of 10 bytes"},
	} {
		_, err := open(t, tc.data, tc.maxBytes)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v, want one line saying %s", tc.name, err, tc.want)
		}
	}
	if _, err := open(t, nil, MaxBytes); !os.IsNotExist(err) {
		t.Errorf("no file: %v, want it not to exist", err)
	}
}

// rowsOf writes rows as a parquet file and reads its texts back through
// Read and Rows, stopping after stopAt rows (0: never).
func rowsOf(t *testing.T, data []byte, stopAt int) (texts []string, err error) {
	t.Helper()
	err = Read(write(t, data), func(pf *parquet.File) error {
		text, _ := pf.Schema().Lookup("text")
		return Rows(pf, func(row parquet.Row) (bool, error) {
			for _, v := range row {
				if v.Column() == text.ColumnIndex {
					texts = append(texts, string(v.ByteArray()))
				}
			}
			return len(texts) == stopAt, nil
		})
	})
	return texts, err
}

// Rows reads every row in order across batches, and stops when told.
func TestRows(t *testing.T) {
	var rows []hubtest.Row
	var want []string
	for i := range 40 { // more than one batch
		text := strings.Repeat("x", i+1)
		rows = append(rows, hubtest.NewRow(nil, text))
		want = append(want, text)
	}
	data := hubtest.Parquet(t, rows...)
	for _, stopAt := range []int{0, 1, 16, 17, 40} {
		got, err := rowsOf(t, data, stopAt)
		n := len(want)
		if stopAt > 0 {
			n = stopAt
		}
		if err != nil || strings.Join(got, ",") != strings.Join(want[:n], ",") {
			t.Errorf("stop at %d: %d rows, %v", stopAt, len(got), err)
		}
	}
}

// All reads every row into a struct by its parquet tags.
func TestAll(t *testing.T) {
	rows := []hubtest.MMLURow{{Question: "a?", Choices: []string{"x", "y"}, Answer: 1}, {Question: "b?", Answer: 0}}
	var got []hubtest.MMLURow
	err := Read(write(t, hubtest.Parquet(t, rows...)), func(pf *parquet.File) (err error) {
		got, err = All(pf, got)
		return err
	})
	if err != nil || len(got) != 2 || got[0].Question != "a?" || got[0].Choices[1] != "y" || got[1].Question != "b?" {
		t.Errorf("rows %+v, %v", got, err)
	}
}

// No damaged file makes a read panic: a file cut short, or with any one
// byte flipped, is an error on one line or rows read (before the guard, the
// flips that hubtest.Damaged finds crashed the process).
func TestDamagedNeverPanics(t *testing.T) {
	var rows []hubtest.MMLURow
	for i := range 20 {
		rows = append(rows, hubtest.MMLURow{Question: strings.Repeat("q", i), Subject: "s", Choices: []string{"a", "b"}, Answer: int64(i)})
	}
	data := hubtest.Parquet(t, rows...)
	var damaged [][]byte
	for _, cut := range []int{10, len(data) / 2, len(data) - 9} {
		damaged = append(damaged, data[:cut])
	}
	for i := 4; i < len(data)-8; i++ {
		bad := bytes.Clone(data)
		bad[i] ^= 0xff
		damaged = append(damaged, bad)
	}
	path := filepath.Join(t.TempDir(), "damaged.parquet")
	for i, data := range damaged {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		err := Read(path, func(pf *parquet.File) error {
			if err := Rows(pf, func(parquet.Row) (bool, error) { return false, nil }); err != nil {
				return err
			}
			_, err := All(pf, []hubtest.MMLURow(nil))
			return err
		})
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("damaged file %d: an error of more than one line: %v", i, err)
		}
	}
}
