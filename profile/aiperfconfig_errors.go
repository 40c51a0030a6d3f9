package profile

import (
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// configError is a fault of the --config file: it names the file, then what
// in it is wrong.
func configError(path, format string, a ...any) error {
	return &options.Error{Flag: "config", Msg: path + ": " + fmt.Sprintf(format, a...)}
}

// oneLine is a YAML decoding error on one line: yaml.v3 puts each of a
// TypeError's messages (each with its line number) on a line of its own.
func oneLine(err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		return errors.New("yaml: " + strings.Join(te.Errors, "; "))
	}
	return err
}

// Blame names the file's key in err when err is a bad setting
// (*options.Error) whose value Apply or SweepArgs took from the file: the
// user wrote that key, not the flag. Any other error, and a setting the
// command line or the environment gave, is returned as it is.
func (f *ConfigFile) Blame(err error) error {
	oe, ok := err.(*options.Error)
	if !ok {
		return err
	}
	key, fromFile := f.applied[oe.Flag]
	if !fromFile {
		return err
	}
	return configError(f.path, "%s (--%s): %s", key, oe.Flag, oe.Msg)
}
