package main

import (
	"flag"
	"reflect"
	"slices"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// mockSettings has a row for every flag of options.Mock, and each row puts
// its flag's value into the mock's Config: a flag without one would be
// accepted and never reach the mock.
func TestMockSettingsCoverEveryFlag(t *testing.T) {
	var m options.Mock
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	if err := options.Register(fs, &m); err != nil {
		t.Fatal(err)
	}
	var flags []string
	fs.VisitAll(func(f *flag.Flag) { flags = append(flags, f.Name) })
	var rows []string
	for _, s := range mockSettings {
		rows = append(rows, s.flag)
	}
	slices.Sort(flags)
	slices.Sort(rows)
	if !slices.Equal(flags, rows) {
		t.Fatalf("mockSettings rows %v, want one per flag of options.Mock %v", rows, flags)
	}
	for _, name := range flags {
		before, err := validMock(&m)
		if err != nil {
			t.Fatalf("defaults refused: %v", err)
		}
		was := fs.Lookup(name).Value.String()
		if err := fs.Set(name, "1"); err != nil {
			t.Fatal(err)
		}
		after, _ := validMock(&m)
		if reflect.DeepEqual(before, after) {
			t.Errorf("--%s 1 leaves the mock's Config as it was", name)
		}
		if err := fs.Set(name, was); err != nil {
			t.Fatal(err)
		}
	}
}
