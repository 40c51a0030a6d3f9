package options

// Secret is a string that never prints: logs, JSON exports and the landing page
// show "<secret>" instead of the value.
type Secret string

func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "<secret>"
}

// MarshalText keeps the value out of JSON and YAML output.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Reveal returns the real value, for the one place that sends it.
func (s Secret) Reveal() string { return string(s) }
