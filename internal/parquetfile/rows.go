package parquetfile

import (
	"errors"
	"io"

	"github.com/parquet-go/parquet-go"
)

// Rows calls each on every row of pf in file order, until it says stop or
// fails. A row's values are valid only during the call: the reader reuses
// them (a value kept must be copied, as string() does).
func Rows(pf *parquet.File, each func(parquet.Row) (stop bool, err error)) error {
	r := parquet.NewReader(pf)
	defer r.Close()
	return batches(r.ReadRows, func(rows []parquet.Row) (bool, error) {
		for _, row := range rows {
			if stop, err := each(row); stop || err != nil {
				return true, err
			}
		}
		return false, nil
	})
}

// All appends every row of pf, read into a T by its parquet tags, to rows.
// Check first that pf has T's columns: a missing one reads as empty.
func All[T any](pf *parquet.File, rows []T) ([]T, error) {
	r := parquet.NewGenericReader[T](pf)
	defer r.Close()
	err := batches(r.Read, func(batch []T) (bool, error) {
		rows = append(rows, batch...)
		return false, nil
	})
	return rows, err
}

// batches hands use what read reads, a batch at a time, until read reaches
// the end or fails, or use says stop or fails. A batch is small: a row of a
// speech set holds a whole clip.
func batches[T any](read func([]T) (int, error), use func([]T) (stop bool, err error)) error {
	buf := make([]T, 16)
	for {
		n, err := guarded(read, buf)
		if stop, useErr := use(buf[:n]); stop || useErr != nil {
			return useErr
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// guarded is read(buf), a panic of parquet-go's an error.
func guarded[T any](read func([]T) (int, error), buf []T) (n int, err error) {
	defer recoverDamaged(&err)
	return read(buf)
}
