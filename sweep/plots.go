package sweep

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/plot"
)

// sloShare is the share of requests that must meet every --goodput SLO for
// a load to count as meeting them (ours): one straggler does not fail a load.
const sloShare = 0.95

// points are the capacity curve's points: one per value that finished, with
// the means of its runs. Per-user throughput is the median request's: a few
// responses whose tokens arrive in one burst make the average meaningless.
func (s *summary) points() []plot.SweepPoint {
	out := make([]plot.SweepPoint, len(s.stats))
	for i, st := range s.stats {
		good, hasGood := st["good_request_count_avg"]
		var label []string
		for _, p := range s.params {
			short, ok := map[string]string{"concurrency": "c", "request_rate": "rate"}[p.Name]
			if !ok {
				short = p.Name
			}
			label = append(label, fmt.Sprintf("%s=%v", short, s.PerCombination[i].Parameters[p.Name]))
		}
		out[i] = plot.SweepPoint{
			Label:            strings.Join(label, " "),
			OutputThroughput: st["output_token_throughput_avg"].Mean,
			PerUser:          st["output_token_throughput_per_user_p50"].Mean,
			TTFTp50:          st["time_to_first_token_p50"].Mean,
			TTFTp99:          st["time_to_first_token_p99"].Mean,
			ITLp50:           st["inter_token_latency_p50"].Mean,
			ITLp99:           st["inter_token_latency_p99"].Mean,
			MeetsSLO:         hasGood && good.Mean > 0 && good.Mean >= sloShare*st["request_count_avg"].Mean,
		}
	}
	return out
}

// curve is one capacity curve of a sweep: the combinations (indexes into
// the summary) that differ only in the load, in sweep order.
type curve struct {
	label string // the other settings: "isl=128"; "" when only the load is swept
	cell  string // the same as a directory name: isl_128
	at    []int
}

// curves splits the sweep into capacity curves, one per value of the
// settings other than the load: concurrency or request rate, else the last
// setting swept.
func (s *summary) curves() []curve {
	load := len(s.params) - 1
	for i, p := range s.params {
		if p.Name == "concurrency" || p.Name == "request_rate" {
			load = i
			break
		}
	}
	var out []curve
	for i, c := range s.combos {
		var label, cell []string
		for j, p := range s.params {
			if j != load {
				label = append(label, p.Name+"="+p.format(c[j]))
				cell = append(cell, p.Name+"_"+p.format(c[j]))
			}
		}
		k := slices.IndexFunc(out, func(cv curve) bool { return cv.label == strings.Join(label, ", ") })
		if k < 0 {
			out = append(out, curve{label: strings.Join(label, ", "), cell: strings.Join(cell, "__")})
			k = len(out) - 1
		}
		out[k].at = append(out[k].at, i)
	}
	return out
}

// plot draws the capacity charts into dir/plots (one directory per curve,
// dir/plots/isl_128, when more than the load is swept) and says where each
// curve's knee and SLO limit are.
func (s *summary) plot(dir string, w io.Writer, hasSLO bool) error {
	all := s.points()
	for _, c := range s.curves() {
		pts := make([]plot.SweepPoint, len(c.at))
		for i, at := range c.at {
			pts[i] = all[at]
		}
		out, of := filepath.Join(dir, plot.Dir), ""
		if c.cell != "" {
			out, of = filepath.Join(out, c.cell), " ("+c.label+")"
		}
		if err := s.plotCurve(out, of, pts, w, hasSLO); err != nil {
			return err
		}
	}
	return nil
}

// plotCurve draws one capacity curve into out.
func (s *summary) plotCurve(out, of string, pts []plot.SweepPoint, w io.Writer, hasSLO bool) error {
	files, err := plot.WriteSweep(out, pts, hasSLO)
	if err != nil {
		return err
	}
	if k := plot.Knee(pts); k >= 0 {
		fmt.Fprintf(w, "  knee of the capacity curve%s: %s\n", of, pts[k].Label)
	} else if len(pts) >= 3 {
		fmt.Fprintf(w, "  no knee%s: throughput still scales at the highest load\n", of)
	}
	if hasSLO {
		if i := plot.HighestMeetingSLO(pts); i >= 0 {
			fmt.Fprintf(w, "  highest load meeting --goodput (%g%% of requests)%s: %s\n", sloShare*100, of, pts[i].Label)
		} else {
			fmt.Fprintf(w, "  no load met --goodput for %g%% of its requests%s\n", sloShare*100, of)
		}
	}
	for _, f := range files {
		fmt.Fprintln(w, "  plot:", f)
	}
	return nil
}
