// Package parquetfile opens the parquet files datasets come in (the Hub's
// parquet conversions, baseten traces).
package parquetfile

import (
	"fmt"
	"os"

	"github.com/parquet-go/parquet-go"
)

// Open opens the parquet file at path for reading. Close f when done with
// pf. An error opening the file names it; one parsing it says "not a
// parquet file" (callers name the file).
func Open(path string) (pf *parquet.File, f *os.File, err error) {
	f, err = os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err == nil {
		if pf, err = parquet.OpenFile(f, st.Size()); err != nil {
			err = fmt.Errorf("not a parquet file: %w", err)
		}
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return pf, f, nil
}
