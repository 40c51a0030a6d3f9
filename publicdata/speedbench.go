package publicdata

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// SPEED-Bench: AIPerf caches a resolved config as
// speed-bench/<config>.jsonl in its dataset cache (DatasetCacheDir).
// SPEED-Bench on the Hub (nvidia/SPEED-Bench) holds placeholders where the
// source's licence forbids redistribution; AIPerf resolves them with
// upstream's prepare script from 14 source datasets (one gated), several GB.
// That is not done here: a config is read once AIPerf resolved it, or once a
// resolved file is placed there (AIPerf's pre-staging workflow).

// ErrUnresolved is a SPEED-Bench config with no resolved file: the name
// cannot be run here until there is one.
var ErrUnresolved = errors.New("not resolved")

// speedBenchPlaceholder is the text SPEED-Bench publishes in place of a
// prompt it may not redistribute.
const speedBenchPlaceholder = "FULL BENCHMARK DATA SHOULD BE FETCHED FROM THE SOURCE USING SPECDEC_BENCH"

var (
	speedBenchCategories = []string{"coding", "humanities", "math", "multilingual", "qa", "rag", "reasoning", "roleplay", "stem", "summarization", "writing"}
	speedBenchSizes      = []string{"1k", "2k", "8k", "16k", "32k"}
	speedBenchEntropies  = []string{"low_entropy", "mixed", "high_entropy"}
	speedBenchConfig     = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
)

// speedBench maps a SPEED-Bench name to its config and category filter, as
// AIPerf's registry: speed_bench_qualitative, speed_bench_<category> (of the
// qualitative config), speed_bench_throughput_<size>[_<entropy tier>].
func speedBench(name string) (config, category string, ok bool) {
	rest, ok := strings.CutPrefix(name, "speed_bench_")
	if !ok {
		return "", "", false
	}
	if rest == "qualitative" {
		return "qualitative", "", true
	}
	for _, c := range speedBenchCategories {
		if rest == c {
			return "qualitative", c, true
		}
	}
	for _, s := range speedBenchSizes {
		config := "throughput_" + s
		if rest == config {
			return config, "", true
		}
		for _, e := range speedBenchEntropies {
			if rest == config+"_"+e {
				return config, e, true
			}
		}
	}
	return "", "", false
}

// loadSpeedBench reads the resolved config file in dir: one conversation per
// row of the category (every row without one), each message with text one
// turn, the row's question_id its session id, as AIPerf's
// SpeedBenchPublicLoader. A row still holding the placeholder refuses the file.
func loadSpeedBench(dir, config, category string, max int) ([]Entry, error) {
	if !speedBenchConfig.MatchString(config) {
		return nil, fmt.Errorf("invalid SPEED-Bench config %q (letters, digits, '_' and '-')", config)
	}
	path := filepath.Join(dir, config+".jsonl")
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("SPEED-Bench config %s is %w: %s does not exist (its prompts come from 14 source datasets through upstream's prepare script, which is not run here; run AIPerf once with this dataset, or place its resolved file there)", config, ErrUnresolved, path)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Entry
	total := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 256<<20) // 32k-token prompts are long lines
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		total++
		var row struct {
			QuestionID string `json:"question_id"`
			Category   string `json:"category"`
			Messages   []struct {
				Content any `json:"content"`
			} `json:"messages"`
		}
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, n, err)
		}
		e := Entry{ID: row.QuestionID}
		for _, m := range row.Messages {
			text := fmt.Sprint(m.Content)
			if m.Content == nil {
				text = ""
			}
			if strings.HasPrefix(text, speedBenchPlaceholder) {
				return nil, fmt.Errorf("%s line %d still holds SPEED-Bench's placeholder text: the file is not resolved", path, n)
			}
			if strings.TrimSpace(text) != "" {
				e.Turns = append(e.Turns, Prompt{Text: text})
			}
		}
		if (category != "" && row.Category != category) || len(e.Turns) == 0 {
			continue
		}
		if max <= 0 || len(out) < max {
			out = append(out, e)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(out) == 0 && category != "" {
		return nil, fmt.Errorf("SPEED-Bench category %q matched none of the %d rows in config %s", category, total, config)
	}
	return out, nil
}
