package main

import (
	"flag"
	"os"
	"reflect"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// parseSettings fills the option structs ptrs point to in the order every
// command shares: tag defaults < AIPERF_* environment < command-line flags.
// It registers one flag per tagged field on fs, loads the environment
// (options.LoadEnv: a bad value is one error line naming the variable) and
// parses args; flag.ErrHelp and parse errors come back unchanged. The result
// names the settings (by flag) that were given, on the command line or in the
// environment.
func parseSettings(fs *flag.FlagSet, args []string, ptrs ...any) (map[string]bool, error) {
	for _, p := range ptrs {
		if err := options.Register(fs, p); err != nil {
			return nil, err
		}
	}
	if err := options.LoadEnv(ptrs...); err != nil {
		return nil, err
	}
	if err := loadMockEnv(fs, mockPrefix); err != nil { // AIPERF_MOCK_*, when the command has --mock.*
		return nil, err
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	set := envSet(ptrs...)
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set, nil
}

// envSet names the flags whose AIPERF_* variable is set in the environment.
func envSet(ptrs ...any) map[string]bool {
	set := map[string]bool{}
	for _, p := range ptrs {
		t := reflect.TypeOf(p).Elem()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			key := f.Tag.Get("envconfig")
			if key == "" {
				continue
			}
			if _, ok := os.LookupEnv(options.EnvPrefix + "_" + key); ok {
				set[f.Tag.Get("flag")] = true
			}
		}
	}
	return set
}

// unknownEnv names the AIPERF_* variables that set nothing in this command:
// no field of ptrs and no --mock.* flag registered on fs.
func unknownEnv(fs *flag.FlagSet, ptrs ...any) []string {
	var mock []string
	fs.VisitAll(func(f *flag.Flag) {
		if strings.HasPrefix(f.Name, mockPrefix) {
			mock = append(mock, options.EnvName(f.Name))
		}
	})
	return options.UnknownEnv(os.Environ(), mock, ptrs...)
}
