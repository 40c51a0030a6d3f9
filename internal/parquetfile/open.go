// Package parquetfile opens the parquet files datasets come in (the Hub's
// parquet conversions, baseten traces).
package parquetfile

import (
	"fmt"
	"os"

	"github.com/aiperf-exporter/aiperf-exporter/internal/boundedfile"
	"github.com/parquet-go/parquet-go"
)

// Open opens the parquet file at path for reading. Close f when done with
// pf. An error opening the file names it; one parsing it says "not a
// parquet file" (callers name the file).
// Only a regular file is opened (a named pipe would wait for a writer), of
// at most MaxBytes.
func Open(path string) (pf *parquet.File, f *os.File, err error) {
	f, size, err := boundedfile.Open(path, MaxBytes)
	if err != nil {
		return nil, nil, err
	}
	if pf, err = parquet.OpenFile(f, size); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("not a parquet file: %w", err)
	}
	return pf, f, nil
}

// MaxBytes bounds a parquet file opened: the Hub's downloads are bounded at
// 8 GiB a file.
const MaxBytes = 8 << 30
