package publicdata

import (
	"errors"
	"io"

	"github.com/aiperf-exporter/aiperf-exporter/internal/parquetfile"
	"github.com/parquet-go/parquet-go"
)

// eachRow opens the parquet file at path, hands its schema to setup, and
// calls the row function setup returns on every row in file order, until it
// says stop or fails.
func eachRow(path string, setup func(*parquet.Schema) (func(parquet.Row) (stop bool, err error), error)) error {
	pf, f, err := parquetfile.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	each, err := setup(pf.Schema())
	if err != nil {
		return err
	}
	r := parquet.NewReader(pf)
	defer r.Close()
	rows := make([]parquet.Row, 16)
	for {
		n, err := r.ReadRows(rows)
		for _, row := range rows[:n] {
			if stop, err := each(row); stop || err != nil {
				return err
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
