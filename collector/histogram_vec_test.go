package collector

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

func clientGolangFamily(opts prometheus.HistogramOpts, labels []string) histogramFamily {
	return prometheus.NewHistogramVec(opts, labels)
}

// The whole collector gathers the same with client_golang's HistogramVec as
// with histVec: names, help, types, labels, classic and native buckets,
// exemplars. Timestamps are cleared: the two read the clock apart.
func TestCollectorMatchesClientGolang(t *testing.T) {
	scenarios := []Scenario{testScenario, {Name: "bench", Models: []string{"mock-model"}, Targets: []string{"mock"}, Concurrency: 8}}
	regs := []*prometheus.Registry{prometheus.NewPedanticRegistry(), prometheus.NewPedanticRegistry()}
	var cols []*Collector
	for i, f := range []newFamily{clientGolangFamily, ourFamily} {
		c, err := newCollector(regs[i], scenarios, f)
		if err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	records := []*record.Record{success("req-1"), serverError(), warmup()}
	for k := range 60 {
		records = append(records, benchRecord("bench", k*7))
	}
	for _, r := range records {
		for _, c := range cols {
			c.Started(r.Scenario, r.Model, r.Target)
			c.Observe(r)
		}
		time.Sleep(time.Microsecond) // distinct exemplar timestamps: their order counts
	}
	want, got := gatherProbe(t, regs[0]), gatherProbe(t, regs[1])
	if len(want) != len(got) || len(got) != 28 {
		t.Fatalf("%d families with client_golang, %d with ours; want the 27 of the contract and build_info", len(want), len(got))
	}
	for i := range want {
		if !proto.Equal(want[i], got[i]) {
			t.Errorf("family %s differs\nclient_golang:\n%s\nours:\n%s", want[i].GetName(), prototext.Format(want[i]), prototext.Format(got[i]))
		}
	}
}

// gatherProbe gathers the aiperf_ families of reg with timestamps cleared.
func gatherProbe(t *testing.T, reg prometheus.Gatherer) []*dto.MetricFamily {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var out []*dto.MetricFamily
	for _, mf := range mfs {
		if !strings.HasPrefix(mf.GetName(), "aiperf_") {
			continue
		}
		mf = proto.Clone(mf).(*dto.MetricFamily)
		for _, m := range mf.Metric {
			if c := m.Counter; c != nil {
				c.CreatedTimestamp = nil
			}
			if h := m.Histogram; h != nil {
				h.CreatedTimestamp = nil
				for _, e := range h.Exemplars {
					e.Timestamp = nil
				}
				for _, b := range h.Bucket {
					if b.Exemplar != nil {
						b.Exemplar.Timestamp = nil
					}
				}
			}
		}
		out = append(out, mf)
	}
	return out
}

func TestHistVecLabels(t *testing.T) {
	v := newHistVec(histogramOpts("h", "help", TTFTBuckets), []string{"b", "a"})
	if v.WithLabelValues("x", "y") != v.WithLabelValues("x", "y") || v.WithLabelValues("x", "y") == v.WithLabelValues("y", "x") {
		t.Error("label values do not map one to one to series")
	}
	var m dto.Metric
	if err := v.WithLabelValues("x", "y").(prometheus.Metric).Write(&m); err != nil {
		t.Fatal(err)
	}
	// Compared field by field: protobuf's text form varies its spacing on purpose.
	if l := m.Label; len(l) != 2 || l[0].GetName() != "a" || l[0].GetValue() != "y" || l[1].GetName() != "b" || l[1].GetValue() != "x" {
		t.Errorf("label pairs %v: want a=y then b=x", l)
	}
	for _, bad := range [][]string{{"x"}, {"x", "y", "z"}, {"x", "\xff"}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("label values %q: no panic", bad)
				}
			}()
			v.WithLabelValues(bad...)
		}()
	}
}

// Observations, new series and gathers at once: run with -race. Every
// observation is counted exactly once.
func TestHistVecConcurrent(t *testing.T) {
	v := newHistVec(histogramOpts("h", "help", TTFTBuckets), []string{"s"})
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(v)
	const workers, each = 4, 300
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				o := v.WithLabelValues(fmt.Sprint("s", i%5))
				if i%3 == 0 {
					o.(prometheus.ExemplarObserver).ObserveWithExemplar(float64(i)/100, prometheus.Labels{"request_id": fmt.Sprint(w, i)})
				} else {
					o.Observe(float64(i) / 100)
				}
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			if _, err := reg.Gather(); err != nil {
				t.Error(err)
			}
		}
	})
	wg.Wait()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var total uint64
	for _, m := range mfs[0].Metric {
		total += m.Histogram.GetSampleCount()
	}
	if len(mfs[0].Metric) != 5 || total != workers*each {
		t.Errorf("%d series with %d observations, want 5 with %d", len(mfs[0].Metric), total, workers*each)
	}
}
