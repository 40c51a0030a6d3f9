// Package accuracy is AIPerf's accuracy benchmarking (--accuracy-benchmark):
// a benchmark's problems read from the Hugging Face Hub, turned into prompts
// as AIPerf builds them (few-shot examples, chain of thought, system prompt),
// each answer graded as AIPerf's grader does, and the per-task results
// summed up for the console table and accuracy_results.csv.
package accuracy

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/hub"
)

// Config is a resolved accuracy setting: every default already filled in.
type Config struct {
	Benchmark    string
	Tasks        []string // empty: every task
	NShots       int
	CoT          bool
	Grader       string
	SystemPrompt string
}

// Flags are the --accuracy-* values as given; NShots < 0 and neither CoT
// flag mean "the benchmark's default", as AIPerf's None does.
type Flags struct {
	Benchmark    string
	Tasks        []string
	NShots       int // < 0: not given
	EnableCoT    bool
	NoEnableCoT  bool
	Grader       string
	SystemPrompt string
	Verbose      bool
}

// FlagError is a bad --accuracy-* value: the flag (without dashes) and why.
type FlagError struct{ Flag, Msg string }

func (e *FlagError) Error() string { return "--" + e.Flag + ": " + e.Msg }

// benchmark is what AIPerf's registry says of a benchmark: its default
// grader, few-shot count, chain of thought and system prompt, and how its
// problems are read.
type benchmark struct {
	grader       string
	nShots       int
	maxShots     int // 0: MaxNShots
	cot          bool
	systemPrompt string // used when --accuracy-system-prompt is not given
	load         func(context.Context, *hub.Client, *Config) ([]Problem, error)
}

// Benchmarks are the benchmarks implemented here. AIPerf's others are known
// by name so that they are refused with one clear line, not as unknown.
var Benchmarks = map[string]benchmark{
	"mmlu":  {grader: "multiple_choice", nShots: 5, load: loadMMLU},
	"gsm8k": {grader: "lighteval_gsm8k", load: loadGSM8K}, // zero-shot; AIPerf ignores n-shots, CoT and tasks
	"aime":  {grader: "math", nShots: 8, cot: true, systemPrompt: aimeSystemPrompt, load: loadAIME},
	// Zero-shot, as lighteval's tasks: n-shots and CoT are ignored. AIPerf
	// grades them with lighteval's extractive match (README: differences).
	"aime24":   {grader: "math", load: loadBareProblems},
	"aime25":   {grader: "math", load: loadBareProblems},
	"math_500": {grader: "math", load: loadMATH500},
	// DeepEval's HellaSwag: no chain of thought (CoT is ignored).
	"hellaswag":    {grader: "exact_match", nShots: 10, maxShots: hellaswagMaxShots, load: loadHellaSwag},
	"gpqa_diamond": {grader: "lighteval_gpqa", load: loadGPQA}, // zero-shot: n-shots and CoT are ignored
}

// aiperfBenchmarks are every benchmark name current AIPerf accepts.
var aiperfBenchmarks = []string{"aime", "aime24", "aime25", "bfcl_ast", "bigbench", "gpqa_diamond", "gsm8k",
	"hellaswag", "lcb_codegeneration", "math_500", "mmlu", "mmlu_pro"}

// refusedBenchmarks are AIPerf's benchmarks that cannot be done here as
// AIPerf does them, with why.
var refusedBenchmarks = map[string]string{
	"bigbench": "its prompts are DeepEval's 54 bundled BIG-Bench-Hard prompt files (task descriptions and worked examples), " +
		"which are not on the Hugging Face Hub and not shipped here",
	"lcb_codegeneration": "its grader runs the model's code on this machine (lighteval's \"sandbox\" is a Python subprocess " +
		"with some functions disabled, not isolation) and unpickles the dataset's private tests",
	"bfcl_ast": "its questions ship inside the bfcl-eval Python wheel (no Hub dataset), and its prompt and AST checker " +
		"are that package's code, which AIPerf calls rather than reproduces",
}

// aiperfGraders are every grader name current AIPerf accepts.
var aiperfGraders = []string{"code_execution", "exact_match", "lighteval_expr", "lighteval_gpqa",
	"lighteval_gsm8k", "lighteval_latex", "math", "mmlu_pro", "multiple_choice", "tool_call_ast"}

// MaxNShots is AIPerf's bound on --accuracy-n-shots.
const MaxNShots = 32

// Resolve checks the flags as AIPerf's AccuracyConfig does and fills in the
// benchmark's defaults. It returns nil, nil when accuracy is off.
func Resolve(f Flags) (*Config, error) {
	if f.Benchmark == "" {
		return nil, needBenchmark(f)
	}
	b, ok := Benchmarks[f.Benchmark]
	if why, refused := refusedBenchmarks[f.Benchmark]; refused {
		return nil, &FlagError{"accuracy-benchmark", fmt.Sprintf("%q is AIPerf's but refused here: %s", f.Benchmark, why)}
	}
	if !ok {
		return nil, &FlagError{"accuracy-benchmark", notImplemented(f.Benchmark, aiperfBenchmarks, slices.Sorted(maps.Keys(Benchmarks)))}
	}
	c := &Config{Benchmark: f.Benchmark, NShots: b.nShots, CoT: b.cot, Grader: b.grader, SystemPrompt: f.SystemPrompt}
	if c.SystemPrompt == "" {
		c.SystemPrompt = b.systemPrompt
	}
	if f.NShots >= 0 {
		if f.NShots > MaxNShots {
			return nil, &FlagError{"accuracy-n-shots", fmt.Sprintf("must be between 0 and %d, got %d", MaxNShots, f.NShots)}
		}
		if b.maxShots > 0 && f.NShots > b.maxShots {
			return nil, &FlagError{"accuracy-n-shots", fmt.Sprintf("%s takes at most %d few-shot examples, got %d", f.Benchmark, b.maxShots, f.NShots)}
		}
		c.NShots = f.NShots
	}
	switch {
	case f.EnableCoT && f.NoEnableCoT:
		return nil, &FlagError{"accuracy-enable-cot", "and --accuracy-no-enable-cot contradict each other"}
	case f.EnableCoT:
		c.CoT = true
	case f.NoEnableCoT:
		c.CoT = false
	}
	if f.Grader != "" {
		if _, ok := graders[f.Grader]; !ok {
			return nil, &FlagError{"accuracy-grader", notImplemented(f.Grader, aiperfGraders, slices.Sorted(maps.Keys(graders)))}
		}
		c.Grader = f.Grader
	}
	tasks, err := checkTasks(f.Benchmark, f.Tasks)
	if err != nil {
		return nil, err
	}
	c.Tasks = tasks
	return c, nil
}

// needBenchmark is AIPerf's refusal of accuracy flags without a benchmark:
// they would otherwise be silently ignored.
func needBenchmark(f Flags) error {
	var set []string
	if len(f.Tasks) > 0 {
		set = append(set, "--accuracy-tasks")
	}
	if f.NShots >= 0 {
		set = append(set, "--accuracy-n-shots")
	}
	if f.EnableCoT || f.NoEnableCoT {
		set = append(set, "--accuracy-enable-cot")
	}
	if f.Grader != "" {
		set = append(set, "--accuracy-grader")
	}
	if f.SystemPrompt != "" {
		set = append(set, "--accuracy-system-prompt")
	}
	if f.Verbose {
		set = append(set, "--accuracy-verbose")
	}
	if len(set) == 0 {
		return nil
	}
	return &FlagError{"accuracy-benchmark", fmt.Sprintf("not set, yet %s %s set: accuracy mode needs a benchmark (available: %s)",
		strings.Join(set, ", "), map[bool]string{true: "is", false: "are"}[len(set) == 1], strings.Join(slices.Sorted(maps.Keys(Benchmarks)), ", "))}
}

func notImplemented(name string, aiperf []string, here []string) string {
	for _, a := range aiperf {
		if a == name {
			return fmt.Sprintf("%q is AIPerf's but not implemented here (available: %s)", name, strings.Join(here, ", "))
		}
	}
	return fmt.Sprintf("unknown %q (available: %s)", name, strings.Join(here, ", "))
}
