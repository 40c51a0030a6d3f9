package inputs

import "github.com/aiperf-exporter/aiperf-exporter/internal/clip"

// quoted is s as %q shows it, a long value cut (clip.Quote). Every error
// that quotes a value read from the user (a file's field, a flag) quotes it
// through here.
func quoted(s string) string { return clip.Quote(s) }

// clipped is s unquoted, cut as quoted cuts it (clip.Text).
func clipped(s string) string { return clip.Text(s) }
