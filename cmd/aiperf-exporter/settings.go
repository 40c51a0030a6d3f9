package main

import (
	"flag"

	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// parseSettings fills the option structs ptrs point to: tag defaults < AIPERF_*
// environment < command-line flags (options.Parse), then refuses a number that
// has no meaning for its setting (NaN, an infinity, a negative count, a
// duration that overflows or rounds to zero), naming the flag and variable.
// The result names the settings (by flag) that were given.
func parseSettings(fs *flag.FlagSet, args []string, ptrs ...any) (map[string]bool, error) {
	set, err := options.Parse(fs, args, ptrs...)
	if err != nil {
		return nil, err
	}
	return set, nil
}
