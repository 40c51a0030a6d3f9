package options

import "flag"

// Parse fills the option structs ptrs point to in the order every command
// shares: tag defaults < AIPERF_* environment < command-line flags. It
// registers one flag per tagged field on fs, parses args, then loads the
// environment into the settings the command line left alone (a bad value is
// one error line naming the variable); flag.ErrHelp and parse errors come
// back unchanged. The result names the settings that were given, on the
// command line or in the environment, by their flag names: a flag given by an
// alias (--isl-stddev) counts as its own (--synthetic-input-tokens-stddev).
func Parse(fs *flag.FlagSet, args []string, ptrs ...any) (map[string]bool, error) {
	for _, p := range ptrs {
		if err := Register(fs, p); err != nil {
			return nil, err
		}
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	given := map[string]bool{} // by flag name, whichever alias was used
	fs.Visit(func(f *flag.Flag) { given[flagOf(f)] = true })
	if err := loadEnv(given, ptrs...); err != nil {
		return nil, err
	}
	set := EnvSet(ptrs...)
	for name := range given {
		set[name] = true
	}
	return set, nil
}
