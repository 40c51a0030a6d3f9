package plot

import (
	"image"
	"image/color"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// pngStats decodes the PNG at path and reports its size, how many distinct
// colours it holds, the variance of its grey levels, and how many pixels are
// close to each of the wanted colours.
type pngStats struct {
	bounds   image.Rectangle
	colours  int
	variance float64
	near     map[color.RGBA]int
}

func readPNG(t *testing.T, path string, want ...color.RGBA) pngStats {
	t.Helper()
	rgba := testkit.ReadPNG(t, path)
	st := pngStats{bounds: rgba.Bounds(), near: map[color.RGBA]int{}}
	seen := map[color.RGBA]bool{}
	var sum, sumSq, n float64
	for i := 0; i+3 < len(rgba.Pix); i += 4 {
		c := color.RGBA{R: rgba.Pix[i], G: rgba.Pix[i+1], B: rgba.Pix[i+2], A: rgba.Pix[i+3]}
		seen[c] = true
		g := (299*float64(c.R) + 587*float64(c.G) + 114*float64(c.B)) / 1000 // luma
		sum += g
		sumSq += g * g
		n++
		for _, w := range want {
			if similar(c, w) {
				st.near[w]++
			}
		}
	}
	st.colours = len(seen)
	mean := sum / n
	st.variance = sumSq/n - mean*mean
	return st
}

func similar(a, b color.RGBA) bool {
	d := func(x, y uint8) int { return max(int(x)-int(y), int(y)-int(x)) }
	return d(a.R, b.R) < 24 && d(a.G, b.G) < 24 && d(a.B, b.B) < 24
}

// checkChart fails unless path is a full-size, non-blank PNG that shows at
// least minPixels pixels of each wanted colour.
func checkChart(t *testing.T, path string, minPixels int, want ...color.RGBA) {
	t.Helper()
	st := readPNG(t, path, want...)
	if w, h := st.bounds.Dx(), st.bounds.Dy(); w != 880 || h != 495 {
		t.Errorf("%s: %dx%d, want 880x495", path, w, h)
	}
	if st.colours < 8 || st.variance < 50 {
		t.Errorf("%s looks blank: %d colours, grey variance %.1f", path, st.colours, st.variance)
	}
	for _, c := range want {
		if st.near[c] < minPixels {
			t.Errorf("%s: %d pixels of colour %v, want at least %d", path, st.near[c], c, minPixels)
		}
	}
}
