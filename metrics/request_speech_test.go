package metrics

import (
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

func TestWordErrorRateAndAudioTokens(t *testing.T) {
	wer := 0.25
	ok := []record.Response{{Offset: time.Second, Kind: record.Content}}
	cases := []struct {
		name        string
		r           record.Record
		wer, tokens float64 // -1 = absent
	}{
		{"scored answer with audio tokens", record.Record{OutputTokens: 3, Responses: ok, WordErrorRate: &wer, Usage: &record.Usage{AudioTokens: 125}}, 0.25, 125},
		{"no reference, usage without audio", record.Record{OutputTokens: 3, Responses: ok, Usage: &record.Usage{PromptTokens: 9}}, -1, -1},
		{"error record", record.Record{Error: &record.Error{Code: 500}, WordErrorRate: &wer}, -1, -1},
	}
	for _, c := range cases {
		m := ForRecord(&c.r)
		for tag, want := range map[string]float64{WordErrorRate: c.wer, AudioTokens: c.tokens} {
			got, has := m.Get(tag)
			if has != (want >= 0) || (has && got != want) {
				t.Errorf("%s: %s = %v (%v), want %v", c.name, tag, got, has, want)
			}
		}
	}
	if d, _ := Lookup(WordErrorRate); d.Has(NoConsole) || d.Has(LargerIsBetter) || d.Header != "Word Error Rate" {
		t.Errorf("word_error_rate definition %+v: a console row, smaller is better", d)
	}
}
