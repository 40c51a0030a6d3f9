package accuracy

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
)

// MMLU follows AIPerf's benchmarks/mmlu.py, itself a port of lighteval's
// MMLU task: dataset lighteval/mmlu, one config per subject, the test split
// graded and the dev split giving the few-shot examples.
const mmluRepo = "lighteval/mmlu"

// MMLU's generation budgets (AIPerf's generation_size, sent as max tokens):
// one letter without chain of thought, room to reason with it.
const (
	mmluMaxTokens    = 5
	mmluCoTMaxTokens = 4000
)

// MMLUSubjects are MMLU's 57 subjects, the values --accuracy-tasks takes.
var MMLUSubjects = []string{
	"abstract_algebra", "anatomy", "astronomy", "business_ethics", "clinical_knowledge",
	"college_biology", "college_chemistry", "college_computer_science", "college_mathematics",
	"college_medicine", "college_physics", "computer_security", "conceptual_physics", "econometrics",
	"electrical_engineering", "elementary_mathematics", "formal_logic", "global_facts",
	"high_school_biology", "high_school_chemistry", "high_school_computer_science",
	"high_school_european_history", "high_school_geography", "high_school_government_and_politics",
	"high_school_macroeconomics", "high_school_mathematics", "high_school_microeconomics",
	"high_school_physics", "high_school_psychology", "high_school_statistics", "high_school_us_history",
	"high_school_world_history", "human_aging", "human_sexuality", "international_law", "jurisprudence",
	"logical_fallacies", "machine_learning", "management", "marketing", "medical_genetics",
	"miscellaneous", "moral_disputes", "moral_scenarios", "nutrition", "philosophy", "prehistory",
	"professional_accounting", "professional_law", "professional_medicine", "professional_psychology",
	"public_relations", "security_studies", "sociology", "us_foreign_policy", "virology", "world_religions",
}

// checkTasks returns the tasks to run (empty or "all": every one), or an
// error naming the first unknown one. Only MMLU (subjects) and HellaSwag
// (activity labels) have tasks: AIPerf ignores --accuracy-tasks otherwise.
func checkTasks(bench string, tasks []string) ([]string, error) {
	var known func(string) (string, bool)
	var count int
	switch bench {
	case "mmlu":
		known, count = func(s string) (string, bool) { return s, contains(MMLUSubjects, s) }, len(MMLUSubjects)
	case "hellaswag":
		known, count = hellaswagTask, len(HellaSwagTasks)
	default:
		return nil, nil
	}
	var out []string
	for _, t := range tasks {
		for _, part := range strings.Split(t, ",") { // AIPerf: comma lists or repeated flags
			part = strings.TrimSpace(part)
			if part == "all" || bench == "hellaswag" && strings.EqualFold(part, "all") {
				return nil, nil
			}
			if part == "" {
				continue
			}
			task, ok := known(part)
			if !ok {
				return nil, &FlagError{"accuracy-tasks", fmt.Sprintf("unknown %s task %q (one of the %d in README's accuracy section, or all)", bench, part, count)}
			}
			out = append(out, task)
		}
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Row is one MMLU question: its four choices and the gold index.
type Row struct {
	Question string
	Choices  []string
	Answer   int
}

var letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

// gold is the answer as lighteval's CHOICES writes it: " A".
func (r Row) gold() string { return " " + letters[r.Answer:r.Answer+1] }

// choiceLines is "\nA. first\nB. second...".
func (r Row) choiceLines() string {
	var b strings.Builder
	for i, c := range r.Choices {
		if i >= len(letters) {
			break
		}
		b.WriteString("\n" + letters[i:i+1] + ". " + c)
	}
	return b.String()
}

// mmluInstruction opens the first user message. With chain of thought it asks
// for AIPerf's "The answer is (X)" ending, which the grader looks for.
func mmluInstruction(subject string, cot bool) string {
	s := "The following are multiple choice questions (with answers) about " + strings.ReplaceAll(subject, "_", " ") + "."
	if cot {
		s += ` Think step by step and then output the answer in the format of "The answer is (X)" at the end.`
	}
	return s + "\n\n"
}

// mmluProblem builds one question's chat messages as AIPerf's
// _build_chat_messages does (lighteval's chat template): the few-shot
// examples as user/assistant turns, the instruction in the first user
// message, the question last; a system prompt, when given, first.
func mmluProblem(subject string, row Row, shots []Row, cot bool, system string) Problem {
	examples := make([]exchange, len(shots))
	for i, s := range shots {
		examples[i] = exchange{"Question: " + s.Question + s.choiceLines() + "\nAnswer:", s.gold()}
	}
	q := "Question: " + row.Question + row.choiceLines() + "\n"
	if cot {
		q += "Let's think step by step.\n"
	}
	msgs := fewShotChat(system, mmluInstruction(subject, cot), examples, q+"Answer:")
	maxTokens := mmluMaxTokens
	if cot {
		maxTokens = mmluCoTMaxTokens
	}
	return Problem{Task: subject, Gold: row.gold(), Messages: msgs, MaxTokens: maxTokens}
}

// balancedShots picks n few-shot examples from the dev split as AIPerf's
// _balanced_sample_indices does (lighteval's "balanced" sampler, variance
// seed 0): examples grouped by their gold answer's text, the groups with most
// examples first (ties shuffled), then round-robin over the groups, a random
// example of each, all drawn from Python's random.Random(0).
func balancedShots(dev []Row, n int) []Row {
	if n <= 0 || len(dev) == 0 {
		return nil
	}
	byLabel := map[string][]int{}
	pooled := 0
	for i, r := range dev {
		if r.Answer < len(r.Choices) {
			l := r.Choices[r.Answer]
			byLabel[l] = append(byLabel[l], i)
			pooled++
		}
	}
	byCount := map[int][]string{}
	for _, l := range slices.Sorted(maps.Keys(byLabel)) { // sorted, as Python's sorted(items())
		byCount[len(byLabel[l])] = append(byCount[len(byLabel[l])], l)
	}
	counts := make([]int, 0, len(byCount))
	for c := range byCount {
		counts = append(counts, c)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(counts)))
	rng := newPyRandom(0)
	var labels []string
	for _, c := range counts {
		group := byCount[c]
		rng.shuffle(len(group), func(i, j int) { group[i], group[j] = group[j], group[i] })
		labels = append(labels, group...)
	}
	var picked []int
	for remaining, k := min(pooled, n+1), 0; remaining > 0 && len(labels) > 0; k++ {
		l := labels[k%len(labels)]
		pool := byLabel[l]
		if len(pool) == 0 {
			continue
		}
		j := rng.below(len(pool))
		picked = append(picked, pool[j])
		byLabel[l] = append(pool[:j:j], pool[j+1:]...)
		remaining--
	}
	out := make([]Row, 0, n)
	for _, i := range picked[:min(n, len(picked))] {
		out = append(out, dev[i])
	}
	return out
}
