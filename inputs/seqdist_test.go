package inputs

import (
	"math/rand"
	"reflect"
	"strings"
	"testing"
)

func TestParseSeqDist(t *testing.T) {
	want := []seqPair{{isl: 256, osl: 128, percent: 40}, {isl: 512, islStddev: 20, osl: 256, oslStddev: 10, percent: 60}}
	for _, s := range []string{
		"256,128:40;512|20,256|10:60",
		" 256 , 128 : 40 ; 512|20, 256|10:60 ;",
		"[(256,128):40,(512|20,256|10):60]",
		`{"pairs": [{"isl": 256, "osl": 128, "prob": 40}, {"isl": 512, "isl_stddev": 20, "osl": 256, "osl_stddev": 10, "prob": 60}]}`,
	} {
		d, err := parseSeqDist(s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if !reflect.DeepEqual(d.pairs, want) || d.cum[0] != 0.4 || d.cum[1] != 1 {
			t.Fatalf("%q: %+v %v", s, d.pairs, d.cum)
		}
	}
	for s, msg := range map[string]string{
		"":                        "empty",
		"256,128:40;512,256:50":   "sum to 100, got 90",
		"256,128":                 "is not ISL",
		"256,128:40;oops":         "is not ISL",
		"0,128:100":               "ISL must be between 1",
		"128,0:100":               "OSL must be between 1",
		"128,5:150;128,5:-50":     "is not ISL",
		"128,5:150":               "percentage must be between 0 and 100",
		"[]":                      "no (ISL, OSL) pair",
		`{"pairs": [{"isl": 5}]}`: `has no "osl"`,
		`{"pairs": [{"isl": 5.5, "osl": 1, "prob": 100}]}`: "whole numbers",
		`{"pair": []}`:               `"pairs" list`,
		`{"pairs": 5}`:               "invalid JSON",
		"99999999999999999999,5:100": "out of range",
	} {
		if _, err := parseSeqDist(s); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%q: error %v, want %q", s, err, msg)
		}
	}
}

// Each synthetic turn draws one pair: its ISL is the prompt's length and its
// OSL the turn's max_completion_tokens, in the pairs' shares; --isl and
// --osl are not used.
func TestSeqDistDrivesTurns(t *testing.T) {
	d := build(t, 11, "-m", "x", "--isl", "99", "--osl", "99", "--num-dataset-entries", "400", "--seq-dist", "10,3:25;20,7:75")
	short := 0
	for _, c := range d.Conversations {
		tr := c.Turns[0]
		body := decode(t, tr.Body)
		n := len(strings.Fields(parts(t, body)[0].Text))
		switch {
		case n == 10 && tr.MaxTokens == 3 && *body.MaxCompletionTokens == 3:
			short++
		case n == 20 && tr.MaxTokens == 7 && *body.MaxCompletionTokens == 7:
		default:
			t.Fatalf("ISL %d with OSL %d is not a pair of the distribution", n, tr.MaxTokens)
		}
	}
	if short < 60 || short > 140 {
		t.Fatalf("%d of 400 turns drew the 25%% pair", short)
	}
	// A stddev spreads a pair's lengths.
	d = build(t, 11, "-m", "x", "--num-dataset-entries", "100", "--seq-dist", "30|5,10|2:100")
	lengths := map[int]bool{}
	for _, c := range d.Conversations {
		lengths[c.Turns[0].InputTokens] = true
	}
	if len(lengths) < 5 {
		t.Fatalf("ISL with stddev 5 took %d values", len(lengths))
	}
}

func TestDrawLengthBounds(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for range 200 {
		if n := drawLength(rng, 1, 50); n < 1 || n > maxInputLength {
			t.Fatalf("draw %d", n)
		}
	}
	if n := drawLength(rng, maxInputLength, 1e9); n > maxInputLength {
		t.Fatalf("draw %d above the bound", n)
	}
}
