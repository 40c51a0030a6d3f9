package main

import (
	"io"
	"time"

	prof "github.com/aiperf-exporter/aiperf-exporter/profile"
)

func sleepMs(n int) { time.Sleep(time.Duration(n) * time.Millisecond) }

// parseProfile is parseProfileConfig with no file read before: the settings
// a command line gives `profile`.
func parseProfile(args []string, stdout, stderr io.Writer) (prof.Settings, error) {
	s, _, err := parseProfileConfig(args, nil, stdout, stderr)
	return s, err
}
