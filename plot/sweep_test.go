package plot

import (
	"os"
	"path/filepath"
	"testing"
)

func TestKnee(t *testing.T) {
	pt := func(perUser, total float64) SweepPoint { return SweepPoint{PerUser: perUser, OutputThroughput: total} }
	for _, c := range []struct {
		name string
		pts  []SweepPoint
		want int
	}{
		{"too few", []SweepPoint{pt(100, 100), pt(90, 180)}, -1},
		// Throughput doubles while each user keeps ~100 tok/s, then
		// saturates while users lose speed: the knee is where that turns.
		{"saturating server", []SweepPoint{pt(100, 100), pt(98, 196), pt(95, 380), pt(60, 480), pt(31, 500)}, 2},
		{"knee early", []SweepPoint{pt(100, 100), pt(95, 400), pt(60, 420), pt(40, 430), pt(20, 440)}, 1},
		{"still scaling", []SweepPoint{pt(100, 100), pt(99.5, 199), pt(100.2, 401), pt(99.8, 798)}, -1},
		{"all the same", []SweepPoint{pt(50, 50), pt(50, 50), pt(50, 50)}, -1},
	} {
		if got := Knee(c.pts); got != c.want {
			t.Errorf("%s: Knee = %d, want %d", c.name, got, c.want)
		}
	}
}

func TestHighestMeetingSLO(t *testing.T) {
	for _, c := range []struct {
		meets []bool
		want  int
	}{
		{[]bool{true, true, false, false}, 1},
		{[]bool{true, false, true, false}, 2}, // a noisy miss below does not hide a higher load that met them
		{[]bool{false, false}, -1},
		{nil, -1},
	} {
		pts := make([]SweepPoint, len(c.meets))
		for i, m := range c.meets {
			pts[i].MeetsSLO = m
		}
		if got := HighestMeetingSLO(pts); got != c.want {
			t.Errorf("%v: got %d, want %d", c.meets, got, c.want)
		}
	}
}

func TestWriteSweep(t *testing.T) {
	out := t.TempDir()
	pts := []SweepPoint{
		{Label: "c=1", OutputThroughput: 100, PerUser: 100, TTFTp50: 20, TTFTp99: 30, ITLp50: 5, ITLp99: 6, MeetsSLO: true},
		{Label: "c=2", OutputThroughput: 190, PerUser: 95, TTFTp50: 25, TTFTp99: 40, ITLp50: 5.2, ITLp99: 7, MeetsSLO: true},
		{Label: "c=4", OutputThroughput: 240, PerUser: 60, TTFTp50: 60, TTFTp99: 120, ITLp50: 8, ITLp99: 14},
	}
	files, err := WriteSweep(out, pts, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 3 {
		t.Fatalf("wrote %v, want 3 charts", files)
	}
	for _, f := range []string{SweepPerUserFile, SweepTTFTFile, SweepITLFile} {
		if fi, err := os.Stat(filepath.Join(out, f)); err != nil || fi.Size() < 1000 {
			t.Errorf("%s: %v", f, err)
		}
	}
}
