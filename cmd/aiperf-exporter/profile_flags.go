package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	prof "github.com/aiperf-exporter/aiperf-exporter/profile"
)

// readConfigFile reads --config's file; a test counts its calls.
var readConfigFile = prof.ReadConfig

// parseProfileConfig parses the settings of `profile`: defaults < --config's
// file < AIPERF_* environment < flags, as `serve` reads them; profile.New
// checks the rest. The file is read here unless an earlier pass over the
// command line read it already (cfg): it is read once, then passed on.
func parseProfileConfig(args []string, cfg *prof.ConfigFile, stdout, stderr io.Writer) (prof.Settings, *prof.ConfigFile, error) {
	s := prof.Settings{Args: args}
	mock := options.Mock{TTFTms: 20, ITLms: 5}
	fs := flag.NewFlagSet("profile", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	set, err := options.Parse(fs, args, &s.Options, &s.Profile, &mock)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, "Usage: aiperf-exporter profile [flags]\n\n"+
				"Runs once against --url (or the embedded mock with --mock) and writes AIPerf's report.\n"+
				"Flags take AIPerf's names; --flag value and --flag=value both work; lists take commas or repeats.\n"+
				"Every flag can also be set with its AIPERF_* variable; flags win over the environment.\n\nFlags:\n")
			options.PrintFlags(stdout, fs)
		}
		return s, nil, err
	}
	if fs.NArg() > 0 {
		return s, nil, fmt.Errorf("unexpected argument %s (flags take --name value)", clip.Quote(fs.Arg(0)))
	}
	if s.Profile.AIPerfConfig != "" && cfg == nil {
		if cfg, err = readConfigFile(s.Profile.AIPerfConfig); err != nil {
			return s, nil, err
		}
	}
	if cfg != nil { // AIPerf's YAML: under the environment and the flags
		if err := cfg.Apply(fs, set); err != nil {
			return s, cfg, err
		}
	}
	for _, name := range options.UnknownEnv(os.Environ(), &s.Options, &s.Profile, &mock) {
		fmt.Fprintf(stderr, "Warning: %s names no setting of profile; it is ignored (see --help for the AIPERF_* names).\n", name)
	}
	if err := options.CheckNumbers(&s.Profile, &mock); err != nil {
		return s, cfg, err
	}
	s.Set = set
	if s.Mock, err = validMock(&mock); s.Options.Mock && err != nil {
		return s, cfg, err
	}
	if s.Options.Mock && len(s.Options.Models) == 0 {
		s.Options.Models = []string{mockModel}
	}
	if w := s.Options.DropUnsupportedStreaming(); w != "" {
		fmt.Fprintf(stderr, "Warning: %s\n", w)
	}
	return s, cfg, s.Options.Validate()
}
