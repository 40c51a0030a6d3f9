package options

import (
	"flag"
	"reflect"
	"strings"
	"testing"
)

// An unprefixed variable (URL, MODEL, CONCURRENCY in someone's shell) never
// sets an option: only AIPERF_* do. envconfig reads each tag's whole name, so it
// never falls back to the bare one.
func TestLoadEnvIgnoresUnprefixedNames(t *testing.T) {
	t.Setenv("URL", "http://elsewhere:1")
	t.Setenv("MODEL", "not-mine")
	t.Setenv("STREAMING", "true")
	t.Setenv("AIPERF_CONCURRENCY", "3")
	t.Setenv("CONCURRENCY", "9")
	var o Options
	if err := Register(flag.NewFlagSet("t", flag.ContinueOnError), &o); err != nil {
		t.Fatal(err)
	}
	if err := LoadEnv(&o); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(o.URLs, []string{"localhost:8000"}) || len(o.Models) != 0 || o.Streaming || o.Concurrency != 3 {
		t.Errorf("URLs %v, models %v, streaming %v, concurrency %d: want the defaults and AIPERF_CONCURRENCY's 3",
			o.URLs, o.Models, o.Streaming, o.Concurrency)
	}
	// A bare variable is not even read: a value no option could take is no error.
	t.Setenv("REQUEST_COUNT", "lots")
	if err := LoadEnv(&o); err != nil || o.RequestCount != 0 {
		t.Errorf("REQUEST_COUNT=lots: error %v, request count %d; want neither read", err, o.RequestCount)
	}
	// The AIPERF_ one is, and a bad value names it.
	t.Setenv("AIPERF_REQUEST_COUNT", "lots")
	if err := LoadEnv(&o); err == nil || !strings.Contains(err.Error(), `AIPERF_REQUEST_COUNT="lots"`) {
		t.Errorf("AIPERF_REQUEST_COUNT=lots: error %v, want one naming it", err)
	}
}

// A field whose envconfig tag is not the whole AIPERF_* name (a short tag would
// have envconfig read the bare name) stops LoadEnv before any variable is read.
func TestLoadEnvRefusesShortTags(t *testing.T) {
	t.Setenv("SHORT_ONE", "9")
	var s struct {
		ShortOne int `flag:"short-one" envconfig:"SHORT_ONE" desc:"x"`
	}
	err := LoadEnv(&s)
	if err == nil || !strings.Contains(err.Error(), `"AIPERF_SHORT_ONE"`) || s.ShortOne != 0 {
		t.Errorf("error %v, value %d; want an error naming AIPERF_SHORT_ONE and nothing read", err, s.ShortOne)
	}
}

// Every list takes from its variable what its flag takes: a comma list
// (spaces trimmed, a JSON object whole) or a JSON array, as AIPerf's settings
// read lists; a bad item is refused naming the variable.
func TestLoadEnvLists(t *testing.T) {
	for _, c := range []struct {
		name, env, value string
		get              func(*Options) any
		want             any
		err              string
	}{
		{"comma list", "AIPERF_MODEL", "a, b,c", func(o *Options) any { return o.Models }, []string{"a", "b", "c"}, ""},
		{"JSON array of strings", "AIPERF_URL", `["x:1", "y:2"]`, func(o *Options) any { return o.URLs }, []string{"x:1", "y:2"}, ""},
		{"JSON array of numbers", "AIPERF_AUDIO_SAMPLE_RATES", "[8, 16.5]", func(o *Options) any { return o.AudioSampleRates }, []float64{8, 16.5}, ""},
		{"comma list of ints", "AIPERF_AUDIO_DEPTHS", "8,24", func(o *Options) any { return o.AudioDepths }, []int{8, 24}, ""},
		{"JSON object stays whole", "AIPERF_EXTRA_INPUTS", `{"a":1,"b":2}`, func(o *Options) any { return o.ExtraInputs }, []string{`{"a":1,"b":2}`}, ""},
		{"array item with a comma", "AIPERF_HEADER", `["X-A:1,2"]`, func(o *Options) any { return o.Headers }, []string{"X-A:1,2"}, ""},
		{"bad item", "AIPERF_AUDIO_DEPTHS", "8,deep", nil, nil, `AIPERF_AUDIO_DEPTHS="8,deep": "deep" is not a whole number`},
		{"bad array", "AIPERF_MODEL", `["a",`, nil, nil, `AIPERF_MODEL="[\"a\",": not a JSON array`},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(c.env, c.value)
			var o Options
			if err := Register(flag.NewFlagSet("t", flag.ContinueOnError), &o); err != nil {
				t.Fatal(err)
			}
			if checkError(t, LoadEnv(&o), c.err) {
				return
			}
			if got := c.get(&o); !reflect.DeepEqual(got, c.want) {
				t.Errorf("%s=%s gave %#v, want %#v", c.env, c.value, got, c.want)
			}
		})
	}
}

// The command line wins over a variable; a variable it overrides is not read.
func TestParseFlagsWinOverEnv(t *testing.T) {
	t.Setenv("AIPERF_MODEL", "from-env")
	t.Setenv("AIPERF_CONCURRENCY", "not-read")
	var o Options
	set, err := Parse(flag.NewFlagSet("t", flag.ContinueOnError), []string{"-m", "a,b", "--concurrency", "3"}, &o)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(o.Models, []string{"a", "b"}) || o.Concurrency != 3 || !set["model"] {
		t.Errorf("models %v, concurrency %d, set %v: want the command line's", o.Models, o.Concurrency, set)
	}
	if _, err := Parse(flag.NewFlagSet("t", flag.ContinueOnError), []string{"-m", "a"}, new(Options)); err == nil || !strings.Contains(err.Error(), "AIPERF_CONCURRENCY") {
		t.Errorf("error %v, want the unread variable refused once the command line leaves it", err)
	}
}

// A flag given by an alias counts as given under the flag's own name.
func TestParseNamesAnAliasByItsFlag(t *testing.T) {
	set, err := Parse(flag.NewFlagSet("t", flag.ContinueOnError), []string{"--custom-endpoint", "/x", "-u", "127.0.0.1:1", "--isl-stddev", "0"}, new(Options))
	if err != nil {
		t.Fatal(err)
	}
	if !set["endpoint"] || !set["url"] || !set["synthetic-input-tokens-stddev"] || set["custom-endpoint"] || set["u"] || set["isl-stddev"] {
		t.Errorf("set %v, want endpoint, url and synthetic-input-tokens-stddev by their flag names", set)
	}
}
