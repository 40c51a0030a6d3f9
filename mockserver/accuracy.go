package mockserver

// multipleChoice is the mock's answer to a multiple-choice question as
// AIPerf's accuracy benchmarks ask it (the last user message ends in
// "Answer:"): always the first choice, "A", so a test knows the score from
// its questions' gold answers. Other prompts get nil: the usual echo.
func multipleChoice(echo []string) []string {
	if len(echo) > 0 && echo[len(echo)-1] == "Answer:" {
		return []string{"A"}
	}
	return nil
}
