package daemon

import (
	"os"
	"testing"
)

// TestMain keeps the tests off the internet: the tokenizer defaults to the
// model name, fetched from the Hugging Face Hub, so every test runs with the
// Hub offline (cache only) unless it sets HF_* itself.
func TestMain(m *testing.M) {
	if os.Getenv("HF_HUB_OFFLINE") == "" {
		os.Setenv("HF_HUB_OFFLINE", "1")
	}
	if os.Getenv("HF_ENDPOINT") == "" {
		os.Setenv("HF_ENDPOINT", "http://127.0.0.1:9")
	}
	os.Exit(m.Run())
}
