package inputs

import (
	"errors"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// userTexts returns the text of every user message of a chat body, in order.
func userTexts(t *testing.T, b Body) []string {
	t.Helper()
	c := decode(t, b)
	var out []string
	for i := range c.Messages {
		if c.Messages[i].Role != "user" {
			continue
		}
		out = append(out, parts(t, chatBody{Messages: c.Messages[:i+1]})[0].Text)
	}
	return out
}

// A synthetic conversation of N turns: turn k resends the k earlier user
// messages, unchanged, before its own; only later turns wait, the drawn delay
// times the ratio; a pool prefix goes on the first turn only (AIPerf's
// synthetic composer).
func TestSyntheticMultiTurn(t *testing.T) {
	d := build(t, 7, "-m", "x", "--isl", "6", "--num-dataset-entries", "5", "--conversation-turn-mean", "3",
		"--conversation-turn-delay-mean", "250", "--conversation-turn-delay-ratio", "2",
		"--prompt-prefix-pool-size", "1", "--prompt-prefix-length", "2")
	for _, c := range d.Conversations {
		if len(c.Turns) != 3 {
			t.Fatalf("%d turns, want 3", len(c.Turns))
		}
		var own []string // each turn's own message
		for k, tr := range c.Turns {
			texts := userTexts(t, tr.Body)
			if len(texts) != k+1 || strings.Join(texts[:k], "|") != strings.Join(own, "|") {
				t.Fatalf("turn %d sends %q, want the earlier %q and its own", k, texts, own)
			}
			own = append(own, texts[k])
			words := 6
			if k == 0 {
				words += 2 // the prefix
			}
			if n := len(strings.Fields(texts[k])); n != words || tr.InputTokens != words {
				t.Fatalf("turn %d: %d words, ISL %d, want %d", k, n, tr.InputTokens, words)
			}
			want := 500 * time.Millisecond
			if k == 0 {
				want = 0
			}
			if tr.Delay != want {
				t.Fatalf("turn %d: delay %v, want %v", k, tr.Delay, want)
			}
		}
	}
}

// Turn counts and delays vary with their stddevs; every draw is at least one
// turn and a whole number of milliseconds times the ratio.
func TestSyntheticTurnDraws(t *testing.T) {
	d := build(t, 8, "-m", "x", "--isl", "1", "--num-dataset-entries", "200", "--conversation-turn-mean", "3",
		"--conversation-turn-stddev", "2", "--conversation-turn-delay-mean", "40", "--conversation-turn-delay-stddev", "10",
		"--conversation-turn-delay-ratio", "0.5")
	counts, delays := map[int]bool{}, map[time.Duration]bool{}
	for _, c := range d.Conversations {
		counts[len(c.Turns)] = true
		if len(c.Turns) < 1 || c.Turns[0].Delay != 0 {
			t.Fatalf("%d turns, first delay %v", len(c.Turns), c.Turns[0].Delay)
		}
		for _, tr := range c.Turns[1:] {
			if tr.Delay < time.Millisecond/2 || tr.Delay%(time.Millisecond/2) != 0 {
				t.Fatalf("delay %v is not a positive whole ms x 0.5", tr.Delay)
			}
			delays[tr.Delay] = true
		}
	}
	if len(counts) < 4 || len(delays) < 10 {
		t.Fatalf("draws do not vary: turn counts %v, %d distinct delays", counts, len(delays))
	}
	// A ratio of 0 removes every delay (AIPerf's doc), leaving the turns.
	d = build(t, 8, "-m", "x", "--isl", "1", "--num-dataset-entries", "3", "--conversation-turn-mean", "2",
		"--conversation-turn-delay-mean", "40", "--conversation-turn-delay-ratio", "0")
	for _, c := range d.Conversations {
		if len(c.Turns) != 2 || c.Turns[1].Delay != 0 {
			t.Fatalf("ratio 0: %d turns, delay %v", len(c.Turns), c.Turns[1].Delay)
		}
	}
}

func TestPositiveNormalInt(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, c := range []struct {
		mean float64
		want int
	}{{0, 1}, {1, 1}, {2.5, 2}, {3.5, 4}, {7, 7}, {1e300, 1<<31 - 1}} {
		if got := positiveNormalInt(rng, c.mean, 0); got != c.want {
			t.Errorf("mean %g, no stddev: %d, want %d", c.mean, got, c.want)
		}
	}
	for range 1000 {
		if got := positiveNormalInt(rng, 0, 5); got < 1 {
			t.Fatalf("draw %d < 1", got)
		}
	}
}

func TestSyntheticTurnBounds(t *testing.T) {
	wantRefusals(t, []string{"-m", "x"}, []refusal{
		{[]string{"--conversation-turn-mean", "1000", "--num-dataset-entries", "100"}, "--conversation-turn-mean"},
		{[]string{"--conversation-turn-mean", "2", "--conversation-turn-delay-mean", "1000", "--conversation-turn-delay-ratio", "1e12"}, "--conversation-turn-delay-ratio"},
	})
}

// Single-turn prompts are held to the prompt-text bound before anything is
// built, as multi-turn ones are: 200,000 entries of 5500 tokens would hold
// about 4.1 GiB.
func TestSingleTurnPromptTextBound(t *testing.T) {
	cases := []struct {
		args []string
		want string // the flag named; "" = accepted
	}{
		{[]string{"--num-dataset-entries", "200000", "--isl", "5500"}, "num-dataset-entries"},
		{[]string{"--num-dataset-entries", "200000", "--isl", "5000"}, ""},
		{[]string{"--num-dataset-entries", "5000", "--isl", "1000000"}, "num-dataset-entries"},
		{[]string{"--num-dataset-entries", "100", "--isl", "1000", "--conversation-turn-mean", "1000"}, "conversation-turn-mean"},
	}
	for _, c := range cases {
		err := checkHistorySize(opts(t, append([]string{"-m", "x"}, c.args...)...))
		var oe *options.Error
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%v: refused: %v", c.args, err)
		case c.want != "" && (!errors.As(err, &oe) || oe.Flag != c.want):
			t.Errorf("%v: error %v, want one naming --%s", c.args, err, c.want)
		}
	}
}
