package probe

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
)

// The order conversations reach the mock, one at a time, follows
// --dataset-sampling-strategy: sequential walks the dataset in its order and
// wraps; shuffle sends every conversation once per pass, each pass a new
// permutation; random draws with replacement.
func TestDatasetSampling(t *testing.T) {
	m := startMock(t, mockserver.Config{OutputTokens: 1})
	const n, passes = 5, 4
	order := func(sampling string) []string {
		recs := runMock(t, context.Background(), m, chatDataset(n), Config{Concurrency: 1, RequestCount: n * passes, Seed: 7, Sampling: sampling})
		var ids []string
		for _, r := range recs {
			if r.Error != nil {
				t.Fatalf("%s: %v", sampling, r.Error)
			}
			ids = append(ids, r.ConversationID)
		}
		return ids
	}
	if got := strings.Join(order(SamplingSequential), ","); got != strings.Repeat("c0,c1,c2,c3,c4,", passes-1)+"c0,c1,c2,c3,c4" {
		t.Fatalf("sequential sent %s", got)
	}
	shuffled := order(SamplingShuffle)
	var passOrders []string
	for p := range passes {
		pass := slices.Clone(shuffled[p*n : (p+1)*n])
		passOrders = append(passOrders, strings.Join(pass, ","))
		slices.Sort(pass)
		if strings.Join(pass, ",") != "c0,c1,c2,c3,c4" {
			t.Fatalf("shuffle pass %d sent %v, not each conversation once", p, shuffled[p*n:(p+1)*n])
		}
	}
	if distinct := slices.Compact(slices.Sorted(slices.Values(passOrders))); len(distinct) < 2 {
		t.Fatalf("shuffle repeated one permutation in every pass: %v", passOrders)
	}
	random := order(SamplingRandom)
	repeatedInPass := false
	for p := range passes {
		pass := slices.Clone(random[p*n : (p+1)*n])
		slices.Sort(pass)
		repeatedInPass = repeatedInPass || len(slices.Compact(pass)) < n
	}
	if !repeatedInPass {
		t.Fatalf("random never repeated a conversation within %d draws: %v", n, random)
	}
}
