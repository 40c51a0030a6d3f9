package main

import (
	"os"
	"testing"
)

// reexecEnv makes the test binary run the command instead of the tests, so
// that a test can run `aiperf-exporter` as a real process (and kill it).
const reexecEnv = "AIPERF_EXPORTER_TEST_REEXEC"

func TestMain(m *testing.M) {
	if os.Getenv(reexecEnv) == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
