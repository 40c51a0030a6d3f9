package options

// RefuseWithout refuses the first of flags that was given (set is what
// Parse reports given) while the flag they depend on was not; msg says which
// ("needs --otel-url"). AIPerf refuses such flags rather than drop them
// silently; nil when none of them was given.
func RefuseWithout(set map[string]bool, msg string, flags ...string) error {
	for _, f := range flags {
		if set[f] {
			return &Error{Flag: f, Msg: msg}
		}
	}
	return nil
}
