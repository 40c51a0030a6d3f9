// Package publicdata loads AIPerf's public datasets (--public-dataset): speech
// clips with their transcripts, and text and vision prompts (text.go),
// from the Hugging Face Hub: the dataset's parquet files through package hub
// (so the Hub cache, mirrors and offline mode apply), read with
// github.com/parquet-go/parquet-go, the audio decoded in pure Go (FLAC with
// github.com/mewkiz/flac) and turned into WAV, with each row's transcript.
package publicdata

import (
	"fmt"
	"sort"
)

// MaxSeconds is the longest clip kept, as in AIPerf: longer ones are skipped
// to stay within typical ASR model context limits.
const MaxSeconds = 30

// Spec says where a dataset's rows are. Names, repositories, configs and
// splits are AIPerf's registry's (plugins.yaml); the prompt and the 30 s
// limit follow AIPerf's ASR documentation. Rows are read from the Hub's
// parquet conversion (revision refs/convert/parquet, folders
// <config>/<split>), which every dataset on the Hub has.
type Spec struct {
	Repo      string
	Revision  string
	Dir       string // folder of the split's parquet files: <subset>/<split>
	Audio     string // audio column: a struct of bytes and path
	Text      string // transcript column
	NeedsAuth bool   // gated: HF_TOKEN of an account that accepted the terms
}

// Datasets are the names --public-dataset accepts.
var Datasets = map[string]Spec{
	"librispeech": {Repo: "openslr/librispeech_asr", Revision: "refs/convert/parquet", Dir: "clean/test", Audio: "audio", Text: "text"},
	"voxpopuli":   {Repo: "facebook/voxpopuli", Revision: "refs/convert/parquet", Dir: "en/test", Audio: "audio", Text: "normalized_text"},
	"gigaspeech":  {Repo: "speechcolab/gigaspeech", Revision: "refs/convert/parquet", Dir: "xs/test", Audio: "audio", Text: "text", NeedsAuth: true},
	"ami":         {Repo: "edinburghcstr/ami", Revision: "refs/convert/parquet", Dir: "ihm/test", Audio: "audio", Text: "text"},
	"spgispeech":  {Repo: "kensho/spgispeech", Revision: "refs/convert/parquet", Dir: "test/test", Audio: "audio", Text: "transcript", NeedsAuth: true},
}

// Names lists the dataset names, speech and text, sorted.
func Names() []string {
	out := make([]string, 0, len(Datasets)+len(TextDatasets))
	for n := range Datasets {
		out = append(out, n)
	}
	for n := range TextDatasets {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Lookup returns the spec of the speech dataset name, or an error.
func Lookup(name string) (Spec, error) {
	s, ok := Datasets[name]
	if !ok {
		if _, err := Kind(name); err != nil {
			return Spec{}, err
		}
		return Spec{}, fmt.Errorf("public dataset %s is not a speech dataset", name)
	}
	return s, nil
}
