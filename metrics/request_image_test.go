package metrics

import (
	"math"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// AIPerf's image and video metrics: num_images, image_throughput = images / latency s,
// image_latency = latency ms / images, only for requests that sent images.
func TestImageMetrics(t *testing.T) {
	resp := func(d time.Duration) []record.Response {
		return []record.Response{{Offset: d, Kind: record.Content}}
	}
	cases := []struct {
		name              string
		r                 record.Record
		n, tput, perImage float64 // 0 = absent
	}{
		{"2 images in 500 ms", record.Record{Images: 2, OutputTokens: 3, Responses: resp(500 * time.Millisecond)}, 2, 4, 250},
		{"1 image in 2 s", record.Record{Images: 1, OutputTokens: 3, Responses: resp(2 * time.Second)}, 1, 0.5, 2000},
		{"no images", record.Record{OutputTokens: 3, Responses: resp(time.Second)}, 0, 0, 0},
		{"error record", record.Record{Images: 2, Error: &record.Error{Code: 500}}, 0, 0, 0},
		{"zero latency: no ratios", record.Record{Images: 3, OutputTokens: 1, Responses: resp(0)}, 3, 0, 0},
	}
	for _, c := range cases {
		check := func(r record.Record, tags ...string) {
			m := ForRecord(&r)
			for i, want := range []float64{c.n, c.tput, c.perImage} {
				got, ok := m.Get(tags[i])
				if ok != (want > 0) || (ok && math.Abs(got-want) > 1e-9) {
					t.Errorf("%s: %s = %v (%v), want %v", c.name, tags[i], got, ok, want)
				}
			}
		}
		check(c.r, NumImages, ImageThroughput, ImageLatency)
		videos := c.r // the same figures for videos, and then no image metrics
		videos.Videos, videos.Images = c.r.Images, 0
		check(videos, NumVideos, VideoThroughput, VideoLatency)
		if _, ok := ForRecord(&videos).Get(NumImages); ok {
			t.Errorf("%s: a record with videos only has num_images", c.name)
		}
	}
	if d, ok := Lookup(NumImages); !ok || !d.Has(NoConsole) || d.Has(AggregateMetric) {
		t.Errorf("num_images definition %+v", d)
	}
	if d, ok := Lookup(ImageThroughput); !ok || d.Order == 0 || !d.Has(LargerIsBetter) || d.Unit != "images/sec" {
		t.Errorf("image_throughput definition %+v", d)
	}
	if d, ok := Lookup(ImageLatency); !ok || d.Order == 0 || d.Has(LargerIsBetter) || d.Unit != "ms/image" {
		t.Errorf("image_latency definition %+v", d)
	}
	if d, ok := Lookup(VideoThroughput); !ok || d.Order != 870 || !d.Has(LargerIsBetter) || d.Unit != "videos/sec" {
		t.Errorf("video_throughput definition %+v", d)
	}
	if d, ok := Lookup(VideoLatency); !ok || d.Order != 871 || d.Unit != "ms/video" {
		t.Errorf("video_latency definition %+v", d)
	}
}
