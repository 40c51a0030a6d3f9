package main

import (
	"math"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// Synthetic images, end to end: the mock must receive each request's images
// as image_url data URLs of the asked format and size.
func TestSyntheticImagesReachTheMock(t *testing.T) {
	recs, truths, out := profileMockRecords(t, 4, "--model", "vlm", "--streaming", "--request-count", "4", "--concurrency", "2",
		"--isl", "10", "--num-dataset-entries", "3", "--random-seed", "1",
		"--image-width-mean", "32", "--image-height-mean", "24", "--image-batch-size", "2", "--image-format", "png")
	for i, r := range recs {
		if got := strings.Join(truths[i].Images, ","); got != "png 32x24,png 32x24" {
			t.Fatalf("mock got images %q, want two png 32x24", got)
		}
		lat, n, per := r.metric(t, "request_latency"), r.metric(t, "num_images"), r.metric(t, "image_latency")
		if n != 2 || lat <= 0 || math.Abs(per-lat/2) > 1e-6*lat {
			t.Fatalf("record: num_images %v, image_latency %v, request_latency %v; want 2 and half the latency", n, per, lat)
		}
	}
	doc := readJSON(t, filepath.Join(out, report.JSONFile))
	img := testkit.JSONAt[map[string]any](t, doc, "input_config", "input", "image")
	if img["batch_size"] != 2.0 || img["format"] != "png" || testkit.JSONAt[float64](t, img, "width", "mean") != 32.0 {
		t.Fatalf("input_config.input.image %v", img)
	}
	for _, tag := range []string{"image_throughput", "image_latency"} {
		stat(t, doc, tag, "avg") // fails the test where the export lacks it
	}
}

// A bad image setting is one line naming the flag, exit 2.
func TestBadImageFlagExits2(t *testing.T) {
	code, _, errOut, _ := profileInDir(t, "--mock", "--model", "vlm", "--image-batch-size", "1", "--image-format", "tiff")
	if code != 2 || !strings.Contains(errOut, "--image-format") || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
		t.Fatalf("exit %d, stderr %q; want 2 and one line naming --image-format", code, errOut)
	}
}

// Synthetic video, end to end: ffmpeg encodes it, the mock receives each
// request's video_url data URLs as real WebM files.
func TestSyntheticVideoReachesTheMock(t *testing.T) {
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Skip("no ffmpeg on PATH")
	}
	recs, truths, _ := profileMockRecords(t, 3, "--model", "vlm", "--request-count", "3", "--concurrency", "1",
		"--isl", "10", "--num-dataset-entries", "2", "--random-seed", "1",
		"--video-batch-size", "2", "--video-width", "32", "--video-height", "24", "--video-synth-type", "noise")
	for i, r := range recs {
		if got := strings.Join(truths[i].Videos, ","); got != "webm,webm" {
			t.Fatalf("mock got videos %q, want two webm", got)
		}
		if r.metric(t, "num_videos") != 2 || r.Metrics["video_latency"].Value == nil || r.Metrics["video_throughput"].Value == nil {
			t.Fatalf("record metrics %v: want num_videos 2, video_latency and video_throughput", r.Metrics)
		}
	}
}
