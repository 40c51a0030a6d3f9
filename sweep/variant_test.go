package sweep

import (
	"path/filepath"
	"testing"
)

// A --variant sweep's runs are named by their labels alone, as AIPerf names
// a scenario's directory, and the summary gives the label as the value.
func TestVariantParam(t *testing.T) {
	v := Param{Name: "variant", Labels: []string{"fast", "v1"}, Values: []float64{0, 1}}
	p := Plan{Base: "b", Params: []Param{v}, Combos: Grid([]Param{v}), Trials: 1}
	for i, want := range []string{"fast", "v1"} {
		c := p.Combos[i]
		if p.Cell(c) != want || p.Label(c) != want || p.RunDir(1, c) != filepath.Join("b", want) {
			t.Errorf("variant %d: cell %q label %q dir %q, want %q", i, p.Cell(c), p.Label(c), p.RunDir(1, c), want)
		}
		if got := parameters(p.Params, c)["variant"]; got != want {
			t.Errorf("variant %d: summary value %v", i, got)
		}
	}
	p.Trials = 2
	if got := p.RunDir(2, p.Combos[0]); got != filepath.Join("b", "profile_runs", "trial_0002", "fast") {
		t.Errorf("trial 2: %s", got)
	}
}
