package collector

import (
	"strconv"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// The budget's metrics show the state at each scrape, not at registration.
func TestBudgetCollector(t *testing.T) {
	held, refusals := 0, 0
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(NewBudgetCollector(func() (int, int, int) { return held, 64 << 20, refusals })); err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct{ held, refusals int }{{0, 0}, {5 << 20, 0}, {0, 3}} {
		held, refusals = s.held, s.refusals
		want := "# HELP aiperf_exporter_response_budget_held_bytes Response bytes held now by requests whose buffers grew past 1 MiB (--response-budget-mib).\n" +
			"# TYPE aiperf_exporter_response_budget_held_bytes gauge\n" +
			"aiperf_exporter_response_budget_held_bytes " + strconv.Itoa(s.held) + "\n" +
			"# HELP aiperf_exporter_response_budget_limit_bytes Limit of the response bytes all requests in flight may hold together (--response-budget-mib).\n" +
			"# TYPE aiperf_exporter_response_budget_limit_bytes gauge\n" +
			"aiperf_exporter_response_budget_limit_bytes 67108864\n" +
			"# HELP aiperf_exporter_response_budget_refusals_total Requests ended because their response did not fit in the response budget.\n" +
			"# TYPE aiperf_exporter_response_budget_refusals_total counter\n" +
			"aiperf_exporter_response_budget_refusals_total " + strconv.Itoa(s.refusals) + "\n"
		if err := testutil.GatherAndCompare(reg, strings.NewReader(want)); err != nil {
			t.Errorf("held %d, refusals %d: %v", s.held, s.refusals, err)
		}
	}
}
