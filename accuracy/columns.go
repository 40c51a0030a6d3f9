package accuracy

import (
	"context"
	"fmt"
	"strconv"

	"github.com/parquet-go/parquet-go"

	"github.com/aiperf-exporter/aiperf-exporter/hub"
	"github.com/aiperf-exporter/aiperf-exporter/internal/parquetfile"
)

// readTextColumns reads the named top-level columns of every parquet file
// of one folder of repo's conversion, each value as Python's str() writes
// it: the mirrors of one benchmark disagree on whether an answer is a
// number or a string (AIPerf takes str(row["answer"]) of either).
func readTextColumns(ctx context.Context, c *hub.Client, repo, dir string, cols ...string) ([][]string, error) {
	var rows [][]string
	err := eachParquet(ctx, c, repo, dir, func(pf *parquet.File) (err error) {
		rows, err = readTextRows(pf, cols, rows)
		return err
	})
	return rows, nonEmpty(len(rows), repo, dir, err)
}

func readTextRows(pf *parquet.File, cols []string, rows [][]string) ([][]string, error) {
	index := map[int]int{} // leaf column index -> position in cols
	for i, name := range cols {
		leaf, ok := pf.Schema().Lookup(name)
		if !ok || leaf.MaxRepetitionLevel > 0 || len(leaf.Path) != 1 {
			return rows, fmt.Errorf("no column %s of text or numbers", name)
		}
		index[leaf.ColumnIndex] = i
	}
	err := parquetfile.Rows(pf, func(row parquet.Row) (bool, error) {
		out := make([]string, len(cols))
		for _, v := range row {
			if i, ok := index[v.Column()]; ok {
				var bad error
				if out[i], bad = pyStr(v); bad != nil {
					return true, fmt.Errorf("column %s: %w", cols[i], bad)
				}
			}
		}
		rows = append(rows, out)
		return false, nil
	})
	return rows, err
}

// pyStr is str(v) of a parquet string, integer or null (None).
func pyStr(v parquet.Value) (string, error) {
	switch {
	case v.IsNull():
		return "None", nil
	case v.Kind() == parquet.ByteArray:
		return string(v.ByteArray()), nil
	case v.Kind() == parquet.Int64:
		return strconv.FormatInt(v.Int64(), 10), nil
	case v.Kind() == parquet.Int32:
		return strconv.FormatInt(int64(v.Int32()), 10), nil
	}
	return "", fmt.Errorf("values of kind %s are neither text nor integers", v.Kind())
}
