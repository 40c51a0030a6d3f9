package accuracy

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aiperf-exporter/aiperf-exporter/hub"
	"github.com/aiperf-exporter/aiperf-exporter/internal/hubtest"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

func TestResolve(t *testing.T) {
	unset := Flags{NShots: -1}
	with := func(f func(*Flags)) Flags { g := Flags{Benchmark: "mmlu", NShots: -1}; f(&g); return g }
	tests := []struct {
		name    string
		flags   Flags
		want    *Config
		errFlag string
		errHas  string
	}{
		{"off", unset, nil, "", ""},
		{"defaults of mmlu", with(func(*Flags) {}), &Config{Benchmark: "mmlu", NShots: 5, Grader: "multiple_choice"}, "", ""},
		{"zero shot", with(func(f *Flags) { f.NShots = 0 }), &Config{Benchmark: "mmlu", NShots: 0, Grader: "multiple_choice"}, "", ""},
		{"cot, grader, tasks, system", with(func(f *Flags) {
			f.EnableCoT, f.Grader, f.Tasks, f.SystemPrompt = true, "exact_match", []string{"anatomy,virology", "astronomy"}, "Be brief."
		}), &Config{Benchmark: "mmlu", NShots: 5, CoT: true, Grader: "exact_match", Tasks: []string{"anatomy", "virology", "astronomy"}, SystemPrompt: "Be brief."}, "", ""},
		{"all tasks", with(func(f *Flags) { f.Tasks = []string{"anatomy", "all"} }), &Config{Benchmark: "mmlu", NShots: 5, Grader: "multiple_choice"}, "", ""},
		{"n shots too many", with(func(f *Flags) { f.NShots = 33 }), nil, "accuracy-n-shots", "between 0 and 32"},
		{"both cot flags", with(func(f *Flags) { f.EnableCoT, f.NoEnableCoT = true, true }), nil, "accuracy-enable-cot", "contradict"},
		{"unknown subject", with(func(f *Flags) { f.Tasks = []string{"cooking"} }), nil, "accuracy-tasks", `"cooking"`},
		{"aiperf benchmark not here", Flags{Benchmark: "mmlu_pro", NShots: -1}, nil, "accuracy-benchmark", "AIPerf's but not implemented here (available: aime, aime24, aime25, gpqa_diamond, gsm8k, hellaswag, math_500, mmlu)"},
		{"code execution refused", Flags{Benchmark: "lcb_codegeneration", NShots: -1}, nil, "accuracy-benchmark", "refused here: its grader runs the model's code on this machine"},
		{"bigbench refused", Flags{Benchmark: "bigbench", NShots: -1}, nil, "accuracy-benchmark", "refused here: its prompts are DeepEval's"},
		{"bfcl refused", Flags{Benchmark: "bfcl_ast", NShots: -1}, nil, "accuracy-benchmark", "refused here: its questions ship inside the bfcl-eval"},
		{"aime's defaults", Flags{Benchmark: "aime", NShots: -1}, &Config{Benchmark: "aime", NShots: 8, CoT: true, Grader: "math", SystemPrompt: aimeSystemPrompt}, "", ""},
		{"aime's system prompt replaced", Flags{Benchmark: "aime", NShots: 0, NoEnableCoT: true, SystemPrompt: "Go."}, &Config{Benchmark: "aime", Grader: "math", SystemPrompt: "Go."}, "", ""},
		{"hellaswag tasks by label or enum name", Flags{Benchmark: "hellaswag", NShots: -1, Tasks: []string{"applying SUNSCREEN", "ping_pong,CARS_AND_OTHER_VEHICLES"}},
			&Config{Benchmark: "hellaswag", NShots: 10, Grader: "exact_match", Tasks: []string{"Applying sunscreen", "Ping-pong", "Cars & Other Vehicles"}}, "", ""},
		{"hellaswag all", Flags{Benchmark: "hellaswag", NShots: 15, Tasks: []string{"Zumba", "ALL"}}, &Config{Benchmark: "hellaswag", NShots: 15, Grader: "exact_match"}, "", ""},
		{"hellaswag n shots over 15", Flags{Benchmark: "hellaswag", NShots: 16}, nil, "accuracy-n-shots", "hellaswag takes at most 15"},
		{"hellaswag unknown task", Flags{Benchmark: "hellaswag", NShots: -1, Tasks: []string{"Juggling"}}, nil, "accuracy-tasks", `unknown hellaswag task "Juggling"`},
		{"math_500 zero-shot", Flags{Benchmark: "math_500", NShots: -1}, &Config{Benchmark: "math_500", Grader: "math"}, "", ""},
		{"gsm8k ignores tasks, zero-shot", Flags{Benchmark: "gsm8k", NShots: -1, Tasks: []string{"anything"}}, &Config{Benchmark: "gsm8k", Grader: "lighteval_gsm8k"}, "", ""},
		{"unknown benchmark", Flags{Benchmark: "nope", NShots: -1}, nil, "accuracy-benchmark", `unknown "nope"`},
		{"aiperf grader not here", with(func(f *Flags) { f.Grader = "lighteval_latex" }), nil, "accuracy-grader", "AIPerf's but not implemented here (available: exact_match, lighteval_gpqa, lighteval_gsm8k, math, mmlu_pro, multiple_choice)"},
		{"flags without benchmark", Flags{NShots: 3, Tasks: []string{"anatomy"}}, nil, "accuracy-benchmark", "--accuracy-tasks, --accuracy-n-shots are set"},
		{"verbose without benchmark", Flags{NShots: -1, Verbose: true}, nil, "accuracy-benchmark", "--accuracy-verbose is set"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Resolve(tc.flags)
			if tc.errFlag != "" {
				var fe *FlagError
				if !errors.As(err, &fe) || fe.Flag != tc.errFlag || !strings.Contains(fe.Msg, tc.errHas) {
					t.Fatalf("error %v, want --%s ... %s", err, tc.errFlag, tc.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (got == nil) != (tc.want == nil) || got != nil && (got.Benchmark != tc.want.Benchmark || got.NShots != tc.want.NShots ||
				got.CoT != tc.want.CoT || got.Grader != tc.want.Grader || strings.Join(got.Tasks, ",") != strings.Join(tc.want.Tasks, ",") || got.SystemPrompt != tc.want.SystemPrompt) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestGraders(t *testing.T) {
	tests := []struct {
		grader, response, gold string
		correct, unparsed      bool
		extracted              string
	}{
		{"multiple_choice", " B", " B", true, false, "B"},
		{"multiple_choice", "B\n\nQuestion: next", " B", true, false, "B"},
		{"multiple_choice", " C", " B", false, false, "C"},
		// Chain of thought echoing the options: the explicit statement wins.
		{"multiple_choice", "A. 0, B. 4, C. 2, D. 6\nso the answer is (B)", " B", true, false, "B"},
		{"multiple_choice", "maybe the answer is A ... no, the answer is (D).", " D", true, false, "D"},
		{"multiple_choice", "Reasoning...\nAnswer: C", " C", true, true, "C"},
		{"multiple_choice", "I pick (B).", " B", true, true, "B"},
		{"multiple_choice", "Hmm\nlong text ending with D", " D", true, true, "D"},
		{"multiple_choice", "BAD", " B", false, true, "BAD"},
		{"multiple_choice", "", " A", false, true, ""},
		{"exact_match", " A ", " A", true, false, "A"},
		{"exact_match", "a", " A", false, false, "a"},
		{"exact_match", "  ", " A", false, true, ""},
		{"lighteval_gsm8k", "She pays 3 * 6 = 18.\n#### 18", "18 dollars\n#### 18", true, false, "18"},
		{"lighteval_gsm8k", "So the answer is 1,200.0.", "x #### 1,200", true, true, "1200.0"},
		{"lighteval_gsm8k", "#### 17", "#### 18", false, false, "17"},
		{"lighteval_gsm8k", "no idea", "#### 18", false, true, "[invalid]"},
		{"lighteval_gsm8k", "#### 18", "no marker", false, false, "18"},
		{"mmlu_pro", "so the answer is (J)", "J", true, false, "J"},
		{"mmlu_pro", "Answer: G", "G", true, true, "G"},
		{"mmlu_pro", "nothing here", "A", false, true, ""},
	}
	for _, tc := range tests {
		g := GradeAnswer(tc.grader, tc.response, tc.gold)
		if g.Correct != tc.correct || g.Unparsed != tc.unparsed || g.Extracted != tc.extracted {
			t.Errorf("%s(%q, %q) = %+v, want correct %v unparsed %v extracted %q", tc.grader, tc.response, tc.gold, g, tc.correct, tc.unparsed, tc.extracted)
		}
	}
}

// TestMMLUPrompt holds the chat messages to AIPerf's _build_chat_messages
// for MMLU (src/aiperf/accuracy/benchmarks/mmlu.py), byte for byte.
func TestMMLUPrompt(t *testing.T) {
	row := Row{Question: "What is 2+2?", Choices: []string{"3", "4", "5", "6"}, Answer: 1}
	shot := Row{Question: "What is 1+1?", Choices: []string{"2", "3", "4", "5"}, Answer: 0}
	p := mmluProblem("high_school_mathematics", row, []Row{shot}, false, "")
	want := []Message{
		{"user", "The following are multiple choice questions (with answers) about high school mathematics.\n\nQuestion: What is 1+1?\nA. 2\nB. 3\nC. 4\nD. 5\nAnswer:"},
		{"assistant", " A"},
		{"user", "Question: What is 2+2?\nA. 3\nB. 4\nC. 5\nD. 6\nAnswer:"},
	}
	if !slices.Equal(p.Messages, want) || p.Gold != " B" || p.MaxTokens != 5 || p.Task != "high_school_mathematics" {
		t.Errorf("few-shot problem %+v", p)
	}
	p = mmluProblem("anatomy", row, nil, true, "Be brief.")
	want = []Message{
		{"system", "Be brief."},
		{"user", "The following are multiple choice questions (with answers) about anatomy. Think step by step and then output the answer in the format of \"The answer is (X)\" at the end.\n\nQuestion: What is 2+2?\nA. 3\nB. 4\nC. 5\nD. 6\nLet's think step by step.\nAnswer:"},
	}
	if !slices.Equal(p.Messages, want) || p.MaxTokens != 4000 {
		t.Errorf("zero-shot CoT problem %+v", p)
	}
}

// TestBalancedShots holds the few-shot picks to those of AIPerf's
// _balanced_sample_indices (benchmarks/mmlu.py, Python's random.Random(0))
// on the same 20 dev questions, printed by running that algorithm in CPython.
func TestBalancedShots(t *testing.T) {
	golds := []int{0, 1, 2, 3, 0, 0, 1, 2, 2, 3, 0, 1, 3, 3, 0, 2, 1, 0, 3, 2}
	var dev []Row
	for i, g := range golds {
		dev = append(dev, Row{Question: fmt.Sprintf("q%d", i), Answer: g,
			Choices: []string{fmt.Sprintf("x%d", i%3), fmt.Sprintf("y%d", i%2), "z", fmt.Sprintf("w%d", i%4)}})
	}
	for _, tc := range []struct {
		n    int
		want string
	}{
		{1, "15"},
		{5, "15,14,16,13,4"},
		{8, "15,14,16,13,4,1,12,18"},
		{19, "15,14,16,13,4,1,12,18,0,3,7,17,6,9,10,11,19,5,8"},
		{25, "15,14,16,13,4,1,12,18,0,3,7,17,6,9,10,11,19,5,8,2"},
	} {
		var got []string
		for _, r := range balancedShots(dev, tc.n) {
			got = append(got, strings.TrimPrefix(r.Question, "q"))
		}
		if strings.Join(got, ",") != tc.want {
			t.Errorf("%d shots: %v, want %s", tc.n, got, tc.want)
		}
	}
	if balancedShots(dev, 0) != nil {
		t.Error("shots for n = 0")
	}
}

// TestPyRandom holds the generator to CPython's random.Random(0).
func TestPyRandom(t *testing.T) {
	r := newPyRandom(0)
	for _, want := range []uint32{3626764237, 1654615998, 3255389356} { // [r.getrandbits(32) for _ in range(3)]
		if got := r.uint32(); got != want {
			t.Fatalf("getrandbits(32) = %d, want %d", got, want)
		}
	}
	r = newPyRandom(0)
	x := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	r.shuffle(len(x), func(i, j int) { x[i], x[j] = x[j], x[i] })
	var draws []int
	for range 8 {
		draws = append(draws, r.below(7))
	}
	if fmt.Sprint(x, draws) != "[7 8 1 5 3 4 2 0 9 6] [2 4 1 4 1 2 1 6]" { // shuffle(range(10)), randrange(7) x 8
		t.Errorf("shuffle %v, randrange %v", x, draws)
	}
}

// TestLoadFromFakeHub reads two subjects' test and dev splits from the
// Hub's parquet conversion of lighteval/mmlu, served by a fake Hub.
func TestLoadFromFakeHub(t *testing.T) {
	base := "datasets/lighteval/mmlu/"
	endpoint := hubtest.New(t, map[string][]byte{
		base + "anatomy/test/0000.parquet": hubtest.Parquet(t,
			hubtest.MMLURow{Question: "Bones in the adult body?", Choices: []string{"206", "300", "12", "1"}, Answer: 0},
			hubtest.MMLURow{Question: "Largest organ?", Choices: []string{"Liver", "Skin", "Heart", "Lung"}, Answer: 1}),
		base + "anatomy/dev/0000.parquet": hubtest.Parquet(t,
			hubtest.MMLURow{Question: "Heart chambers?", Choices: []string{"2", "3", "4", "5"}, Answer: 2}),
		base + "virology/test/0000.parquet": hubtest.Parquet(t,
			hubtest.MMLURow{Question: "A virus has?", Choices: []string{"cells", "a capsid", "mitochondria", "ribosomes"}, Answer: 1}),
		base + "virology/dev/0000.parquet": hubtest.Parquet(t,
			hubtest.MMLURow{Question: "Flu is?", Choices: []string{"viral", "bacterial", "fungal", "none"}, Answer: 0}),
	})
	c := &hub.Client{Endpoint: endpoint, CacheDir: t.TempDir()}
	cfg := &Config{Benchmark: "mmlu", Tasks: []string{"anatomy", "virology"}, NShots: 1, Grader: "multiple_choice"}
	problems, err := Load(context.Background(), c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 3 {
		t.Fatalf("%d problems, want 3", len(problems))
	}
	p := problems[1]
	if p.Task != "anatomy" || p.Gold != " B" || len(p.Messages) != 3 || p.Messages[1].Content != " C" ||
		p.Messages[2].Content != "Question: Largest organ?\nA. Liver\nB. Skin\nC. Heart\nD. Lung\nAnswer:" {
		t.Errorf("problem %+v", p)
	}
	if problems[2].Task != "virology" || problems[2].Gold != " B" {
		t.Errorf("virology problem %+v", problems[2])
	}
	// A subject missing from the Hub is an error naming it.
	cfg.Tasks = []string{"astronomy"}
	if _, err := Load(context.Background(), c, cfg); err == nil || !strings.Contains(err.Error(), "astronomy") {
		t.Errorf("missing subject: %v", err)
	}
}

func TestSummaryCSV(t *testing.T) {
	var s Summary
	s.Add("virology", true, false)
	s.Add("anatomy", true, false)
	s.Add("anatomy", false, true)
	s.Add("anatomy", false, false)
	dir := t.TempDir()
	if err := s.WriteCSV(dir); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, CSVFile))
	if err != nil {
		t.Fatal(err)
	}
	want := "task,total,passed,unparsed,accuracy_rate,unparsed_rate\r\n" +
		"anatomy,3,1,1,0.3333333333333333,0.3333333333333333\r\n" +
		"virology,1,1,0,1.0,0.0\r\n" +
		"OVERALL,4,2,1,0.5,0.25\r\n"
	if string(got) != want {
		t.Errorf("CSV\n%s\nwant\n%s", got, want)
	}
}

// TestJSONL holds accuracy_export.jsonl's lines to AIPerf's
// AccuracyRecordsData (docs/accuracy/accuracy-benchmarking.md): its fields
// in its order, model_thinking null without reasoning, text unescaped.
func TestJSONL(t *testing.T) {
	p := &Problem{Task: "anatomy", Gold: " B", Grader: "multiple_choice"}
	dir := t.TempDir()
	w, err := CreateJSONL(filepath.Join(dir, JSONLName("")))
	if err != nil {
		t.Fatal(err)
	}
	r := &record.Record{RequestID: "r1", ConversationID: "c1", SessionNum: 3, WorkerID: 2, Phase: record.PhaseProfiling, StartNs: 1000, EndOffset: 500}
	r.Accuracy = GradeRecord(p, []byte("<b>D</b>"), nil, true)
	w.Add(r)
	r2 := *r
	r2.Accuracy = GradeRecord(p, []byte("so the answer is (B)"), []byte("think"), true)
	w.Add(&r2)
	w.Add(&record.Record{}) // not graded: no line
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(dir, JSONLFile))
	want := `{"session_num":3,"conversation_id":"c1","x_request_id":"r1","worker_id":"worker_2","benchmark_phase":"profiling","timestamp_ns":1500,"task":"anatomy","grader_name":"multiple_choice","passed":false,"unparsed":true,"confidence":0.0,"expected":"B","actual":"D","explanation":"first-line-of-response extracted to 'D' (regex fallback); ground_truth stripped to 'B'; match=False","model_output":"<b>D</b>","model_thinking":null}` + "\n" +
		`{"session_num":3,"conversation_id":"c1","x_request_id":"r1","worker_id":"worker_2","benchmark_phase":"profiling","timestamp_ns":1500,"task":"anatomy","grader_name":"multiple_choice","passed":true,"unparsed":false,"confidence":1.0,"expected":"B","actual":"B","explanation":"first-line-of-response extracted to 'B'; ground_truth stripped to 'B'; match=True","model_output":"so the answer is (B)","model_thinking":"think"}` + "\n"
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if GradeRecord(p, []byte("B"), nil, false) != nil || GradeRecord(nil, []byte("B"), nil, true) != nil {
		t.Error("a failed request or a turn without a problem was graded")
	}
	long := strings.Repeat("é", MaxKeptText)
	if g := GradeRecord(p, []byte(long), nil, true); len(g.ModelOutput) > MaxKeptText || !utf8.ValidString(g.ModelOutput) {
		t.Errorf("kept %d bytes of a %d-byte answer", len(g.ModelOutput), len(long))
	}
	if JSONLName("run") != "run_accuracy.jsonl" {
		t.Error(JSONLName("run"))
	}
}

// TestLoadGSM8KFromFakeHub reads openai/gsm8k's main test split and builds
// AIPerf's zero-shot prompt.
func TestLoadGSM8KFromFakeHub(t *testing.T) {
	type row struct {
		Question string `parquet:"question"`
		Answer   string `parquet:"answer"`
	}
	endpoint := hubtest.New(t, map[string][]byte{"datasets/openai/gsm8k/main/test/0000.parquet": hubtest.Parquet(t, row{"Tom has 2 apples and buys 3. How many?", "2 + 3 = 5\n#### 5"})})
	c := &hub.Client{Endpoint: endpoint, CacheDir: t.TempDir()}
	problems, err := Load(context.Background(), c, &Config{Benchmark: "gsm8k", Grader: "lighteval_gsm8k", SystemPrompt: "Think."})
	if err != nil {
		t.Fatal(err)
	}
	want := []Message{{"system", "Think."}, {"user", "Question: Tom has 2 apples and buys 3. How many?\nAnswer:"}}
	if len(problems) != 1 || !slices.Equal(problems[0].Messages, want) || problems[0].MaxTokens != 256 ||
		problems[0].Task != "gsm8k" || problems[0].Grader != "lighteval_gsm8k" || problems[0].Gold != "2 + 3 = 5\n#### 5" {
		t.Errorf("problems %+v", problems)
	}
	// A parquet file without the columns is refused, naming the column.
	endpoint = hubtest.New(t, map[string][]byte{"datasets/openai/gsm8k/main/test/0000.parquet": hubtest.Parquet(t, hubtest.MMLURow{Question: "q", Choices: []string{"a"}})})
	c = &hub.Client{Endpoint: endpoint, CacheDir: t.TempDir()}
	if _, err := Load(context.Background(), c, &Config{Benchmark: "gsm8k", Grader: "lighteval_gsm8k"}); err == nil || !strings.Contains(err.Error(), "column answer is not") {
		t.Errorf("MMLU rows read as GSM8K: %v", err)
	}
}

// A damaged parquet file (one parquet-go panics on) is one error line naming
// it, for benchmarks read by struct (gsm8k) and by column (math_500).
func TestLoadDamagedFile(t *testing.T) {
	c := fakeHub(t, map[string][]byte{
		"datasets/openai/gsm8k/main/test/0000.parquet":              hubtest.Damaged(t, hubtest.Parquet(t, hubtest.MathRow{Problem: "q", Answer: "a"})),
		"datasets/HuggingFaceH4/MATH-500/default/test/0000.parquet": hubtest.Damaged(t, hubtest.Parquet(t, hubtest.MathRow{Problem: "q", Answer: "a"})),
	})
	for bench, want := range map[string]string{
		"gsm8k":    "accuracy benchmark gsm8k: main/test/0000.parquet: damaged Parquet file (",
		"math_500": "accuracy benchmark math_500: default/test/0000.parquet: damaged Parquet file (",
	} {
		_, err := Load(context.Background(), c, &Config{Benchmark: bench})
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v, want one line saying %q", bench, err, want)
		}
	}
}
