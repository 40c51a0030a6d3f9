package collector

import (
	"fmt"
	"slices"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// gathered is what one OpenMetrics scrape writes of a registry, in name order
// once merged: the families the registry gathers, but for the hist series,
// which are kept apart, already written as text.
type gathered struct {
	mfs   []*dto.MetricFamily // as reg.Gather returns them, without the hist series
	hists []histFamily        // by name
	text  *[]byte             // the lines of the hist series; back to textPool by release
}

// histFamily is the hist series of one family, sorted as the registry sorts a
// family's metrics (by label values).
type histFamily struct {
	cfg    *histConfig
	series []histText
}

// histText is a hist series and, when it is plain, its lines.
type histText struct {
	h          *hist
	start, end int  // its lines in gathered.text
	plain      bool // false: written from dto by expfmt (appendHistogramFamily would not write it)
}

// textPool keeps the text buffers of the hist series between scrapes.
var textPool = newFreeList(scrapesAtOnce, func() *[]byte { return new([]byte) })

// gatherFast gathers reg as reg.Gather does but for the cost: the hist series
// (histVec families, the bulk of a scrape) are written as text straight from
// their state, without Write and the registry's checks, and while the other
// collectors are collected. reg stays the one source of truth: its
// collectors are collected (reg.Collect) into a throwaway registry that does
// what reg.Gather does to each metric (Write, consistency and duplicate
// checks, sorting), and the hist series are diverted on the way, so a
// concurrent reg.Gather elsewhere sees nothing different.
//
// What the diversion skips is checked here: a hist family whose name clashes
// with another family, or two hist series with the same labels, makes the
// whole scrape a plain reg.Gather, so the error or output is reg.Gather's.
// Unlike reg.Gather, the collectors are collected one after the other, and a
// pedantic registry's extra checks are not made.
func gatherFast(reg *prometheus.Registry) (*gathered, error) {
	d := &diverter{reg: reg, text: textPool.get()}
	*d.text = (*d.text)[:0]
	view := prometheus.NewRegistry()
	if err := view.Register(d); err != nil {
		return nil, fmt.Errorf("scrape registry: %w", err)
	}
	mfs, err := view.Gather()
	g := &gathered{mfs: mfs, text: d.text}
	if err != nil || len(d.hists) == 0 {
		return g, err
	}
	if g.hists = groupHists(d.hists); g.hists == nil || clashes(g) {
		g.release()
		return gatherAll(reg)
	}
	return g, nil
}

// gatherAll is reg.Gather as a gathered.
func gatherAll(reg *prometheus.Registry) (*gathered, error) {
	mfs, err := reg.Gather()
	return &gathered{mfs: mfs}, err
}

// release gives the text buffer back; g is not to be written after.
func (g *gathered) release() {
	if g != nil && g.text != nil {
		textPool.put(g.text)
		g.text = nil
	}
}

// diverter is an unchecked collector (it describes nothing) that collects reg,
// writing the hist series as text and passing every other metric on.
type diverter struct {
	reg   *prometheus.Registry
	hists []histText
	text  *[]byte
	snap  histSnapshot
}

func (d *diverter) Describe(chan<- *prometheus.Desc) {}

func (d *diverter) Collect(ch chan<- prometheus.Metric) {
	all := make(chan prometheus.Metric, 256)
	go func() {
		defer close(all)
		defer func() {
			// reg.Gather recovers a collector's panic as an error; so do we.
			if r := recover(); r != nil {
				err := fmt.Errorf("prometheus collector panic recovered: %v", r)
				all <- prometheus.NewInvalidMetric(prometheus.NewInvalidDesc(err), err)
			}
		}()
		d.reg.Collect(all)
	}()
	defer func() {
		for range all { // after a panic below, reg.Collect still ends
		}
	}()
	for m := range all {
		h, ok := m.(*hist)
		if !ok {
			ch <- m
			continue
		}
		t := histText{h: h, start: len(*d.text)}
		*d.text, t.plain = h.appendOpenMetrics(*d.text, &d.snap)
		t.end = len(*d.text)
		d.hists = append(d.hists, t)
	}
}

// groupHists sorts hs into families by name and, within a family, by label
// values as the registry sorts metrics. It returns nil when the series cannot
// be written as reg.Gather would return them: a name shared by two families,
// or two series with the same labels (reg.Gather reports both as errors).
func groupHists(hs []histText) []histFamily {
	slices.SortFunc(hs, func(a, b histText) int {
		if c := strings.Compare(a.h.cfg.name, b.h.cfg.name); c != 0 {
			return c
		}
		return compareLabelValues(a.h.labels, b.h.labels)
	})
	var out []histFamily
	for i, t := range hs {
		if i > 0 && t.h.cfg.name == hs[i-1].h.cfg.name {
			f := &out[len(out)-1]
			if t.h.cfg != f.cfg || compareLabelValues(t.h.labels, hs[i-1].h.labels) == 0 {
				return nil
			}
			f.series = append(f.series, t)
			continue
		}
		out = append(out, histFamily{cfg: t.h.cfg, series: hs[i : i+1 : i+1]})
	}
	return out
}

// compareLabelValues orders label sets as the registry's metric sorter does:
// by number of labels, then value by value.
func compareLabelValues(a, b []*dto.LabelPair) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	for i := range a {
		if c := strings.Compare(a[i].GetValue(), b[i].GetValue()); c != 0 {
			return c
		}
	}
	return 0
}

// clashes reports whether a hist family collides with another family as
// reg.Gather's checks see it: the same name, or a histogram or summary whose
// _count, _sum (or, for a histogram, _bucket) is another family's name.
func clashes(g *gathered) bool {
	types := make(map[string]dto.MetricType, len(g.mfs)+len(g.hists))
	for _, mf := range g.mfs {
		types[mf.GetName()] = mf.GetType()
	}
	for _, f := range g.hists {
		if _, dup := types[f.cfg.name]; dup {
			return true
		}
		types[f.cfg.name] = dto.MetricType_HISTOGRAM
	}
	for name := range types {
		for _, suffix := range []string{"_count", "_sum", "_bucket"} {
			base, ok := strings.CutSuffix(name, suffix)
			if !ok {
				continue
			}
			if t, ok := types[base]; ok && (t == dto.MetricType_HISTOGRAM || t == dto.MetricType_SUMMARY && suffix != "_bucket") {
				return true
			}
		}
	}
	return false
}

// plain reports whether every series of f was written as text, so the
// family is written from it.
func (f *histFamily) plain() bool {
	if !f.cfg.plainName {
		return false
	}
	for _, t := range f.series {
		if !t.plain {
			return false
		}
	}
	return true
}

// metricFamily returns f as the registry gathers it, for expfmt.
func (f *histFamily) metricFamily() (*dto.MetricFamily, error) {
	mf := &dto.MetricFamily{Name: &f.cfg.name, Help: &f.cfg.help, Type: dto.MetricType_HISTOGRAM.Enum()}
	for _, t := range f.series {
		m := &dto.Metric{}
		if err := t.h.Write(m); err != nil {
			return nil, err
		}
		mf.Metric = append(mf.Metric, m)
	}
	return mf, nil
}
