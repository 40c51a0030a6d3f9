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
