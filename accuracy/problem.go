package accuracy

// Message is one chat message of a problem's prompt.
type Message struct {
	Role    string
	Content string
}

// Problem is one benchmark question, ready to send: the messages (the last
// is the question), the answer budget and what a correct answer is.
type Problem struct {
	Task      string
	Gold      string
	Grader    string // the --accuracy-grader that grades its answer
	Messages  []Message
	MaxTokens int
}

// exchange is one few-shot example: a question and its answer.
type exchange struct{ question, answer string }

// fewShotChat is the chat form AIPerf gives a few-shot prompt (lighteval's
// PromptManager): the system prompt first, the examples as user/assistant
// turns, the instruction opening the first user message, the question last.
func fewShotChat(system, instruction string, shots []exchange, question string) []Message {
	msgs := systemMessage(system)
	for _, s := range shots {
		msgs = append(msgs, Message{Role: "user", Content: instruction + s.question}, Message{Role: "assistant", Content: s.answer})
		instruction = ""
	}
	return append(msgs, Message{Role: "user", Content: instruction + question})
}

func systemMessage(system string) []Message {
	if system == "" {
		return nil
	}
	return []Message{{Role: "system", Content: system}}
}
