package daemon

import (
	"fmt"
	"testing"
)

func TestHistoryBounds(t *testing.T) {
	cases := []struct {
		size, add int
		want      []string // request ids of scenario "a", newest first
	}{
		{3, 0, nil},
		{3, 2, []string{"1", "0"}},
		{3, 3, []string{"2", "1", "0"}},
		{3, 7, []string{"6", "5", "4"}},
		{0, 2, []string{"1"}}, // size below 1 keeps one
	}
	for _, c := range cases {
		h := NewHistory(c.size)
		for i := range c.add {
			h.Add(Result{Scenario: "a", RequestID: fmt.Sprint(i)})
			h.Add(Result{Scenario: "b", RequestID: "other"})
		}
		var got []string
		for _, r := range h.Recent("a") {
			got = append(got, r.RequestID)
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("size %d, %d added: got %v, want %v", c.size, c.add, got, c.want)
		}
		if n := len(h.Recent("b")); n > max(c.size, 1) {
			t.Errorf("size %d: scenario b holds %d results", c.size, n)
		}
	}
	h := NewHistory(2)
	h.Add(Result{Scenario: "z"})
	h.Add(Result{Scenario: "a"})
	if got := fmt.Sprint(h.Scenarios()); got != "[a z]" {
		t.Errorf("scenarios %s, want [a z]", got)
	}
}
