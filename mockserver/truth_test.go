package mockserver

import (
	"strconv"
	"testing"
)

func TestTruthStoreEvictsOldest(t *testing.T) {
	s := newTruthStore(3)
	for i := range 5 {
		s.put(Truth{RequestID: strconv.Itoa(i), ChunkNs: []int64{int64(i)}}, 3)
	}
	for i := range 5 {
		_, ok := s.get(strconv.Itoa(i))
		if want := i >= 2; ok != want {
			t.Errorf("request %d kept = %v, want %v", i, ok, want)
		}
	}
	s.put(Truth{RequestID: "4", ChunkNs: []int64{40}}, 3) // update in place, no eviction
	if tr, _ := s.get("2"); tr.RequestID != "2" {
		t.Error("updating a kept request evicted another")
	}
	tr, _ := s.get("4")
	tr.ChunkNs[0] = 99
	if again, _ := s.get("4"); again.ChunkNs[0] != 40 {
		t.Error("get returned shared slices")
	}
}
