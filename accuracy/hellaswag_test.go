package accuracy

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/hubtest"
)

// TestHellaSwagPrompt holds the prompt to DeepEval's HellaSwagTemplate
// (generate_output over format_question), as AIPerf's hellaswag.py sends
// it: one user message, the template's grammar kept.
func TestHellaSwagPrompt(t *testing.T) {
	shot := hellaswagRow{ActivityLabel: "Zumba", Ctx: "A woman dances", Endings: []string{"a", "b", "c", "d"}, Label: "2"}
	row := hellaswagRow{ActivityLabel: "Ping-pong", Ctx: "Two men play", Endings: []string{"w", "x", "y", "z"}, Label: "1"}
	s, err := shot.question(true)
	if err != nil {
		t.Fatal(err)
	}
	p, err := hellaswagProblem("Ping-pong", row, []string{s}, "")
	if err != nil {
		t.Fatal(err)
	}
	want := "The following are multiple choice questions (with answers) are sentence completion problems about Ping-pong.\n\n" +
		"A woman dances\nA. a\nB. b\nC. c\nD. d\nAnswer: C\n\n" +
		"Two men play\nA. w\nB. x\nC. y\nD. z\nAnswer:" +
		"\n\nOutput 'A', 'B', 'C', or 'D'. Full answer not needed."
	if !slices.Equal(p.Messages, []Message{{"user", want}}) || p.Gold != "B" || p.MaxTokens != 5 || p.Task != "Ping-pong" {
		t.Errorf("problem %+v", p)
	}
	if _, err := hellaswagProblem("Ping-pong", hellaswagRow{Endings: []string{"a", "b", "c", "d"}, Label: "4"}, nil, ""); err == nil {
		t.Error("label 4 accepted")
	}
	if hellaswagEnumName("Cars & Other Vehicles") != "CARS_AND_OTHER_VEHICLES" || hellaswagEnumName("Carving jack-o-lanterns") != "CARVING_JACK_O_LANTERNS" {
		t.Error(hellaswagEnumName("Cars & Other Vehicles"), hellaswagEnumName("Carving jack-o-lanterns"))
	}
}

// TestLoadHellaSwagFromFakeHub: the shots are the first train row of each
// activity label; the questions the labelled validation rows, task by
// task in DeepEval's order.
func TestLoadHellaSwagFromFakeHub(t *testing.T) {
	row := func(label, ctx, gold string) hellaswagRow {
		return hellaswagRow{ActivityLabel: label, Ctx: ctx, Endings: []string{"e0", "e1", "e2", "e3"}, Label: gold}
	}
	c := fakeHub(t, map[string][]byte{
		"datasets/Rowan/hellaswag/default/train/0000.parquet": hubtest.Parquet(t,
			row("Zumba", "z1", "0"), row("Zumba", "z2", "1"), row("Ballet", "b1", "3"), row("Sailing", "s1", "2")),
		"datasets/Rowan/hellaswag/default/validation/0000.parquet": hubtest.Parquet(t,
			row("Zumba", "vz", "1"), row("Ballet", "vb", "0"), row("Juggling", "vj", "0"), row("Ballet", "vb2", "")),
	})
	problems, err := Load(context.Background(), c, &Config{Benchmark: "hellaswag", NShots: 2, Grader: "exact_match"})
	if err != nil {
		t.Fatal(err)
	}
	// Ballet comes before Zumba in HellaSwagTask; Juggling is no task.
	if len(problems) != 2 || problems[0].Task != "Ballet" || problems[0].Gold != "A" || problems[1].Task != "Zumba" || problems[1].Gold != "B" {
		t.Fatalf("problems %+v", problems)
	}
	if m := problems[0].Messages[0].Content; !strings.Contains(m, "about Ballet.\n\nz1\n") || !strings.Contains(m, "Answer: A\n\nb1\n") ||
		!strings.Contains(m, "Answer: D\n\nvb\nA. e0") || strings.Contains(m, "z2") {
		t.Errorf("prompt %q", m)
	}
	if _, err := Load(context.Background(), c, &Config{Benchmark: "hellaswag", NShots: 4, Grader: "exact_match"}); err == nil ||
		!strings.Contains(err.Error(), "4 few-shot examples asked, but the train split has 3 activity labels") {
		t.Errorf("too many shots: %v", err)
	}
}

// TestLoadHellaSwagNullable reads Rowan/hellaswag as the Hub's Arrow
// conversion writes it: every column nullable.
func TestLoadHellaSwagNullable(t *testing.T) {
	type row struct {
		ActivityLabel *string  `parquet:"activity_label,optional"`
		Ctx           *string  `parquet:"ctx,optional"`
		Endings       []string `parquet:"endings,optional,list"`
		Label         *string  `parquet:"label,optional"`
	}
	s := func(v string) *string { return &v }
	c := fakeHub(t, map[string][]byte{"datasets/Rowan/hellaswag/default/validation/0000.parquet": hubtest.Parquet(t,
		row{s("Zumba"), s("She dances"), []string{"a", "b", "c", "d"}, s("3")})})
	problems, err := Load(context.Background(), c, &Config{Benchmark: "hellaswag", Grader: "exact_match"})
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 1 || problems[0].Gold != "D" || !strings.Contains(problems[0].Messages[0].Content, "She dances\nA. a\nB. b\nC. c\nD. d\nAnswer:") {
		t.Errorf("problems %+v", problems)
	}
}
