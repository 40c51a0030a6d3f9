package collector

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/model"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// Native exemplar defaults of client_golang for options that leave
// NativeHistogramMaxExemplars and NativeHistogramExemplarTTL at zero.
const (
	nativeMaxExemplars = 10
	nativeExemplarTTL  = 5 * time.Minute
)

// newExemplar builds an exemplar as client_golang does, with the same checks:
// label names valid and not reserved, values UTF-8, at most
// prometheus.ExemplarMaxRunes runes of names and values together.
func newExemplar(v float64, ts time.Time, l prometheus.Labels) (*dto.Exemplar, error) {
	t := timestamppb.New(ts)
	if err := t.CheckValid(); err != nil {
		return nil, fmt.Errorf("exemplar timestamp: %w", err)
	}
	pairs := make([]*dto.LabelPair, 0, len(l))
	runes := 0
	for name, value := range l {
		if !model.UTF8Validation.IsValidLabelName(name) || strings.HasPrefix(name, model.ReservedLabelPrefix) {
			return nil, fmt.Errorf("exemplar label name %q is invalid", name)
		}
		if !utf8.ValidString(value) {
			return nil, fmt.Errorf("exemplar label value %q is not valid UTF-8", value)
		}
		runes += utf8.RuneCountInString(name) + utf8.RuneCountInString(value)
		pairs = append(pairs, &dto.LabelPair{Name: &name, Value: &value})
	}
	if runes > prometheus.ExemplarMaxRunes {
		return nil, fmt.Errorf("exemplar labels have %d runes, exceeding the limit of %d", runes, prometheus.ExemplarMaxRunes)
	}
	return &dto.Exemplar{Label: pairs, Value: &v, Timestamp: t}, nil
}

// nativeExemplars keeps up to max exemplars for the native histogram, sorted by
// value, with client_golang's replacement rule once full: an exemplar older than
// ttl goes first, else the older of the closest pair (on a log scale) unless the
// new one would sit closer to a neighbour, then that neighbour.
type nativeExemplars struct {
	max int
	ttl time.Duration
	ex  []*dto.Exemplar
}

func (n *nativeExemplars) add(e *dto.Exemplar) {
	if len(n.ex) < n.max {
		i := 0
		for i < len(n.ex) && e.GetValue() >= n.ex[i].GetValue() {
			i++
		}
		n.ex = append(n.ex, nil)
		copy(n.ex[i+1:], n.ex[i:])
		n.ex[i] = e
		return
	}
	if len(n.ex) == 1 {
		n.ex[0] = e
		return
	}
	if len(n.ex) == 0 {
		return
	}
	ins, repl := n.placement(e)
	n.replace(ins, repl, e)
}

// placement returns where e goes by value (ins: before the first exemplar whose
// value is not below e's) and which exemplar it replaces (repl).
func (n *nativeExemplars) placement(e *dto.Exemplar) (ins, repl int) {
	var (
		oldest    time.Time
		oldestIdx = -1
		minDiff   = -1.0 // log distance of the closest pair
		cur, prev float64
	)
	ins, repl = -1, -1
	for i, x := range n.ex {
		if t := x.Timestamp.AsTime(); oldestIdx == -1 || t.Before(oldest) {
			oldest, oldestIdx = t, i
		}
		if ins == -1 && e.GetValue() <= x.GetValue() {
			ins = i
		}
		prev, cur = cur, math.Log(x.GetValue())
		if i == 0 {
			continue
		}
		if d := math.Abs(cur - prev); minDiff == -1 || d < minDiff {
			minDiff = d
			if x.Timestamp.AsTime().Before(n.ex[i-1].Timestamp.AsTime()) {
				repl = i
			} else {
				repl = i - 1
			}
		}
	}
	if ins == -1 {
		ins = len(n.ex)
	}
	if oldestIdx != -1 && e.Timestamp.AsTime().Sub(oldest) > n.ttl {
		return ins, oldestIdx
	}
	logE := math.Log(e.GetValue())
	if ins > 0 {
		if d := math.Abs(logE - math.Log(n.ex[ins-1].GetValue())); d < minDiff {
			minDiff, repl = d, ins-1
		}
	}
	if ins < len(n.ex) {
		if d := math.Abs(math.Log(n.ex[ins].GetValue()) - logE); d < minDiff {
			repl = ins
		}
	}
	return ins, repl
}

// replace removes the exemplar at repl and puts e where ins pointed before the removal.
func (n *nativeExemplars) replace(ins, repl int, e *dto.Exemplar) {
	switch {
	case repl == ins:
		n.ex[ins] = e
	case repl < ins:
		copy(n.ex[repl:ins-1], n.ex[repl+1:ins])
		n.ex[ins-1] = e
	default:
		copy(n.ex[ins+1:repl+1], n.ex[ins:repl])
		n.ex[ins] = e
	}
}
