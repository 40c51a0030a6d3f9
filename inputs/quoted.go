package inputs

import "github.com/aiperf-exporter/aiperf-exporter/internal/quote"

// quoted is s as %q shows it, a long value cut (quote.Value). Every error
// that quotes a value read from the user (a file's field, a flag) quotes it
// through here.
func quoted(s string) string { return quote.Value(s) }

// clipped is s unquoted, cut as quoted cuts it (quote.Clip).
func clipped(s string) string { return quote.Clip(s) }
