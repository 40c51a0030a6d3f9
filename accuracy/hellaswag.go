package accuracy

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/aiperf-exporter/aiperf-exporter/hub"
)

// HellaSwag follows AIPerf's benchmarks/hellaswag.py, which renders
// DeepEval's HellaSwag template: Rowan/hellaswag's validation split, one
// task per activity label (in the order of DeepEval's HellaSwagTask), the
// few-shot examples the first train rows of each label, the whole prompt
// one user message, a bare letter graded by exact_match.
const (
	hellaswagRepo      = "Rowan/hellaswag"
	hellaswagMaxTokens = 5
	hellaswagMaxShots  = 15 // DeepEval's bound
)

// HellaSwagTasks are DeepEval's HellaSwagTask values, in its order: the
// activity labels --accuracy-tasks takes (or their upper-snake enum names).
var HellaSwagTasks = []string{
	"Applying sunscreen", "Trimming branches or hedges", "Disc dog", "Wakeboarding", "Skateboarding",
	"Waterskiing", "Washing hands", "Sailing", "Playing congas", "Ballet", "Roof shingle removal",
	"Hand car wash", "Kite flying", "Playing pool", "Playing lacrosse", "Layup drill in basketball",
	"Home and Garden", "Playing beach volleyball", "Calf roping", "Scuba diving", "Mixing drinks",
	"Putting on shoes", "Making a lemonade", "Uncategorized", "Zumba", "Playing badminton",
	"Playing bagpipes", "Food and Entertaining", "Personal Care and Style", "Cricket",
	"Shoveling snow", "Ping-pong", "Holidays and Traditions", "Ice fishing", "Beach soccer",
	"Table soccer", "Swimming", "Baton twirling", "Javelin throw", "Shot put", "Doing crunches",
	"Polishing shoes", "Travel", "Using uneven bars", "Playing harmonica", "Relationships",
	"High jump", "Making a sandwich", "Powerbocking", "Removing ice from car", "Shaving",
	"Sharpening knives", "Welding", "Using parallel bars", "Home,Categories", "Rock climbing",
	"Snow tubing", "Washing face", "Assembling bicycle", "Tennis serve with ball bouncing",
	"Shuffleboard", "Dodgeball", "Capoeira", "Paintball", "Doing a powerbomb", "Doing motocross",
	"Playing ice hockey", "Philosophy and Religion", "Archery", "Cars & Other Vehicles",
	"Running a marathon", "Throwing darts", "Painting furniture", "Having an ice cream",
	"Slacklining", "Camel ride", "Arm wrestling", "Hula hoop", "Surfing", "Playing piano",
	"Gargling mouthwash", "Playing accordion", "Horseback riding", "Putting in contact lenses",
	"Playing saxophone", "Futsal", "Long jump", "Longboarding", "Pole vault", "Building sandcastles",
	"Plataform diving", "Painting", "Spinning", "Carving jack-o-lanterns", "Braiding hair", "Youth",
	"Playing violin", "Canoeing", "Cheerleading", "Pets and Animals", "Kayaking", "Cleaning shoes",
	"Knitting", "Baking cookies", "Doing fencing", "Playing guitarra", "Using the rowing machine",
	"Getting a haircut", "Mooping floor", "River tubing", "Cleaning sink", "Grooming dog",
	"Discus throw", "Cleaning windows", "Finance and Business", "Hanging wallpaper", "Rope skipping",
	"Windsurfing", "Kneeling", "Getting a piercing", "Rock-paper-scissors", "Sports and Fitness",
	"Breakdancing", "Walking the dog", "Playing drums", "Playing water polo", "BMX",
	"Smoking a cigarette", "Blowing leaves", "Bullfighting", "Drinking coffee", "Bathing dog",
	"Tango", "Wrapping presents", "Plastering", "Playing blackjack", "Fun sliding down", "Work World",
	"Triple jump", "Tumbling", "Skiing", "Doing kickboxing", "Blow-drying hair", "Drum corps",
	"Smoking hookah", "Mowing the lawn", "Volleyball", "Laying tile", "Starting a campfire", "Sumo",
	"Hurling", "Playing kickball", "Making a cake", "Fixing the roof", "Playing polo",
	"Removing curlers", "Elliptical trainer", "Health", "Spread mulch", "Chopping wood",
	"Brushing teeth", "Using the pommel horse", "Snatch", "Clipping cat claws", "Putting on makeup",
	"Hand washing clothes", "Hitting a pinata", "Tai chi", "Getting a tattoo", "Drinking beer",
	"Shaving legs", "Doing karate", "Playing rubik cube", "Family Life", "Rollerblading",
	"Education and Communications", "Fixing bicycle", "Beer pong", "Ironing clothes",
	"Cutting the grass", "Raking leaves", "Playing squash", "Hopscotch", "Installing carpet",
	"Polishing forniture", "Decorating the Christmas tree", "Preparing salad", "Preparing pasta",
	"Vacuuming floor", "Clean and jerk", "Computers and Electronics", "Croquet",
}

// hellaswagEnumName is the HellaSwagTask member name of a label: upper
// case, "&" as AND, other non-alphanumerics as "_" (two labels' names fix
// their typos).
func hellaswagEnumName(label string) string {
	switch label {
	case "Plataform diving":
		return "PLATFORM_DIVING"
	case "Polishing forniture":
		return "POLISHING_FURNITURE"
	}
	label = strings.ReplaceAll(label, " & ", " and ")
	return strings.ToUpper(strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return '_'
	}, label))
}

// hellaswagTask is the label a --accuracy-tasks value names, as AIPerf's
// _resolve_tasks: the label ignoring case, else its enum name.
func hellaswagTask(name string) (string, bool) {
	for _, l := range HellaSwagTasks {
		if strings.EqualFold(l, name) || hellaswagEnumName(l) == strings.ToUpper(name) {
			return l, true
		}
	}
	return "", false
}

// hellaswagRow is a row of Rowan/hellaswag; the label is the gold index as
// text, empty in the unlabelled test split.
type hellaswagRow struct {
	ActivityLabel string   `parquet:"activity_label"`
	Ctx           string   `parquet:"ctx"`
	Endings       []string `parquet:"endings,list"`
	Label         string   `parquet:"label"`
}

// question is DeepEval's format_question: the context, the four endings as
// "A. ..." lines, "Answer:", and with the answer " X" and a blank line.
func (r hellaswagRow) question(withAnswer bool) (string, error) {
	if len(r.Endings) < 4 {
		return "", fmt.Errorf("%d endings, not 4", len(r.Endings))
	}
	var b strings.Builder
	b.WriteString(r.Ctx)
	for i, e := range r.Endings[:4] {
		b.WriteString("\n" + letters[i:i+1] + ". " + e)
	}
	b.WriteString("\nAnswer:")
	if withAnswer {
		g, err := r.gold()
		if err != nil {
			return "", err
		}
		b.WriteString(" " + g + "\n\n")
	}
	return b.String(), nil
}

func (r hellaswagRow) gold() (string, error) {
	if len(r.Label) != 1 || r.Label[0] < '0' || r.Label[0] > '3' {
		return "", fmt.Errorf("label %q is not 0-3", r.Label)
	}
	return letters[r.Label[0]-'0' : r.Label[0]-'0'+1], nil
}

// hellaswagPrompt is DeepEval's generate_output: the task line, the shots,
// the question and the instruction to answer with a letter.
func hellaswagPrompt(task, question string, shots []string) string {
	return "The following are multiple choice questions (with answers) are sentence completion problems about " + task + ".\n\n" +
		strings.Join(shots, "") + question + "\n\nOutput 'A', 'B', 'C', or 'D'. Full answer not needed."
}

// loadHellaSwag reads the train split for the shots (the first row of each
// activity label, in train order) and the validation split's labelled rows
// of each task.
func loadHellaSwag(ctx context.Context, c *hub.Client, cfg *Config) ([]Problem, error) {
	var shots []string
	if cfg.NShots > 0 {
		train, err := readSplit[hellaswagRow](ctx, c, hellaswagRepo, "default/train")
		if err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		for i, r := range train {
			if seen[r.ActivityLabel] || len(shots) == cfg.NShots {
				continue
			}
			seen[r.ActivityLabel] = true
			q, err := r.question(true)
			if err != nil {
				return nil, fmt.Errorf("default/train row %d: %w", i+1, err)
			}
			shots = append(shots, q)
		}
		if len(shots) < cfg.NShots {
			return nil, fmt.Errorf("%d few-shot examples asked, but the train split has %d activity labels", cfg.NShots, len(shots))
		}
	}
	val, err := readSplit[hellaswagRow](ctx, c, hellaswagRepo, "default/validation")
	if err != nil {
		return nil, err
	}
	tasks := cfg.Tasks
	if len(tasks) == 0 {
		tasks = HellaSwagTasks
	}
	var out []Problem
	for _, task := range tasks {
		for i, r := range val {
			if r.ActivityLabel != task || r.Label == "" {
				continue
			}
			p, err := hellaswagProblem(task, r, shots, cfg.SystemPrompt)
			if err != nil {
				return nil, fmt.Errorf("default/validation row %d: %w", i+1, err)
			}
			out = append(out, p)
		}
	}
	return out, nil
}

func hellaswagProblem(task string, r hellaswagRow, shots []string, system string) (Problem, error) {
	q, err := r.question(false)
	if err != nil {
		return Problem{}, err
	}
	gold, err := r.gold()
	if err != nil {
		return Problem{}, err
	}
	msgs := append(systemMessage(system), Message{Role: "user", Content: hellaswagPrompt(task, q, shots)})
	return Problem{Task: task, Gold: gold, Messages: msgs, MaxTokens: hellaswagMaxTokens}, nil
}
