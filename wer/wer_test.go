package wer

import (
	"math"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Hello, World!", "hello world"},
		{"The train leaves at 7 o'clock.", "the train leaves at seven oclock"},
		{"twenty-five", "twenty five"},
		{"25", "twenty five"},
		{"1,500 birds", "one thousand five hundred birds"},
		{"3.5%", "three point five percent"},
		{"0.05", "zero point zero five"},
		{"007", "zero zero seven"},
		{"2,000,000", "two million"},
		{"101", "one hundred one"},
		{"Tom & Jerry", "tom and jerry"},
		{"Um, I think... uh yes", "i think yes"},
		{"Don’t STOP", "dont stop"},
		{"Ünïcode Straße", "ünïcode straße"},
		{"end.", "end"},
		{"1.2.3", "one point two three"},
		{"mp3 files, w0 and the 25th at 7pm", "mp3 files w0 and the 25th at 7pm"},
		{"(42)", "forty two"},
		{"", ""},
		{"?!", ""},
	} {
		if got := strings.Join(Normalize(tc.in), " "); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRate(t *testing.T) {
	for _, tc := range []struct {
		ref, hyp string
		want     float64
		ok       bool
	}{
		{"the cat sat", "the cat sat", 0, true},
		{"The cat sat.", "the cat, sat", 0, true},
		{"the cat sat", "the dog sat", 1.0 / 3, true},      // one substitution
		{"the cat sat", "the sat", 1.0 / 3, true},          // one deletion
		{"the cat sat", "the cat sat down", 1.0 / 3, true}, // one insertion
		{"the cat sat", "", 1, true},                       // everything deleted
		{"a b", "c d e f", 2, true},                        // can exceed 1
		{"He walked 25 miles", "he walked twenty-five miles", 0, true},
		{"", "anything", 0, false},
		{"...", "", 0, false},
	} {
		got, ok := Rate(tc.ref, tc.hyp)
		if ok != tc.ok || math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("Rate(%q, %q) = %v, %v; want %v, %v", tc.ref, tc.hyp, got, ok, tc.want, tc.ok)
		}
	}
}

func TestDistanceIsSymmetricAndBounded(t *testing.T) {
	a := strings.Fields("a b c d e f g")
	b := strings.Fields("x b c y e g g h")
	if d1, d2 := Distance(a, b), Distance(b, a); d1 != d2 || d1 != 4 {
		t.Errorf("Distance = %d / %d, want 4 both ways", d1, d2)
	}
	if d := Distance(nil, b); d != len(b) {
		t.Errorf("Distance(nil, b) = %d, want %d", d, len(b))
	}
}

func BenchmarkRate(b *testing.B) {
	ref := "The farmer woke before dawn, fed the animals, repaired a broken fence and still found time to read the morning paper by the fire."
	hyp := "the farmer woke before dawn fed the animal repaired a broken fence and found time to read the morning paper by a fire"
	for b.Loop() {
		Rate(ref, hyp)
	}
}
