package probe

import (
	"cmp"
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// Every arrival shape over many draws with a fixed seed: the gaps' mean is
// 1/rate and their coefficient of variation (CV) is the shape's (constant 0,
// Poisson 1, gamma 1/sqrt(k)). The tolerances come from the sample size, at
// z = 5 standard errors (a correct generator fails with probability < 1e-6):
//   - the mean of n gaps has standard error CV·μ/sqrt(n);
//   - the sample CV s/m is off by at most the sum of the relative errors of s
//     and m (a conservative bound that ignores their correlation). For gamma of
//     shape k the excess kurtosis is 6/k, so Var(s²) ≈ σ⁴(2 + 6/k)/n and the
//     relative standard error of s is sqrt((2 + 6/k)/(4n)); that of m is CV/sqrt(n).
func TestArrivalShapes(t *testing.T) {
	const n = 200_000
	const z = 5.0
	const rate = 40.0
	mu := float64(time.Second) / rate
	for _, tc := range []struct {
		name  string
		a     Arrivals
		shape float64 // gamma shape of the gaps; 0 = constant
	}{
		{"constant", Arrivals{Pattern: "constant"}, 0},
		{"zero value is constant", Arrivals{}, 0},
		{"poisson", Arrivals{Pattern: "poisson"}, 1},
		{"gamma smoothness 1 (Poisson)", Arrivals{Pattern: "gamma", Smoothness: 1}, 1},
		{"gamma unset smoothness means 1", Arrivals{Pattern: "gamma"}, 1},
		{"gamma bursty 0.25", Arrivals{Pattern: "gamma", Smoothness: 0.25}, 0.25},
		{"gamma bursty 0.5", Arrivals{Pattern: "gamma", Smoothness: 0.5}, 0.5},
		{"gamma smooth 2", Arrivals{Pattern: "gamma", Smoothness: 2}, 2},
		{"gamma smooth 9", Arrivals{Pattern: "gamma", Smoothness: 9}, 9},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, 1))
			gaps := make([]float64, n)
			for i := range gaps {
				gaps[i] = float64(tc.a.gap(rng, rate))
			}
			if tc.shape == 0 {
				for _, g := range gaps {
					if g != float64(time.Duration(mu)) {
						t.Fatalf("constant gap %v, want exactly %v", time.Duration(g), time.Duration(mu))
					}
				}
				return
			}
			mean, std := meanStd(gaps)
			wantCV := 1 / math.Sqrt(tc.shape)
			meanTol := z * wantCV * mu / math.Sqrt(n)
			if math.Abs(mean-mu) > meanTol {
				t.Errorf("mean gap %.0f ns, want %.0f ± %.0f", mean, mu, meanTol)
			}
			cvTol := z * wantCV * (math.Sqrt((2+6/tc.shape)/(4*n)) + wantCV/math.Sqrt(n))
			if cv := std / mean; math.Abs(cv-wantCV) > cvTol {
				t.Errorf("gaps CV %.4f, want %.4f ± %.4f", cv, wantCV, cvTol)
			}
			for _, g := range gaps {
				if g < 0 {
					t.Fatalf("negative gap %v", g)
				}
			}
		})
	}
}

// Gamma of smoothness 1 is Poisson in distribution, not only in its first two
// moments (vLLM's --burstiness 1): its gaps pass a KS test against the
// exponential at the 0.1% critical value.
func TestGammaOfShapeOneIsExponential(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 1))
	gaps := make([]float64, 100_000)
	for i := range gaps {
		gaps[i] = float64(Arrivals{Pattern: "gamma", Smoothness: 1}.gap(rng, 40))
	}
	if d, crit := ksExponential(gaps, float64(time.Second)/40), 1.95/math.Sqrt(float64(len(gaps))); d > crit {
		t.Errorf("KS distance %.4f from the exponential, above %.4f", d, crit)
	}
}

// A bursty gamma and a Poisson run of the same rate differ where they must: the
// bursty one has more near-zero gaps (clusters) and more long ones (quiet
// spells). The share of gaps below a tenth of the mean is P(Gamma(k, 1/k) < 0.1),
// about 0.095 for Poisson and about 0.40 for k = 0.25.
func TestGammaBurstsCluster(t *testing.T) {
	share := func(a Arrivals) float64 {
		rng := rand.New(rand.NewPCG(5, 1))
		short := 0
		for range 100_000 {
			if a.gap(rng, 10) < 10*time.Millisecond {
				short++
			}
		}
		return float64(short) / 100_000
	}
	p, b := share(Arrivals{Pattern: "poisson"}), share(Arrivals{Pattern: "gamma", Smoothness: 0.25})
	if math.Abs(p-(1-math.Exp(-0.1))) > 0.005 || b < 0.3 {
		t.Errorf("share of gaps under a tenth of the mean: Poisson %.3f (want 0.095), gamma 0.25 %.3f (want about 0.4)", p, b)
	}
}

// The options reach the engine: --arrival-pattern gamma with its smoothness.
func TestArrivalsFromOptions(t *testing.T) {
	o := &options.Options{Models: []string{"m"}, URLs: []string{"127.0.0.1:1"}, EndpointType: "chat",
		RequestRate: 5, ArrivalPattern: "gamma", ArrivalSmoothness: 0.5}
	c, err := ConfigFrom(o, "s")
	if err != nil {
		t.Fatal(err)
	}
	if c.Arrivals != (Arrivals{Pattern: "gamma", Smoothness: 0.5}) {
		t.Errorf("arrivals %+v", c.Arrivals)
	}
}

// The engine paces a real run by the gamma shape: against the mock over
// loopback, the planned gaps of a smooth run (smoothness 9, CV 1/3) have the
// CV of that shape within the same sample-size tolerance (about ±0.11 for 299 gaps),
// far from Poisson's 1 and constant's 0. (A bursty shape's heavy tail would need
// thousands of gaps for so tight a bound.)
// Planned gaps (intended starts), not sent ones: send jitter on a loaded
// machine is the lag tests' subject. A request that left late moves the
// plan of the next one (no catch-up burst), so only the gaps after a request
// that left on time are the drawn ones; a stall of the machine drops a gap
// rather than stretching it.
func TestGammaRunAgainstMock(t *testing.T) {
	const k, n = 9, 300
	m := startMock(t, fastMock)
	recs := runMock(t, context.Background(), m, chatDataset(20), Config{RequestRate: 50, RequestCount: n, Seed: 3,
		Schedule: Schedule{Arrivals: Arrivals{Pattern: "gamma", Smoothness: k}}})
	if len(recs) != n {
		t.Fatalf("%d records, want %d", len(recs), n)
	}
	gaps := onTimeGaps(recs, 5*time.Millisecond)
	if len(gaps) < n/4 { // the machine starved the generator: too few drawn gaps to judge
		t.Skipf("only %d of %d requests left within 5 ms of their plan", len(gaps), n)
	}
	mean, std := meanStd(gaps)
	want := 1 / math.Sqrt(k)
	g := float64(len(gaps))
	tol := 5 * want * (math.Sqrt((2+6/k)/(4*g)) + want/math.Sqrt(g))
	if cv := std / mean; math.Abs(cv-want) > tol {
		t.Errorf("planned gaps CV %.2f, want %.2f ± %.2f", cv, want, tol)
	}
}

// onTimeGaps are the gaps between consecutive intended starts where the
// earlier request left within late of its plan.
func onTimeGaps(recs []*record.Record, late time.Duration) []float64 {
	sorted := slices.Clone(recs)
	slices.SortFunc(sorted, func(a, b *record.Record) int { return cmp.Compare(a.IntendedStartNs, b.IntendedStartNs) })
	var gaps []float64
	for i := 1; i < len(sorted); i++ {
		if sorted[i-1].ScheduleLag() < late {
			gaps = append(gaps, float64(sorted[i].IntendedStartNs-sorted[i-1].IntendedStartNs))
		}
	}
	return gaps
}
