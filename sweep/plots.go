package sweep

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/aiperf-exporter/aiperf-exporter/plot"
)

// points are the capacity curve's points: one per value that finished, with
// the means of its runs. A load meets the SLOs when every request met
// --goodput (good_request_count equals request_count).
func (s *summary) points() []plot.SweepPoint {
	short := map[string]string{"concurrency": "c", "request_rate": "rate"}[s.param.Name]
	out := make([]plot.SweepPoint, len(s.stats))
	for i, st := range s.stats {
		good, hasGood := st["good_request_count_avg"]
		out[i] = plot.SweepPoint{
			Label:            fmt.Sprintf("%s=%v", short, s.PerCombination[i].Parameters[s.param.Name]),
			OutputThroughput: st["output_token_throughput_avg"].Mean,
			PerUser:          st["output_token_throughput_per_user_avg"].Mean,
			TTFTp50:          st["time_to_first_token_p50"].Mean,
			TTFTp99:          st["time_to_first_token_p99"].Mean,
			ITLp50:           st["inter_token_latency_p50"].Mean,
			ITLp99:           st["inter_token_latency_p99"].Mean,
			MeetsSLO:         hasGood && good.Mean > 0 && good.Mean >= st["request_count_avg"].Mean,
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
			fmt.Fprintf(w, "  highest load meeting --goodput: %s\n", pts[i].Label)
		} else {
			fmt.Fprintln(w, "  no load met --goodput for every request")
		}
	}
	for _, f := range files {
		fmt.Fprintln(w, "  plot:", f)
	}
	return nil
}
