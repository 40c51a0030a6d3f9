package accuracy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/parquet-go/parquet-go"

	"github.com/aiperf-exporter/aiperf-exporter/hub"
)

// The Hub's parquet conversion of lighteval/mmlu: one folder per subject and
// split (<subject>/test, <subject>/dev), as publicdata reads the speech sets.
const mmluRevision = "refs/convert/parquet"

// mmluParquetRow is a row of lighteval/mmlu: the answer is a class index.
type mmluParquetRow struct {
	Question string   `parquet:"question"`
	Choices  []string `parquet:"choices,list"`
	Answer   int64    `parquet:"answer"`
}

// Load reads the configured benchmark's problems from the Hub through c (so
// the cache, mirrors and offline mode apply), subject by subject.
func Load(ctx context.Context, c *hub.Client, cfg *Config) ([]Problem, error) {
	subjects := cfg.Tasks
	if len(subjects) == 0 {
		subjects = MMLUSubjects
	}
	var out []Problem
	for _, s := range subjects {
		test, err := readSplit(ctx, c, s, "test")
		if err != nil {
			return nil, err
		}
		var shots []Row
		if cfg.NShots > 0 {
			dev, err := readSplit(ctx, c, s, "dev")
			if err != nil {
				return nil, err
			}
			shots = balancedShots(dev, cfg.NShots)
		}
		for _, r := range test {
			p := mmluProblem(s, r, shots, cfg.CoT, cfg.SystemPrompt)
			p.Grader = cfg.Grader
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("accuracy benchmark %s: no question in %s", cfg.Benchmark, mmluRepo)
	}
	return out, nil
}

// readSplit reads every parquet file of one subject's split.
func readSplit(ctx context.Context, c *hub.Client, subject, split string) ([]Row, error) {
	dir := subject + "/" + split
	files, err := c.List(ctx, hub.Dataset, mmluRepo, mmluRevision, dir)
	if err != nil {
		return nil, fmt.Errorf("accuracy benchmark mmlu: %w", err)
	}
	var rows []Row
	for _, f := range files {
		if !strings.HasSuffix(f, ".parquet") {
			continue
		}
		path, err := c.Download(ctx, hub.Dataset, mmluRepo, mmluRevision, f)
		if err != nil {
			return nil, fmt.Errorf("accuracy benchmark mmlu: %w", err)
		}
		if rows, err = readRows(path, rows); err != nil {
			return nil, fmt.Errorf("accuracy benchmark mmlu: %s: %w", f, err)
		}
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("accuracy benchmark mmlu: no question in %s %s", mmluRepo, dir)
	}
	return rows, nil
}

// readRows appends one parquet file's questions to rows.
func readRows(path string, rows []Row) ([]Row, error) {
	f, err := os.Open(path)
	if err != nil {
		return rows, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return rows, err
	}
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		return rows, fmt.Errorf("not a parquet file: %w", err)
	}
	for _, col := range []string{"question", "choices", "answer"} {
		if _, ok := pf.Schema().Lookup(col); !ok {
			if _, ok := pf.Schema().Lookup(col, "list", "element"); !ok {
				return rows, fmt.Errorf("no column %s", col)
			}
		}
	}
	r := parquet.NewGenericReader[mmluParquetRow](pf)
	defer r.Close()
	buf := make([]mmluParquetRow, 64)
	for {
		n, err := r.Read(buf)
		for _, p := range buf[:n] {
			if p.Answer < 0 || int(p.Answer) >= len(p.Choices) || int(p.Answer) >= len(letters) {
				return rows, fmt.Errorf("row %d: answer %d is not one of its %d choices", len(rows)+1, p.Answer, len(p.Choices))
			}
			rows = append(rows, Row{Question: p.Question, Choices: p.Choices, Answer: int(p.Answer)})
		}
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
	}
}
