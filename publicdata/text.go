package publicdata

import (
	"fmt"
	"strings"
)

// Loader families: each is one of AIPerf's public dataset loader classes, and
// a dataset is a row of TextDatasets naming its family and columns.
const (
	ShareGPT     = "sharegpt"     // ShareGPTLoader: a JSON file of human/gpt conversations
	Instruction  = "instruction"  // HFInstructionResponseDatasetLoader: a prompt column
	Conversation = "conversation" // HFConversationDatasetLoader: a message-list column
	MMVU         = "mmvu"         // MMVUDatasetLoader: question, choices and a video URL
	SpecBench    = "spec_bench"   // SpecBenchLoader: a JSONL file on GitHub
	TurnList     = "turn_list"    // MTBenchDatasetLoader: a column listing a row's turns
)

// TextSpec says where a text or vision dataset's rows are and how a row
// becomes turns, as AIPerf's plugin registry (plugins.yaml) says it.
type TextSpec struct {
	Loader string
	Repo   string
	Subset string // Hub config; "" is the Hub's "default"
	Split  string
	// File is ShareGPT's JSON file, read from the repository's main revision.
	File string
	// Prompt is the prompt column; Template, when set, builds the prompt from
	// {column} placeholders instead (blazedit).
	Prompt, Template string
	Image            string // image column (a struct of bytes and path, or a list of them)
	Video            string // video column: a URL or path (MMVU)
	Choices          string // multiple-choice column: a struct of letter to text (MMVU)
	// Messages is the message-list column, Content the key of a message's text.
	Messages, Content string
	NeedsAuth         bool // gated: HF_TOKEN of an account that accepted the terms
}

const blazeditTemplate = "Given a code file, please apply the change requests and generate the new file.\n\nOriginal file:\n```python\n{code}\n```\n\nChange request:\n{change_request}\n\nPlease generate the new code file in the \"New file\" section below."

// TextDatasets are the text and vision names --public-dataset takes.
var TextDatasets = map[string]TextSpec{
	"sharegpt":          {Loader: ShareGPT, Repo: "anon8231489123/ShareGPT_Vicuna_unfiltered", File: "ShareGPT_V3_unfiltered_cleaned_split.json"},
	"aimo":              {Loader: Instruction, Repo: "AI-MO/NuminaMath-TIR", Split: "train", Prompt: "problem"},
	"aimo_aime":         {Loader: Instruction, Repo: "AI-MO/aimo-validation-aime", Split: "train", Prompt: "problem"},
	"aimo_numina_cot":   {Loader: Instruction, Repo: "AI-MO/NuminaMath-CoT", Split: "train", Prompt: "problem"},
	"aimo_numina_1_5":   {Loader: Instruction, Repo: "AI-MO/NuminaMath-1.5", Split: "train", Prompt: "problem"},
	"instruct_coder":    {Loader: Instruction, Repo: "likaixin/InstructCoder", Split: "train", Prompt: "instruction"},
	"blazedit_5k":       {Loader: Instruction, Repo: "vdaita/edit_5k_char", Split: "train", Prompt: "change_request", Template: blazeditTemplate},
	"blazedit_10k":      {Loader: Instruction, Repo: "vdaita/edit_10k_char", Split: "train", Prompt: "change_request", Template: blazeditTemplate},
	"spec_al_gsm8k":     {Loader: Instruction, Repo: "openai/gsm8k", Subset: "main", Split: "test", Prompt: "question"},
	"spec_al_math500":   {Loader: Instruction, Repo: "HuggingFaceH4/MATH-500", Split: "test", Prompt: "problem"},
	"spec_al_humaneval": {Loader: Instruction, Repo: "openai/openai_humaneval", Split: "test", Prompt: "prompt"},
	"spec_al_mbpp":      {Loader: Instruction, Repo: "google-research-datasets/mbpp", Subset: "full", Split: "test", Prompt: "text"},
	"mmstar":            {Loader: Instruction, Repo: "Lin-Chen/MMStar", Split: "val", Prompt: "question", Image: "image"},
	"vision_arena":      {Loader: Conversation, Repo: "lmarena-ai/VisionArena-Chat", Split: "train", Messages: "conversation", Content: "content", Image: "images", NeedsAuth: true},
	"spec_al_mtbench":   {Loader: TurnList, Repo: "HuggingFaceH4/mt_bench_prompts", Split: "train", Prompt: "prompt"},
	"mmvu":              {Loader: MMVU, Repo: "yale-nlp/MMVU", Split: "validation", Prompt: "question", Choices: "choices", Video: "video"},
	"spec_bench":        {Loader: SpecBench, File: "spec_bench.jsonl"},
	"llava_onevision":   {Loader: Conversation, Repo: "lmms-lab/LLaVA-OneVision-Data", Subset: "sharegpt4o", Split: "train", Messages: "conversations", Content: "value", Image: "image"},
}

// Kind says which family name belongs to: "speech" (Datasets), "text"
// (TextDatasets and SPEED-Bench), or an error listing the known names.
func Kind(name string) (string, error) {
	if _, ok := Datasets[name]; ok {
		return "speech", nil
	}
	if _, ok := TextDatasets[name]; ok {
		return "text", nil
	}
	if _, _, ok := speedBench(name); ok {
		return "text", nil
	}
	return "", fmt.Errorf("unknown public dataset %q (want one of %s)", name, strings.Join(Names(), ", "))
}

// Dir is the folder of the Hub's parquet conversion that holds the split.
func (s TextSpec) Dir(subset string) string {
	if subset == "" {
		subset = s.Subset
	}
	if subset == "" {
		subset = "default"
	}
	return subset + "/" + s.Split
}
