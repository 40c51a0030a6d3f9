package main

import (
	"os"
	"testing"
)

// mainEnv makes the test binary run main's dispatcher instead of the tests,
// so a test can start a real `aiperf-exporter` process and signal it.
const mainEnv = "RUN_AIPERF_EXPORTER_MAIN"

// TestMain keeps the tests off the internet: the tokenizer defaults to the
// model name, fetched from the Hugging Face Hub, so every test (and every
// process a test starts) runs with the Hub offline (cache only) unless it sets
// HF_* itself. With mainEnv set it is that process: main's dispatcher.
func TestMain(m *testing.M) {
	if os.Getenv("HF_HUB_OFFLINE") == "" {
		os.Setenv("HF_HUB_OFFLINE", "1")
	}
	if os.Getenv("HF_ENDPOINT") == "" {
		os.Setenv("HF_ENDPOINT", "http://127.0.0.1:9")
	}
	if os.Getenv(mainEnv) == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
