package hubtest

import "testing"

// When no flipped byte makes parquet-go panic, a test built on Damaged is
// skipped, not failed: a parquet-go that fixed its panics is no regression.
func TestDamagedSkipsWithoutAPanic(t *testing.T) {
	var skipped bool
	passed := t.Run("no panic", func(t *testing.T) {
		defer func() { skipped = t.Skipped() }()
		Damaged(t, []byte("PAR1 not a parquet file PAR1"))
	})
	if !passed || !skipped {
		t.Fatalf("passed %v, skipped %v: want a skip", passed, skipped)
	}
}
