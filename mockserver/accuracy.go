package mockserver

// multipleChoice is the mock's answer to a question as AIPerf's accuracy
// benchmarks ask it (the last user message ends in "Answer:", or in
// HellaSwag's "Full answer not needed."), fixed so a
// test knows the score from its questions' gold answers: "A" when the
// question lists choices (MMLU: a line "A. ..."), "\boxed{42}" to a
// "Problem:" (AIME's form), else "#### 42" (GSM8K's answer format). Other
// prompts get nil: the usual echo. GPQA's prompt, which asks for a last
// line 'Answer: $LETTER', gets "Answer: A".
func multipleChoice(echo []string) []string {
	for _, w := range echo {
		if w == "'Answer:" {
			return []string{"Answer:", "A"}
		}
	}
	if !endsIn(echo, "Answer:") && !endsIn(echo, "Full", "answer", "not", "needed.") {
		return nil
	}
	for _, w := range echo {
		switch w {
		case "A.":
			return []string{"A"}
		case "Problem:":
			return []string{`\boxed{42}`}
		}
	}
	return []string{"####", "42"}
}

// endsIn reports whether the words end with tail.
func endsIn(words []string, tail ...string) bool {
	if len(words) < len(tail) {
		return false
	}
	for i, w := range tail {
		if words[len(words)-len(tail)+i] != w {
			return false
		}
	}
	return true
}
