package inputs

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"math/rand"
	"strconv"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// Synthetic video contents of --video-synth-type, as AIPerf names them.
const (
	synthMovingShapes = "moving_shapes"
	synthGridClock    = "grid_clock"
	synthNoise        = "noise"
)

// frameDrawer draws frame n of total into img (w x h, opaque), the pictures of
// AIPerf's video_frames.py, drawn by our own rasterising: shapes and colours
// match, edge pixels and the font do not.
type frameDrawer func(img *image.RGBA, n, total int)

// drawerFor returns the drawer of a synth type; noise draws from rng.
func drawerFor(synth string, rng *rand.Rand) frameDrawer {
	switch synth {
	case synthGridClock:
		return drawGridClock
	case synthNoise:
		return func(img *image.RGBA, _, _ int) {
			rng.Read(img.Pix)
			for i := 3; i < len(img.Pix); i += 4 {
				img.Pix[i] = 0xff
			}
		}
	default:
		return drawMovingShapes
	}
}

// pymod is Python's float modulo: the result has the sign of m.
func pymod(x, m float64) float64 {
	r := math.Mod(x, m)
	if r < 0 {
		r += m
	}
	return r
}

// drawMovingShapes: on black, a red circle crossing left to right, a green
// square falling, a blue circle moving up-left diagonally, each wrapping at
// the edges.
func drawMovingShapes(img *image.RGBA, n, total int) {
	w, h := float64(img.Rect.Dx()), float64(img.Rect.Dy())
	fill(img, color.RGBA{0, 0, 0, 255})
	t, f := float64(total), float64(n)
	shapes := []struct {
		circle         bool
		c              color.RGBA
		size           int
		x0, y0, dx, dy float64
	}{
		{true, color.RGBA{255, 0, 0, 255}, 30, 0, math.Floor(h / 2), w / t * 2, 0},
		{false, color.RGBA{0, 255, 0, 255}, 25, math.Floor(w / 2), 0, 0, h / t * 2},
		{true, color.RGBA{0, 0, 255, 255}, 20, w, h, -w / t * 1.5, -h / t * 1.5},
	}
	for _, s := range shapes {
		x, y := pymod(s.x0+s.dx*f, w), pymod(s.y0+s.dy*f, h)
		half := float64(s.size / 2)
		if s.circle {
			disc(img, x, y, half, s.c)
		} else {
			rect(img, x-half, y-half, x+half, y+half, s.c)
		}
	}
}

// drawGridClock: a dark grid every 32 pixels, a clock face with an hour and a
// minute hand turning once per video, a red centre dot and "Frame n".
func drawGridClock(img *image.RGBA, n, total int) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	fill(img, color.RGBA{32, 32, 32, 255})
	grid := color.RGBA{64, 64, 64, 255}
	for x := 0; x < w; x += 32 {
		rect(img, float64(x), 0, float64(x), float64(h-1), grid)
	}
	for y := 0; y < h; y += 32 {
		rect(img, 0, float64(y), float64(w-1), float64(y), grid)
	}
	cx, cy := float64(w/2), float64(h/2)
	r := float64(min(w, h) / 4)
	angle := float64(n) / float64(total) * 2 * math.Pi
	hour := angle / 12
	stroke(img, cx, cy, cx+r*0.6*math.Cos(hour-math.Pi/2), cy+r*0.6*math.Sin(hour-math.Pi/2), 3, color.RGBA{255, 255, 0, 255})
	stroke(img, cx, cy, cx+r*0.9*math.Cos(angle-math.Pi/2), cy+r*0.9*math.Sin(angle-math.Pi/2), 2, color.RGBA{255, 255, 255, 255})
	ring(img, cx, cy, r, 2, color.RGBA{128, 128, 128, 255})
	disc(img, cx, cy, 3, color.RGBA{255, 0, 0, 255})
	d := font.Drawer{Dst: img, Src: image.NewUniform(color.RGBA{255, 255, 255, 255}), Face: basicfont.Face7x13,
		Dot: fixed.P(10, 10+basicfont.Face7x13.Ascent)}
	d.DrawString("Frame " + strconv.Itoa(n))
}

func fill(img *image.RGBA, c color.RGBA) {
	draw.Draw(img, img.Rect, image.NewUniform(c), image.Point{}, draw.Src)
}

// rect fills the pixels from (x0, y0) to (x1, y1), both ends included, as PIL does.
func rect(img *image.RGBA, x0, y0, x1, y1 float64, c color.RGBA) {
	for y := max(int(math.Round(y0)), 0); y <= min(int(math.Round(y1)), img.Rect.Dy()-1); y++ {
		for x := max(int(math.Round(x0)), 0); x <= min(int(math.Round(x1)), img.Rect.Dx()-1); x++ {
			img.SetRGBA(x, y, c)
		}
	}
}

// disc fills the pixels within r of (cx, cy).
func disc(img *image.RGBA, cx, cy, r float64, c color.RGBA) {
	shade(img, cx-r, cy-r, cx+r, cy+r, c, func(x, y float64) bool {
		return (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r
	})
}

// ring draws a circle outline width pixels thick, inside radius r.
func ring(img *image.RGBA, cx, cy, r, width float64, c color.RGBA) {
	shade(img, cx-r, cy-r, cx+r, cy+r, c, func(x, y float64) bool {
		d := math.Hypot(x-cx, y-cy)
		return d <= r && d > r-width
	})
}

// stroke draws a segment width pixels thick.
func stroke(img *image.RGBA, x0, y0, x1, y1, width float64, c color.RGBA) {
	half := width / 2
	dx, dy := x1-x0, y1-y0
	l2 := dx*dx + dy*dy
	shade(img, min(x0, x1)-half, min(y0, y1)-half, max(x0, x1)+half, max(y0, y1)+half, c, func(x, y float64) bool {
		t := 0.0
		if l2 > 0 {
			t = max(0, min(1, ((x-x0)*dx+(y-y0)*dy)/l2))
		}
		px, py := x0+t*dx-x, y0+t*dy-y
		return px*px+py*py <= half*half
	})
}

// shade sets the pixels of the box (x0, y0)-(x1, y1) for which in holds.
func shade(img *image.RGBA, x0, y0, x1, y1 float64, c color.RGBA, in func(x, y float64) bool) {
	for y := max(int(math.Floor(y0)), 0); y <= min(int(math.Ceil(y1)), img.Rect.Dy()-1); y++ {
		for x := max(int(math.Floor(x0)), 0); x <= min(int(math.Ceil(x1)), img.Rect.Dx()-1); x++ {
			if in(float64(x), float64(y)) {
				img.SetRGBA(x, y, c)
			}
		}
	}
}
