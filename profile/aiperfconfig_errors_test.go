package profile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/endpoint"
)

// A file YAML cannot decode, or whose schema_version is not AIPerf's, fails
// in one line naming the file and every fault with its line.
func TestConfigDecodeErrorsOneLine(t *testing.T) {
	for file, want := range map[string]string{
		"dup_key.yaml": `--config (AIPERF_CONFIG): testdata/config/dup_key.yaml: not YAML: yaml: ` +
			`line 4: mapping key "models" already defined at line 3; line 6: mapping key "phases" already defined at line 5`,
		"non_string_key.yaml": `--config (AIPERF_CONFIG): testdata/config/non_string_key.yaml: not YAML: yaml: ` +
			`line 2: cannot unmarshal !!seq into string`,
		"utf16_dup_key.yaml": `--config (AIPERF_CONFIG): testdata/config/utf16_dup_key.yaml: not YAML: yaml: ` +
			`line 4: mapping key "models" already defined at line 3`,
		"schema_number.yaml": `--config (AIPERF_CONFIG): testdata/config/schema_number.yaml: ` +
			`schema_version 2.0: a number; AIPerf reads only the string "2.0" (write it quoted)`,
		// Only an int or a float is "a number": the rest is named for what it is not.
		"schema_bool.yaml": `--config (AIPERF_CONFIG): testdata/config/schema_bool.yaml: ` +
			`schema_version true: not the string "2.0", the only schema AIPerf reads`,
		"schema_null.yaml": `--config (AIPERF_CONFIG): testdata/config/schema_null.yaml: ` +
			`schema_version ~: not the string "2.0", the only schema AIPerf reads`,
		"schema_list.yaml": `--config (AIPERF_CONFIG): testdata/config/schema_list.yaml: ` +
			`schema_version: not the string "2.0", the only schema AIPerf reads`,
	} {
		_, err := ReadConfig(filepath.Join("testdata", "config", file))
		if err == nil || err.Error() != want {
			t.Errorf("%s:\n got %v\nwant %s", file, err, want)
		}
	}
}

// A value from the file that the options' checks refuse is named by the
// file's key as written (and its flag); one the command line or the
// environment gives keeps the flag's own message.
func TestConfigBlamesKey(t *testing.T) {
	for _, c := range []struct {
		name, file string
		env        string // AIPERF_CONCURRENCY, when not ""
		args       []string
		want       string
	}{
		{name: "concurrency from the file", file: "concurrency_negative.yaml",
			want: "--config (AIPERF_CONFIG): testdata/config/concurrency_negative.yaml: " +
				"benchmark.phases.profiling.concurrency (--concurrency): must be >= 1, got -1"},
		{name: "endpoint type from the file", file: "endpoint_type_number.yaml",
			want: "--config (AIPERF_CONFIG): testdata/config/endpoint_type_number.yaml: " +
				`benchmark.endpoint.type (--endpoint-type): unknown endpoint type "5" (want ` + endpoint.Names() + ")"},
		{name: "concurrency from the command line", file: "concurrency_negative.yaml", args: []string{"--concurrency", "-3"},
			want: "--concurrency (AIPERF_CONCURRENCY): must be >= 1, got -3"},
		{name: "concurrency from the environment", file: "concurrency_negative.yaml", env: "-2",
			want: "--concurrency (AIPERF_CONCURRENCY): must be >= 1, got -2"},
	} {
		if c.env != "" {
			t.Setenv("AIPERF_CONCURRENCY", c.env)
		}
		r := parseArgs(t, c.args...)
		cfg, err := ReadConfig(filepath.Join("testdata", "config", c.file))
		if err != nil {
			t.Fatal(err)
		}
		if err := cfg.Apply(r.fs, r.set); err != nil {
			t.Fatal(err)
		}
		if err := cfg.Blame(r.o.Validate()); err == nil || err.Error() != c.want {
			t.Errorf("%s:\n got %v\nwant %s", c.name, err, c.want)
		}
	}
}

// A value of a megabyte is named by its first 100 bytes and its length, never
// copied whole onto the error line (as inputs quote a file's fields).
func TestConfigErrorsClipLongValues(t *testing.T) {
	long := strings.Repeat("x", 1<<20)
	clipped := `"` + long[:100] + `…" (1048576 bytes)`
	for _, c := range []struct {
		name, yaml, want string
	}{
		{"schema_version", "schema_version: " + long + "\nbenchmark:\n  model: m\n",
			"schema_version " + clipped + ": only AIPerf's 2.0 is read"},
		{"unquoted number", "schema_version: 2." + strings.Repeat("0", 1<<20) + "\nbenchmark:\n  model: m\n",
			"schema_version 2." + strings.Repeat("0", 98) + "… (1048578 bytes): a number"},
		{"endpoint.type", "benchmark:\n  model: m\n  endpoint:\n    type: " + long + "\n",
			"benchmark.endpoint.type (--endpoint-type): unknown endpoint type " + clipped},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "long.yaml")
			if err := os.WriteFile(path, []byte(c.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := ReadConfig(path)
			if err == nil {
				r := parseArgs(t)
				if err = cfg.Apply(r.fs, r.set); err == nil {
					err = cfg.Blame(r.o.Validate())
				}
			}
			if err == nil || !strings.Contains(err.Error(), c.want) || len(err.Error()) > 1000 {
				t.Errorf("got %.300v (%d bytes), want a short line containing %s", err, len(err.Error()), c.want)
			}
		})
	}
}
