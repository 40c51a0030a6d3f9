package options

import (
	"flag"
	"reflect"
	"strings"
	"testing"
)

// An unprefixed variable (URL, MODEL, CONCURRENCY in someone's shell) never
// sets an option: only AIPERF_* do, though envconfig falls back to the bare name.
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
	// A value envconfig cannot even parse names the bare variable it came from.
	t.Setenv("REQUEST_COUNT", "lots")
	err := LoadEnv(&o)
	if err == nil || !strings.Contains(err.Error(), `REQUEST_COUNT="lots"`) || !strings.Contains(err.Error(), "unset it") {
		t.Errorf("error %v, want one naming REQUEST_COUNT", err)
	}
}
