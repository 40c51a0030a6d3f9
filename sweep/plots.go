package sweep

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/aiperf-exporter/aiperf-exporter/plot"
)

// sloShare is the share of requests that must meet every --goodput SLO for
// a load to count as meeting them (ours): one straggler does not fail a load.
const sloShare = 0.95

// points are the capacity curve's points: one per value that finished, with
// the means of its runs. Per-user throughput is the median request's: a few
// responses whose tokens arrive in one burst make the average meaningless.
func (s *summary) points() []plot.SweepPoint {
	short := map[string]string{"concurrency": "c", "request_rate": "rate"}[s.param.Name]
	out := make([]plot.SweepPoint, len(s.stats))
	for i, st := range s.stats {
		good, hasGood := st["good_request_count_avg"]
		out[i] = plot.SweepPoint{
			Label:            fmt.Sprintf("%s=%v", short, s.PerCombination[i].Parameters[s.param.Name]),
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

// plot draws the capacity charts into dir/plots and says where the knee and
// the SLO limit are.
func (s *summary) plot(dir string, w io.Writer, hasSLO bool) error {
	pts := s.points()
	files, err := plot.WriteSweep(filepath.Join(dir, plot.Dir), pts, hasSLO)
	if err != nil {
		return err
	}
	if k := plot.Knee(pts); k >= 0 {
		fmt.Fprintf(w, "  knee of the capacity curve: %s\n", pts[k].Label)
	} else if len(pts) >= 3 {
		fmt.Fprintln(w, "  no knee: throughput still scales at the highest load")
	}
	if hasSLO {
		if i := plot.HighestMeetingSLO(pts); i >= 0 {
			fmt.Fprintf(w, "  highest load meeting --goodput (%g%% of requests): %s\n", sloShare*100, pts[i].Label)
		} else {
			fmt.Fprintf(w, "  no load met --goodput for %g%% of its requests\n", sloShare*100)
		}
	}
	for _, f := range files {
		fmt.Fprintln(w, "  plot:", f)
	}
	return nil
}
