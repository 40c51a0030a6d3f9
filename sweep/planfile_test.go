package sweep

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// The recorded plan reads back as the plan that wrote it: what the
// summary depends on, variants and SLAs included.
func TestPlanFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	want := Plan{Base: dir, Trials: 1, Level: 0.9, HasGoodput: true, NoTable: true,
		Params:  []Param{{Name: "variant", Values: []float64{0, 1}, Labels: []string{"low", "high"}}, {Name: "request_rate", Values: []float64{2.5}}},
		Combos:  []Combo{{1, 2.5}, {0, 2.5}},
		SLA:     []SLAFilter{{Metric: "time_to_first_token", Stat: "p95", Op: "lt", Threshold: 0.1 + 0.2}, {Metric: "request_error_rate", Stat: "avg", Op: "le", Threshold: 5}},
		Degrade: &Degradation{Metric: "request_latency", Stat: "p99", Threshold: 0.3}}
	if err := writePlan(want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadPlan(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("read back\n%+v\nwant\n%+v", *got, want)
	}
	if none, err := ReadPlan(t.TempDir()); none != nil || err != nil {
		t.Errorf("no plan file: %v, %v", none, err)
	}
}

func TestReadPlanRefusesABadFile(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{`{`, "unexpected end of JSON input"},
		{`{"parameters": [], "combinations": [[1]]}`, "no parameters or no combinations"},
		{`{"parameters": [{"name": "concurrency", "values": [1]}], "combinations": [[1, 2]]}`, "does not give each of the 1 parameters a value"},
		{`{"parameters": [{"name": "variant", "values": [0], "labels": ["a"]}], "combinations": [[1]]}`, "names no variant"},
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, PlanJSONFile), []byte(c.text), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ReadPlan(dir)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), PlanJSONFile) {
			t.Errorf("%s: %v, want an error naming the file and %q", c.text, err, c.want)
		}
	}
}
