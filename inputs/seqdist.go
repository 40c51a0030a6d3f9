package inputs

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// seqPair is one (ISL, OSL) bucket of --seq-dist with its percentage.
type seqPair struct {
	isl, osl             int
	islStddev, oslStddev float64
	percent              float64
}

// seqDist draws (ISL, OSL) pairs: a bucket by its percentage, then each
// length from it (AIPerf's SequenceLengthDistribution).
type seqDist struct {
	pairs []seqPair
	cum   []float64 // cumulative fraction of pairs[:i+1]
}

// One pair: ISL[|stddev],OSL[|stddev] then the percentage (AIPerf's patterns).
const seqPairRE = `(\d+)(?:\|([0-9]*\.?[0-9]+))?\s*,\s*(\d+)(?:\|([0-9]*\.?[0-9]+))?`

var (
	semicolonPair = regexp.MustCompile(`^` + seqPairRE + `\s*:\s*([0-9]*\.?[0-9]+)$`)
	bracketPair   = regexp.MustCompile(`\(\s*` + seqPairRE + `\s*\)\s*:\s*([0-9]*\.?[0-9]+)`)
)

// parseSeqDist reads --seq-dist in AIPerf's three formats: semicolon
// ("256,128:40;512|20,256|10:60"), bracket ("[(256,128):40,(512,256):60]")
// and JSON ({"pairs": [{"isl": 256, "osl": 128, "prob": 40, "isl_stddev": 10}]}).
// Lengths must be positive, percentages in [0, 100] summing to 100.
func parseSeqDist(s string) (*seqDist, error) {
	s = strings.TrimSpace(s)
	var pairs []seqPair
	var err error
	switch {
	case s == "":
		return nil, errors.New("empty distribution")
	case strings.HasPrefix(s, "{"):
		pairs, err = jsonPairs(s)
	case strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]"):
		for _, m := range bracketPair.FindAllStringSubmatch(s[1:len(s)-1], -1) {
			p, err := pairFrom(m[1:])
			if err != nil {
				return nil, err
			}
			pairs = append(pairs, p)
		}
	default:
		for _, part := range strings.Split(s, ";") {
			if part = strings.TrimSpace(part); part == "" {
				continue
			}
			m := semicolonPair.FindStringSubmatch(part)
			if m == nil {
				return nil, fmt.Errorf("pair %s is not ISL[|STDDEV],OSL[|STDDEV]:PERCENT", quoted(part))
			}
			p, err := pairFrom(m[1:])
			if err != nil {
				return nil, err
			}
			pairs = append(pairs, p)
		}
	}
	if err != nil {
		return nil, err
	}
	return newSeqDist(pairs)
}

// pairFrom converts the five matched groups: isl, isl stddev, osl, osl stddev, percent.
func pairFrom(g []string) (seqPair, error) {
	num := func(s string) float64 {
		if s == "" {
			return 0
		}
		v, _ := strconv.ParseFloat(s, 64) // the pattern admits only numbers
		return v
	}
	isl, err1 := strconv.Atoi(g[0])
	osl, err2 := strconv.Atoi(g[2])
	if err := errors.Join(err1, err2); err != nil {
		return seqPair{}, err
	}
	return seqPair{isl: isl, islStddev: num(g[1]), osl: osl, oslStddev: num(g[3]), percent: num(g[4])}, nil
}

// jsonPairs reads the JSON format, each pair needing isl, osl and prob.
func jsonPairs(s string) ([]seqPair, error) {
	var doc struct {
		Pairs *[]map[string]json.Number `json:"pairs"`
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("invalid JSON: %v", err)
	}
	if doc.Pairs == nil {
		return nil, errors.New(`JSON must hold a "pairs" list`)
	}
	var out []seqPair
	for i, m := range *doc.Pairs {
		var vals [5]float64
		for k, key := range []string{"isl", "isl_stddev", "osl", "osl_stddev", "prob"} {
			n, ok := m[key]
			if !ok {
				if key == "isl_stddev" || key == "osl_stddev" {
					continue
				}
				return nil, fmt.Errorf("pair %d has no %q", i, key)
			}
			v, err := n.Float64()
			if err != nil {
				return nil, fmt.Errorf("pair %d: %s: %v", i, key, err)
			}
			vals[k] = v
		}
		if vals[0] != math.Trunc(vals[0]) || vals[2] != math.Trunc(vals[2]) || math.Abs(vals[0]) > maxInputLength || math.Abs(vals[2]) > maxInputLength {
			return nil, fmt.Errorf("pair %d: isl and osl must be whole numbers up to %d", i, maxInputLength)
		}
		out = append(out, seqPair{isl: int(vals[0]), islStddev: vals[1], osl: int(vals[2]), oslStddev: vals[3], percent: vals[4]})
	}
	return out, nil
}

// newSeqDist checks the pairs and their percentages (summing to 100, as AIPerf).
func newSeqDist(pairs []seqPair) (*seqDist, error) {
	if len(pairs) == 0 {
		return nil, errors.New("no (ISL, OSL) pair found")
	}
	d := &seqDist{pairs: pairs}
	total := 0.0
	for _, p := range pairs {
		switch {
		case p.isl < 1 || p.isl > maxInputLength:
			return nil, fmt.Errorf("ISL must be between 1 and %d, got %d", maxInputLength, p.isl)
		case p.osl < 1 || p.osl > maxInputLength:
			return nil, fmt.Errorf("OSL must be between 1 and %d, got %d", maxInputLength, p.osl)
		case !(p.percent >= 0 && p.percent <= 100):
			return nil, fmt.Errorf("a percentage must be between 0 and 100, got %g", p.percent)
		case !(p.islStddev >= 0 && p.oslStddev >= 0) || math.IsInf(p.islStddev, 0) || math.IsInf(p.oslStddev, 0):
			return nil, errors.New("a stddev must be a finite number >= 0")
		}
		total += p.percent
		d.cum = append(d.cum, total/100)
	}
	if math.Abs(total-100) > 1e-6 {
		return nil, fmt.Errorf("the percentages must sum to 100, got %g", total)
	}
	return d, nil
}

// draw picks a bucket by its percentage and draws its ISL and OSL (each a
// positive normal integer when it has a stddev).
func (d *seqDist) draw(rng *rand.Rand) (isl, osl int) {
	r := rng.Float64()
	i := min(sort.Search(len(d.cum), func(i int) bool { return d.cum[i] > r }), len(d.pairs)-1)
	p := d.pairs[i]
	return drawLength(rng, p.isl, p.islStddev), drawLength(rng, p.osl, p.oslStddev)
}

// drawLength is n, or with a stddev a positive normal integer around it, at
// most maxInputLength.
func drawLength(rng *rand.Rand, n int, stddev float64) int {
	if stddev <= 0 {
		return n
	}
	return min(maxInputLength, positiveNormalInt(rng, float64(n), stddev))
}
