package accuracy

import (
	"context"
	"fmt"
	"strings"

	"github.com/parquet-go/parquet-go"

	"github.com/aiperf-exporter/aiperf-exporter/hub"
	"github.com/aiperf-exporter/aiperf-exporter/internal/parquetfile"
)

// The benchmarks are read from the Hub's parquet conversion of their
// datasets: one folder per config and split (<config>/<split>), as
// publicdata reads the speech sets.
const convertedRevision = "refs/convert/parquet"

// mmluParquetRow is a row of lighteval/mmlu: the answer is a class index.
type mmluParquetRow struct {
	Question string   `parquet:"question"`
	Choices  []string `parquet:"choices,list"`
	Answer   int64    `parquet:"answer"`
}

// gsm8kParquetRow is a row of openai/gsm8k: the answer is the worked
// solution ending in "#### <number>".
type gsm8kParquetRow struct {
	Question string `parquet:"question"`
	Answer   string `parquet:"answer"`
}

// Load reads the configured benchmark's problems from the Hub through c (so
// the cache, mirrors and offline mode apply).
func Load(ctx context.Context, c *hub.Client, cfg *Config) ([]Problem, error) {
	out, err := Benchmarks[cfg.Benchmark].load(ctx, c, cfg)
	if err != nil {
		return nil, fmt.Errorf("accuracy benchmark %s: %w", cfg.Benchmark, err)
	}
	for i := range out {
		out[i].Grader = cfg.Grader
	}
	return out, nil
}

// loadMMLU reads each subject's test split, and its dev split for the
// few-shot examples.
func loadMMLU(ctx context.Context, c *hub.Client, cfg *Config) ([]Problem, error) {
	subjects := cfg.Tasks
	if len(subjects) == 0 {
		subjects = MMLUSubjects
	}
	var out []Problem
	for _, s := range subjects {
		test, err := readSplit[mmluParquetRow](ctx, c, mmluRepo, s+"/test")
		if err != nil {
			return nil, err
		}
		var shots []Row
		if cfg.NShots > 0 {
			dev, err := readSplit[mmluParquetRow](ctx, c, mmluRepo, s+"/dev")
			if err != nil {
				return nil, err
			}
			if shots, err = mmluRows(dev); err != nil {
				return nil, fmt.Errorf("%s/dev: %w", s, err)
			}
			shots = balancedShots(shots, cfg.NShots)
		}
		rows, err := mmluRows(test)
		if err != nil {
			return nil, fmt.Errorf("%s/test: %w", s, err)
		}
		for _, r := range rows {
			out = append(out, mmluProblem(s, r, shots, cfg.CoT, cfg.SystemPrompt))
		}
	}
	return out, nil
}

func mmluRows(in []mmluParquetRow) ([]Row, error) {
	out := make([]Row, len(in))
	for i, p := range in {
		if p.Answer < 0 || int(p.Answer) >= len(p.Choices) || int(p.Answer) >= len(letters) {
			return nil, fmt.Errorf("row %d: answer %d is not one of its %d choices", i+1, p.Answer, len(p.Choices))
		}
		out[i] = Row{Question: p.Question, Choices: p.Choices, Answer: int(p.Answer)}
	}
	return out, nil
}

// loadGSM8K reads openai/gsm8k's main test split.
func loadGSM8K(ctx context.Context, c *hub.Client, cfg *Config) ([]Problem, error) {
	rows, err := readSplit[gsm8kParquetRow](ctx, c, gsm8kRepo, "main/test")
	if err != nil {
		return nil, err
	}
	out := make([]Problem, len(rows))
	for i, r := range rows {
		out[i] = gsm8kProblem(r.Question, r.Answer, cfg.SystemPrompt)
	}
	return out, nil
}

// readSplit reads every parquet file of one folder of repo's conversion.
func readSplit[T any](ctx context.Context, c *hub.Client, repo, dir string) ([]T, error) {
	var rows []T
	err := eachParquet(ctx, c, repo, dir, func(pf *parquet.File) (err error) {
		rows, err = readRows(pf, rows)
		return err
	})
	return rows, nonEmpty(len(rows), repo, dir, err)
}

// eachParquet downloads every parquet file of one folder of repo's
// conversion and hands it, opened, to read.
func eachParquet(ctx context.Context, c *hub.Client, repo, dir string, read func(*parquet.File) error) error {
	files, err := c.List(ctx, hub.Dataset, repo, convertedRevision, dir)
	if err != nil {
		return err
	}
	for _, f := range files {
		if !strings.HasSuffix(f, ".parquet") {
			continue
		}
		path, err := c.Download(ctx, hub.Dataset, repo, convertedRevision, f)
		if err != nil {
			return err
		}
		if err := parquetfile.Read(path, read); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
	}
	return nil
}

// nonEmpty is err, or an error when a folder held no question.
func nonEmpty(n int, repo, dir string, err error) error {
	if err == nil && n == 0 {
		return fmt.Errorf("no question in %s %s", repo, dir)
	}
	return err
}

// readRows appends one parquet file's rows to rows, after checking that
// the file has every column T reads (a missing one would read as empty).
func readRows[T any](pf *parquet.File, rows []T) ([]T, error) {
	for _, col := range parquet.SchemaOf(new(T)).Fields() {
		got := field(pf.Schema(), col.Name())
		if got == nil {
			return rows, fmt.Errorf("no column %s", col.Name())
		}
		if got.Leaf() != col.Leaf() || col.Leaf() && got.Type().Kind() != col.Type().Kind() {
			return rows, fmt.Errorf("column %s is not of %s's type (%s)", col.Name(), col.Name(), col.Type())
		}
	}
	return parquetfile.All(pf, rows)
}

// field is the top-level field name of s, or nil.
func field(s *parquet.Schema, name string) parquet.Field {
	for _, f := range s.Fields() {
		if f.Name() == name {
			return f
		}
	}
	return nil
}
