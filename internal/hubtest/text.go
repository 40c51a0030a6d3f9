package hubtest

// ImageCell is how the Hub's parquet conversion stores an image: its bytes
// and path.
type ImageCell struct {
	Bytes []byte `parquet:"bytes"`
	Path  string `parquet:"path"`
}

// MMStarRow is the shape of Lin-Chen/MMStar's rows: a question and its image.
type MMStarRow struct {
	Index    int64     `parquet:"index"`
	Question string    `parquet:"question"`
	Image    ImageCell `parquet:"image"`
	Answer   string    `parquet:"answer"`
}

// NuminaRow is the shape of AI-MO/NuminaMath-TIR's rows.
type NuminaRow struct {
	Problem  string `parquet:"problem"`
	Solution string `parquet:"solution"`
}

// BlazeditRow is the shape of vdaita/edit_5k_char's rows.
type BlazeditRow struct {
	Code          string `parquet:"code"`
	ChangeRequest string `parquet:"change_request"`
}

// LLaVAMessage is one message of LLaVA-OneVision's conversations.
type LLaVAMessage struct {
	From  string `parquet:"from"`
	Value string `parquet:"value"`
}

// LLaVARow is the shape of lmms-lab/LLaVA-OneVision-Data's rows.
type LLaVARow struct {
	ID            string         `parquet:"id"`
	Image         ImageCell      `parquet:"image"`
	Conversations []LLaVAMessage `parquet:"conversations,list"`
}

// MMVURow is the shape of yale-nlp/MMVU's rows: a question, its choices as a
// struct of letters, and the video as a URL.
type MMVURow struct {
	ID       string `parquet:"id"`
	Question string `parquet:"question"`
	Choices  struct {
		A string `parquet:"A"`
		B string `parquet:"B"`
		C string `parquet:"C"`
		D string `parquet:"D"`
		E string `parquet:"E"`
	} `parquet:"choices"`
	Video string `parquet:"video"`
}

// MTBenchRow is the shape of HuggingFaceH4/mt_bench_prompts' rows: the turns
// of a question as a list of strings.
type MTBenchRow struct {
	Category  string   `parquet:"category"`
	Prompt    []string `parquet:"prompt,list"`
	Reference []string `parquet:"reference,list"`
	PromptID  int64    `parquet:"prompt_id"`
}

// VisionArenaMessage is one message of VisionArena-Chat's conversation.
type VisionArenaMessage struct {
	Role    string `parquet:"role"`
	Content string `parquet:"content"`
}

// VisionArenaRow is the shape of lmarena-ai/VisionArena-Chat's rows: each
// turn of the conversation wrapped in its own list, the images a list.
type VisionArenaRow struct {
	ConversationID string                 `parquet:"conversation_id"`
	Conversation   [][]VisionArenaMessage `parquet:"conversation,list"`
	Images         []ImageCell            `parquet:"images,list"`
}
