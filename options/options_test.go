package options

import (
	"errors"
	"flag"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// Every flag's AIPERF_* variable must be its upper snake case, so the README
// rule "AIPERF_ + flag" holds for every setting.
func TestEnvNamesMatchFlags(t *testing.T) {
	for _, p := range []any{&Options{}, &Profile{}, &Serve{}, &Mock{}} {
		typ := reflect.TypeOf(p).Elem()
		fields := walk(p)
		if len(fields) != typ.NumField() {
			t.Errorf("%s has %d fields, %d with a flag tag", typ.Name(), typ.NumField(), len(fields))
		}
		for _, f := range fields {
			if want := EnvName(f.flag); f.env != want {
				t.Errorf("--%s: envconfig tag %q, want the whole name %q (envconfig reads the tag as it is)", f.flag, f.env, want)
			}
			if f.desc == "" {
				t.Errorf("--%s has no help text", f.flag)
			}
		}
	}
}

func parse(t *testing.T, args ...string) (*Options, error) {
	t.Helper()
	var o Options
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := Register(fs, &o); err != nil {
		t.Fatal(err)
	}
	return &o, fs.Parse(args)
}

// mustParse is parse for a command line that must parse.
func mustParse(t *testing.T, args ...string) *Options {
	t.Helper()
	o, err := parse(t, args...)
	if err != nil {
		t.Fatalf("%q: %v", args, err)
	}
	return o
}

// checkError fails t unless err is as want says (in its text; "" = no
// error), and tells whether it was an error, so the case has no more to check.
func checkError(t *testing.T, err error, want string) (errored bool) {
	t.Helper()
	switch {
	case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
		t.Fatalf("error %v, want %q", err, want)
	case want == "" && err != nil:
		t.Fatal(err)
	}
	return err != nil
}

// argsCase is a command line and what a test wants of it: a value, or
// Validate's error text as checkValidate matches it ("" = valid).
type argsCase struct {
	args []string
	want string
}

// checkValidate parses base and each case's args and checks Validate: no
// error where want is "", else one line, an *Error, in which match finds want.
func checkValidate(t *testing.T, base []string, match func(err, want string) bool, cases []argsCase) {
	t.Helper()
	for _, c := range cases {
		err := mustParse(t, append(slices.Clone(base), c.args...)...).Validate()
		var oe *Error
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%v: unexpected error %v", c.args, err)
		case c.want != "" && (!errors.As(err, &oe) || !match(err.Error(), c.want) || strings.Contains(err.Error(), "\n")):
			t.Errorf("%v: error %v, want one line with %q", c.args, err, c.want)
		}
	}
}

func TestFlagsDefaultsAndLists(t *testing.T) {
	o := mustParse(t)
	if o.InputTokensMean != 550 || o.RequestTimeout != 600 || o.AudioFormat != "wav" ||
		!reflect.DeepEqual(o.AudioSampleRates, []float64{16}) || !reflect.DeepEqual(o.URLs, []string{"localhost:8000"}) {
		t.Fatalf("defaults not applied: %+v", o)
	}
	o = mustParse(t, "-m", "a,b", "--audio-sample-rates", "8", "--audio-sample-rates", "44.1",
		"--streaming", "--url", "127.0.0.1:1", "--extra-inputs", `{"a":1,"b":2}`, "--isl", "0")
	if !reflect.DeepEqual(o.Models, []string{"a", "b"}) || !reflect.DeepEqual(o.AudioSampleRates, []float64{8, 44.1}) ||
		!o.Streaming || !reflect.DeepEqual(o.URLs, []string{"127.0.0.1:1"}) ||
		!reflect.DeepEqual(o.ExtraInputs, []string{`{"a":1,"b":2}`}) || o.InputTokensMean != 0 {
		t.Fatalf("parsed wrong: %+v", o)
	}
}

func TestValidate(t *testing.T) {
	checkValidate(t, nil, strings.Contains, []argsCase{
		{[]string{"-m", "x"}, ""},
		{nil, "--model (AIPERF_MODEL)"},
		{[]string{"-m", "x", "--endpoint-type", "no_such_type"}, "--endpoint-type"},
		{[]string{"-m", "x", "--concurrency", "-1"}, "--concurrency"},
		{[]string{"-m", "x", "--audio-sample-rates", "0"}, "0 kHz is not a valid sample rate"},
		{[]string{"-m", "x", "--audio-depths", "12"}, "--audio-depths"},
		{[]string{"-m", "x", "--audio-length-mean", "0.001"}, "at least 0.01"},
		{[]string{"-m", "x", "--request-count", "5", "--benchmark-duration", "3"}, "cannot be combined"},
		{[]string{"-m", "x", "--header", "novalue"}, "--header"},
		{[]string{"-m", "x", "--arrival-pattern", "lognormal"}, "--arrival-pattern"},
		{[]string{"-m", "x", "--request-rate", "5", "--arrival-pattern", "gamma", "--arrival-smoothness", "0.5"}, ""},
		{[]string{"-m", "x", "--request-rate", "5", "--arrival-pattern", "gamma", "--vllm-burstiness", "4"}, ""},
		{[]string{"-m", "x", "--request-rate", "5", "--arrival-pattern", "gamma", "--arrival-smoothness", "0"}, "--arrival-smoothness (AIPERF_ARRIVAL_SMOOTHNESS): must be > 0"},
		{[]string{"-m", "x", "--request-rate", "5", "--arrival-smoothness", "0.5"}, "applies only to --arrival-pattern gamma"},
		{[]string{"-m", "x", "--concurrency", "4", "--arrival-pattern", "concurrency_burst"}, ""},
		{[]string{"-m", "x", "--request-rate", "5", "--arrival-pattern", "concurrency_burst"}, "takes no --request-rate"},
		{[]string{"-m", "x", "--wait-for-model-timeout", "30", "--wait-for-model-mode", "models"}, ""},
		{[]string{"-m", "x", "--concurrency", "8", "--concurrency-ramp-duration", "30"}, ""},
		{[]string{"-m", "x", "--request-rate", "8", "--request-rate-ramp-duration", "30"}, ""},
		{[]string{"-m", "x", "--request-rate-ramp-duration", "30"}, "--request-rate-ramp-duration (AIPERF_REQUEST_RATE_RAMP_DURATION): needs --request-rate"},
		{[]string{"-m", "x", "--no-fixed-schedule"}, ""},
		{[]string{"-m", "x", "--session-header", "X-Session-ID"}, ""},
		{[]string{"-m", "x", "--session-header", "X Session"}, "--session-header (AIPERF_SESSION_HEADER): \"X Session\" is not a header name"},
		{[]string{"-m", "x", "--session-header", ""}, "--session-header (AIPERF_SESSION_HEADER): \"\" is not a header name"},
		{[]string{"-m", "x", "--fixed-schedule", "--no-fixed-schedule"}, "--no-fixed-schedule (AIPERF_NO_FIXED_SCHEDULE): cannot be combined with --fixed-schedule"},
		{[]string{"-m", "x", "--concurrency-ramp-duration", "30"}, "--concurrency-ramp-duration (AIPERF_CONCURRENCY_RAMP_DURATION): needs --concurrency"},
		{[]string{"-m", "x", "--wait-for-model-mode", "ping"}, "--wait-for-model-mode (AIPERF_WAIT_FOR_MODEL_MODE): unknown mode"},
		{[]string{"-m", "x", "--wait-for-model-interval", "0"}, "--wait-for-model-interval (AIPERF_WAIT_FOR_MODEL_INTERVAL): must be > 0"},
		{[]string{"-m", "x", "--response-budget-mib", "64"}, ""},
		{[]string{"-m", "x", "--response-budget-mib", "0"}, "--response-budget-mib (AIPERF_RESPONSE_BUDGET_MIB): must be between 1 and 1048576, got 0"},
		{[]string{"-m", "x", "--response-budget-mib", "-5"}, "--response-budget-mib (AIPERF_RESPONSE_BUDGET_MIB): must be between 1 and 1048576, got -5"},
		{[]string{"-m", "x", "--response-budget-mib", "1048577"}, "--response-budget-mib (AIPERF_RESPONSE_BUDGET_MIB): must be between 1 and 1048576"},
		{[]string{"-m", "x", "--conversation-turn-mean", "0"}, "--conversation-turn-mean (AIPERF_CONVERSATION_TURN_MEAN): must be at least 1 turn, got 0"},
		{[]string{"-m", "x", "--conversation-turn-stddev", "-1"}, "--conversation-turn-stddev (AIPERF_CONVERSATION_TURN_STDDEV): must not be negative"},
		{[]string{"-m", "x", "--conversation-turn-delay-mean", "NaN"}, "--conversation-turn-delay-mean (AIPERF_CONVERSATION_TURN_DELAY_MEAN): NaN"},
		{[]string{"-m", "x", "--conversation-turn-delay-ratio", "-0.5"}, "--conversation-turn-delay-ratio (AIPERF_CONVERSATION_TURN_DELAY_RATIO): must not be negative"},
		{[]string{"-m", "x", "--dataset-sampling-strategy", "round_robin"}, "--dataset-sampling-strategy (AIPERF_DATASET_SAMPLING_STRATEGY): unknown strategy \"round_robin\" (want sequential, random or shuffle)"},
		{[]string{"-m", "x", "--dataset-sampling-strategy", "shuffle"}, ""},
		{[]string{"-m", "x", "--cache-bust", "everywhere"}, "--cache-bust (AIPERF_CACHE_BUST): unknown target \"everywhere\""},
		{[]string{"-m", "x", "--cache-bust", "first_turn_prefix", "--endpoint-type", "audio_transcription"}, "--cache-bust (AIPERF_CACHE_BUST): needs chat requests"},
		{[]string{"-m", "x", "--cache-bust", "system_suffix"}, ""},
		{[]string{"-m", "x", "--prompt-corpus", "poetry"}, "--prompt-corpus (AIPERF_PROMPT_CORPUS): unknown corpus \"poetry\" (want sonnet or coding)"},
		{[]string{"-m", "x", "--prompt-corpus", "coding"}, ""},
		{[]string{"-m", "x", "--isl-block-size", "0"}, "--synthetic-input-tokens-block-size (AIPERF_SYNTHETIC_INPUT_TOKENS_BLOCK_SIZE): must be >= 1, got 0"},
		{[]string{"-m", "x", "--shared-system-prompt-length", "-1"}, "--shared-system-prompt-length (AIPERF_SHARED_SYSTEM_PROMPT_LENGTH): must not be negative"},
		{[]string{"-m", "x", "--shared-system-prompt-length", "5", "--prompt-prefix-length", "3"}, "--shared-system-prompt-length (AIPERF_SHARED_SYSTEM_PROMPT_LENGTH): cannot be combined with --prompt-prefix-pool-size or --prompt-prefix-length"},
		{[]string{"-m", "x", "--user-context-prompt-length", "5", "--prompt-prefix-pool-size", "3"}, "--user-context-prompt-length (AIPERF_USER_CONTEXT_PROMPT_LENGTH): cannot be combined"},
		{[]string{"-m", "x", "--shared-system-prompt-length", "5", "--user-context-prompt-length", "5", "--isl-block-size", "16"}, ""},
	})
}

func TestParseErrorsNameTheFlag(t *testing.T) {
	_, err := parse(t, "--concurrency", "four")
	if err == nil || !strings.Contains(err.Error(), "-concurrency") || !strings.Contains(err.Error(), "four") {
		t.Fatalf("got %v", err)
	}
}

func TestLoadEnv(t *testing.T) {
	t.Setenv("AIPERF_CONCURRENCY", "7")
	t.Setenv("AIPERF_AUDIO_SAMPLE_RATES", "8,16")
	t.Setenv("AIPERF_API_KEY", "sk-planted")
	var o Options
	if err := LoadEnv(&o); err != nil {
		t.Fatal(err)
	}
	if o.Concurrency != 7 || !reflect.DeepEqual(o.AudioSampleRates, []float64{8, 16}) || o.APIKey.Reveal() != "sk-planted" {
		t.Fatalf("env not loaded: %+v", o)
	}
	if o.APIKey.String() != "<secret>" {
		t.Fatalf("secret prints as %q", o.APIKey.String())
	}
	t.Setenv("AIPERF_CONCURRENCY", "many")
	err := LoadEnv(&o)
	if err == nil || !strings.Contains(err.Error(), "AIPERF_CONCURRENCY") {
		t.Fatalf("bad env error %v does not name the variable", err)
	}
}

func TestEchoCommandRedacts(t *testing.T) {
	got := EchoCommand([]string{"--model", "Qwen/Qwen2.5-Omni-3B", "--concurrency", "4",
		"--api-key", "sk-planted", "--api-key=sk-planted2", "-H", "Authorization: Bearer sk-planted3", "--header=X-Api-Key:sk-4", "--streaming"})
	want := `--model 'Qwen/Qwen2.5-Omni-3B' --concurrency 4 --api-key '<redacted>' --api-key='<redacted>' -H 'Authorization:<redacted>' --header='X-Api-Key:<redacted>' --streaming`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if strings.Contains(got, "sk-") {
		t.Fatal("secret leaked")
	}
}

func TestPrintFlags(t *testing.T) {
	var o Options
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	if err := Register(fs, &o); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	PrintFlags(&b, fs)
	out := b.String()
	for _, want := range []string{
		"  --header, -H list\n", "  --model, -m, --model-names list\n", "  --streaming\n",
		"  --concurrency int\n", "(default 550)", "  --audio-sample-rates list\n", "(default 16)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("--help lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "alias of") {
		t.Error("aliases listed as flags of their own")
	}
}

// Every flag with a default shows it in --help, zero values included: issue 2
// asks that --help list every flag with its default.
func TestPrintFlagsShowsZeroDefaults(t *testing.T) {
	for _, command := range [][]any{{&Options{}, &Profile{}}, {&Options{}, &Serve{}}} {
		printFlagsShowsZeroDefaults(t, command)
	}
}

// printFlagsShowsZeroDefaults checks one command's flags (profile and serve
// each have a --scenario of their own).
func printFlagsShowsZeroDefaults(t *testing.T, command []any) {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	for _, p := range command {
		if err := Register(fs, p); err != nil {
			t.Fatal(err)
		}
	}
	var b strings.Builder
	PrintFlags(&b, fs)
	entries := map[string]string{} // flag name -> its help entry
	for _, e := range strings.Split(b.String(), "\n  --") {
		name, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimSpace(e), "--"), " ")
		name, _, _ = strings.Cut(name, ",")
		name, _, _ = strings.Cut(name, "\n")
		entries[name] = strings.TrimSpace(e)
	}
	for _, c := range []struct{ flag, want string }{
		{"concurrency", "(default 0)"}, {"request-count", "(default 0)"},
		{"audio-length-mean", "(default 0)"}, {"streaming", "(default false)"},
		{"mock", "(default false)"}, {"synthetic-input-tokens-mean", "(default 550)"},
	} {
		if !strings.HasSuffix(entries[c.flag], c.want) {
			t.Errorf("--help entry of --%s lacks %q: %q", c.flag, c.want, entries[c.flag])
		}
	}
	fs.VisitAll(func(f *flag.Flag) {
		if flagOf(f) != f.Name { // an alias shares its flag's entry
			return
		}
		e, ok := entries[f.Name]
		switch {
		case !ok:
			t.Errorf("--help does not list --%s", f.Name)
		case f.DefValue != "" && !strings.HasSuffix(e, "(default "+f.DefValue+")"):
			t.Errorf("--help entry of --%s does not end with its default %q: %q", f.Name, f.DefValue, e)
		}
	})
}
