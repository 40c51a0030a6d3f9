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
