package tokens

import (
	"strings"
	"testing"
)

// benchText is 4 KB of the corpus, the prose synthetic prompts are cut from.
func benchText(b *testing.B) string {
	b.Helper()
	text := readCorpus(b)[:4096]
	return strings.ToValidUTF8(text, "")
}

// BenchmarkCount counts 4 KB of prose per op with each family: pipeline is
// sugarme's (the path before the encoder), encoder the encoder with a warm
// word cache, cold the encoder with its cache emptied before every op.
func BenchmarkCount(b *testing.B) {
	text := benchText(b)
	for _, name := range []string{"gpt2", "qwen2", "llama3"} {
		h, err := LoadHF(fixtures[name])
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name+"/pipeline", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				if _, err := h.pipelineEncode(text); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/encoder", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				h.Count(text)
			}
		})
		b.Run(name+"/cold", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				h.enc.cache = newWordCache()
				h.Count(text)
			}
		})
	}
}

// BenchmarkCountParallel counts from all Ps at once, as the probe's workers
// do: against the serial encoder figure, it shows what the shared word cache
// costs (run with -cpu 1,2,4...).
func BenchmarkCountParallel(b *testing.B) {
	text := benchText(b)
	for _, name := range []string{"gpt2", "qwen2", "llama3"} {
		h, err := LoadHF(fixtures[name])
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					h.Count(text)
				}
			})
		})
	}
}

// BenchmarkEncode is the id path inputs uses to cut synthetic prompts.
func BenchmarkEncode(b *testing.B) {
	text := benchText(b)
	h, err := LoadHF(fixtures["llama3"])
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if _, err := h.Encode(text); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCountChat counts a system prompt and 4 KB of prose through the
// real Qwen3 chat template (render, then count) against counting the bare
// text: the template's cost per dataset turn with --apply-chat-template.
func BenchmarkCountChat(b *testing.B) {
	text := benchText(b)
	h, err := LoadHF(fixtures["qwen2"])
	if err != nil {
		b.Fatal(err)
	}
	ct, err := LoadChatTemplate("testdata/chattemplate/qwen3")
	if err != nil {
		b.Fatal(err)
	}
	h.SetChatTemplate(ct)
	msgs := []ChatMessage{{Role: "system", Content: "You are a helpful assistant."}, {Role: "user", Content: text}}
	b.Run("bare", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			h.Count(text)
		}
	})
	b.Run("template", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			if _, ok := h.CountChat(msgs); !ok {
				b.Fatal("no count")
			}
		}
	})
}
