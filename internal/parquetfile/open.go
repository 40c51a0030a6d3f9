// Package parquetfile reads the parquet files datasets come in (the Hub's
// parquet conversions, baseten traces). Every read goes through it, so a
// damaged file is one error, never a crash: parquet-go panics on some.
package parquetfile

import (
	"fmt"
	"os"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/internal/boundedfile"
	"github.com/parquet-go/parquet-go"
)

// Open opens the parquet file at path, of at most maxBytes, for reading.
// Close f when done with pf. An error opening the file is boundedfile's; one
// parsing it says "not a Parquet file" or "damaged Parquet file". Errors do
// not name the file: callers name it.
// Only a regular file is opened (a named pipe would wait for a writer).
func Open(path string, maxBytes int64) (pf *parquet.File, f *os.File, err error) {
	f, size, err := boundedfile.Open(path, maxBytes)
	if err != nil {
		return nil, nil, err
	}
	if pf, err = openFile(f, size); err != nil {
		f.Close()
		return nil, nil, err
	}
	return pf, f, nil
}

func openFile(f *os.File, size int64) (pf *parquet.File, err error) {
	defer recoverDamaged(&err)
	if pf, err = parquet.OpenFile(f, size); err != nil {
		return nil, fmt.Errorf("not a Parquet file: %w", err)
	}
	return pf, nil
}

// Read opens the parquet file at path (of at most MaxBytes), hands it to
// read and closes it. Errors are Open's and read's.
func Read(path string, read func(*parquet.File) error) error {
	pf, f, err := Open(path, MaxBytes)
	if err != nil {
		return err
	}
	defer f.Close()
	return read(pf)
}

// MaxBytes bounds a parquet file Read opens: the Hub's downloads are bounded
// at 8 GiB a file.
const MaxBytes = 8 << 30

// recoverDamaged, deferred around a call into parquet-go, turns its panic
// into *err: a damaged file is bad input, not a bug here. The panic's text
// is kept on one line.
func recoverDamaged(err *error) {
	if p := recover(); p != nil {
		*err = fmt.Errorf("damaged Parquet file (%s)", strings.Join(strings.Fields(fmt.Sprint(p)), " "))
	}
}
