package inputs

import (
	"context"
	"math/rand"
	"os/exec"
	"testing"
)

// Build-time cost of one synthetic image at AIPerf's default 512x512 (off the
// timed path: images are made once per dataset entry).
func BenchmarkSyntheticImage(b *testing.B) {
	for _, format := range []string{"jpeg", "png"} {
		b.Run(format, func(b *testing.B) {
			o := opts(b, "-m", "x", "--image-batch-size", "1", "--image-format", format)
			m, err := newImageMaker(o, rand.New(rand.NewSource(1)))
			if err != nil {
				b.Fatal(err)
			}
			var size int
			for b.Loop() {
				ref, err := m.next()
				if err != nil {
					b.Fatal(err)
				}
				size = len(ref.JSON)
			}
			b.ReportMetric(float64(size), "url_bytes")
		})
	}
}

// Build-time cost of one synthetic video (ffmpeg included), 640x480 for 1 s at
// 4 fps, the defaults but for the size.
func BenchmarkSyntheticVideo(b *testing.B) {
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		b.Skip("no ffmpeg on PATH")
	}
	for _, synth := range []string{"moving_shapes", "noise"} {
		b.Run(synth, func(b *testing.B) {
			o := opts(b, "-m", "x", "--video-batch-size", "1", "--video-width", "640", "--video-height", "480", "--video-synth-type", synth)
			m, err := newVideoMaker(o, rand.New(rand.NewSource(1)))
			if err != nil {
				b.Fatal(err)
			}
			var size int
			for b.Loop() {
				data, err := m.encode(context.Background())
				if err != nil {
					b.Fatal(err)
				}
				size = len(data)
			}
			b.ReportMetric(float64(size), "file_bytes")
		})
	}
}
