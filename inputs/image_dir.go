package inputs

import (
	"bytes"
	"fmt"
	"image"
	_ "image/gif" // source images may be GIF
	_ "image/jpeg"
	_ "image/png"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"

	_ "golang.org/x/image/bmp" // and BMP, TIFF, WebP, as PIL reads them
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"
)

// Strategies of --image-source-sampling, as AIPerf names them.
const (
	sampleRandom     = "random-with-replacement"
	sampleShuffle    = "shuffle-cycle"
	sampleSequential = "sequential-cycle"
)

// imageExts are the file name endings a source directory's images may have.
var imageExts = map[string]bool{".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".bmp": true, ".tif": true, ".tiff": true, ".webp": true}

// maxSourcePixels bounds a source image (64 Mi pixels, 256 MiB decoded): a
// small file may declare a huge image.
const maxSourcePixels = 64 << 20

// imageDir is a directory of source images (--image-source DIR): its image
// files in sorted order, each read and decoded when drawn (as AIPerf opens
// it), so memory holds one source image whatever the directory holds; a file
// that does not decode is skipped from then on, as AIPerf does.
type imageDir struct {
	dir      string
	sampling string
	paths    []string
	dead     map[int]bool
	cycle    []int // shuffle-cycle: what is left of the current shuffled round
	pos      int   // sequential-cycle: the next index
}

// openImageDir lists the image files of dir (by name ending, not recursive).
func openImageDir(dir, sampling string) (*imageDir, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("%s is neither noise nor a readable directory: %w", quoted(dir), err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s is not a directory (want noise or a directory of images)", quoted(dir))
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	d := &imageDir{dir: dir, sampling: sampling, dead: map[int]bool{}}
	for _, e := range entries {
		if !e.IsDir() && imageExts[strings.ToLower(filepath.Ext(e.Name()))] {
			d.paths = append(d.paths, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(d.paths)
	if len(d.paths) == 0 {
		return nil, fmt.Errorf("no image files (png, jpeg, gif, bmp, tiff, webp) in %s", dir)
	}
	return d, nil
}

// next returns the next source image by the sampling strategy.
func (d *imageDir) next(rng *rand.Rand) (image.Image, error) {
	for len(d.dead) < len(d.paths) {
		i := d.pick(rng)
		img, err := decodeImageFile(d.paths[i])
		if err != nil {
			d.dead[i] = true // AIPerf skips an unreadable file too
			continue
		}
		return img, nil
	}
	return nil, fmt.Errorf("no readable image in %s (every image file failed to decode)", d.dir)
}

// pick is the index of the next live source image.
func (d *imageDir) pick(rng *rand.Rand) int {
	switch d.sampling {
	case sampleShuffle:
		for {
			if len(d.cycle) == 0 {
				d.cycle = rng.Perm(len(d.paths))
			}
			i := d.cycle[len(d.cycle)-1]
			d.cycle = d.cycle[:len(d.cycle)-1]
			if !d.dead[i] {
				return i
			}
		}
	case sampleSequential:
		for {
			i := d.pos
			d.pos = (d.pos + 1) % len(d.paths)
			if !d.dead[i] {
				return i
			}
		}
	default: // random-with-replacement
		live := make([]int, 0, len(d.paths))
		for i := range d.paths {
			if !d.dead[i] {
				live = append(live, i)
			}
		}
		return live[rng.Intn(len(live))]
	}
}

// decodeImageFile reads and decodes one source image (bounded like any media file).
func decodeImageFile(path string) (image.Image, error) {
	data, err := readMedia(path)
	if err != nil {
		return nil, err
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxSourcePixels {
		return nil, fmt.Errorf("%dx%d pixels: empty or above %d megapixels", cfg.Width, cfg.Height, maxSourcePixels>>20)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	return img, nil
}
