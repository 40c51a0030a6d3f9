package inputs

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// line is one non-blank line of an input file.
type line struct {
	file string
	no   int // 1-based
	data []byte
}

// errorf names the file and line of a problem.
func (l line) errorf(format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", l.file, l.no, fmt.Sprintf(format, args...))
}

// loadFile reads --input-file (a directory only for random_pool, raw_payload,
// sagemaker_data_capture and weka_trace) into a dataset of the given type,
// inferred when kind is empty: baseten_trace for a .parquet file,
// burst_gpt_trace for a .csv file, sagemaker_data_capture for Data Capture
// records, inputs_json for a .json file of that shape, weka_trace for a Weka
// trace .json file (or a directory whose first .json file is one), else from
// the first line.
func (b *builder) loadFile(path, kind string) (*Dataset, error) {
	if err := checkType(kind); err != nil {
		return nil, err
	}
	if kind == TypeBaseten || kind == "" && strings.EqualFold(filepath.Ext(path), ".parquet") {
		return b.baseten(path)
	}
	if f := b.o.BasetenFlag(); f != "" {
		return nil, &options.Error{Flag: f, Msg: fmt.Sprintf("applies only to baseten_trace input files (Parquet), and %s is not one", path)}
	}
	if kind == TypeBurstGPT || kind == "" && strings.EqualFold(filepath.Ext(path), ".csv") {
		return b.burstGPT(path)
	}
	r := newInputReader(path, b.inputLimit)
	if kind == TypeSageMaker || kind == "" && looksSageMaker(path) {
		return b.sageMaker(r, path)
	}
	if kind == TypeInputsJSON {
		f, err := readInputsJSON(r, path)
		if err != nil {
			return nil, err
		}
		return b.inputsJSON(path, f)
	}
	if kind == "" && isJSONFile(path) {
		return b.loadJSONFile(r, path)
	}
	if kind == TypeWeka {
		return b.weka(path, r, nil)
	}
	if kind == "" {
		if first, wr, ok := sniffWeka(path, b.inputLimit); ok {
			return b.weka(path, wr, first)
		}
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("--input-file: %w", err)
	}
	if st.IsDir() && (kind == TypeRawPayload || kind == "" && looksRawPayloadDir(path)) {
		return b.rawPayloadDir(r, path)
	}
	if st.IsDir() {
		if kind != "" && kind != TypeRandomPool {
			return nil, fmt.Errorf("--input-file: %s is a directory, which only random_pool accepts", path)
		}
		return b.loadPoolDir(r, path)
	}
	data, err := r.read(path)
	if err != nil {
		return nil, err
	}
	return b.loadBytes(r, path, filepath.Dir(path), data, kind)
}

// loadBytes parses the contents of an input file named name whose relative
// media paths start at dir; r reads those media within the input's bound.
func (b *builder) loadBytes(r *inputReader, name, dir string, data []byte, kind string) (*Dataset, error) {
	lines, err := splitLines(name, data)
	if err != nil {
		return nil, err
	}
	if kind == "" {
		if kind, err = lineKind(lines[0].data); err != nil {
			return nil, lines[0].errorf("%v", err)
		}
	}
	if kind != TypeMooncake && kind != TypeBailian {
		if err := b.noSynthesis(name, kind); err != nil {
			return nil, err
		}
	}
	for _, l := range lines {
		if err := checkKind(l, kind); err != nil {
			return nil, err
		}
	}
	m := newMedia(dir, r)
	var d *Dataset
	switch kind {
	case TypeSingleTurn:
		d, err = b.singleTurn(lines, m)
	case TypeMultiTurn:
		if b.o.UUIDAndStrip {
			return nil, errUUIDMultiTurn
		}
		d, err = b.multiTurn(lines, m)
	case TypeRandomPool:
		var pool []turnSpec
		if pool, err = b.poolEntries(lines, m); err == nil {
			d, err = b.randomPool([][]turnSpec{pool})
		}
	case TypeMooncake:
		d, err = b.mooncake(lines)
	case TypeBailian:
		d, err = b.bailian(lines)
	case TypeRawPayload:
		d, err = b.rawPayload(lines)
	}
	if err != nil {
		return nil, err
	}
	return d, nil
}

// splitLines returns the non-blank lines, or an error for an empty file.
func splitLines(name string, data []byte) ([]line, error) {
	var out []line
	for i, l := range bytes.Split(data, []byte("\n")) {
		if l = bytes.TrimSpace(l); len(l) > 0 {
			out = append(out, line{file: name, no: i + 1, data: l})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: empty file", name)
	}
	return out, nil
}

// checkKind refuses a line whose shape belongs to another dataset type.
func checkKind(l line, kind string) error {
	got, err := lineKind(l.data)
	if err != nil {
		return l.errorf("%v", err)
	}
	want := kind
	if kind == TypeRandomPool {
		want = TypeSingleTurn
	}
	if got != want && !(kind == TypeBailian && got == TypeMooncake) { // bailian says which field is missing
		return l.errorf("mixed types: this line is %s, the file is %s", got, kind)
	}
	return nil
}

// errNoModality is returned for a turn with no text, image, audio or video.
var errNoModality = errors.New("no text, image, audio or video")

// noSynthesis refuses the --synthesis-* flags for an input file of a kind
// they do not reshape.
func (b *builder) noSynthesis(name, kind string) error {
	if f := b.o.SynthesisFlag(); f != "" {
		return &options.Error{Flag: f, Msg: fmt.Sprintf("applies only to trace input files (mooncake_trace, bailian_trace, burst_gpt_trace, baseten_trace), and %s is %s", name, kind)}
	}
	return nil
}
