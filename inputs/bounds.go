package inputs

import (
	"fmt"

	"github.com/aiperf-exporter/aiperf-exporter/internal/boundedfile"
	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// Bounds of what a dataset may make the client hold. Every clip is held twice
// (its bytes and their base64) for the whole run, so these are memory bounds.
const (
	// maxMediaFileBytes bounds one audio or image file of an input file
	// (256 MiB: 46 minutes of 48 kHz 16-bit stereo WAV).
	maxMediaFileBytes = 256 << 20
	// maxInputFileBytes bounds one --input-file (or pool) file, read whole.
	maxInputFileBytes = 4 << 30
	// maxSyntheticAudioBytes bounds the synthetic audio of a dataset, all clips
	// together, bytes and base64 (4 GiB).
	maxSyntheticAudioBytes = 4 << 30
)

// readMedia reads a media file of an input file: a regular file (a device such
// as /dev/zero never ends) of at most maxMediaFileBytes.
func readMedia(path string) ([]byte, error) {
	return boundedfile.Read(path, maxMediaFileBytes)
}

// checkSyntheticAudio refuses a synthetic dataset whose audio would not fit the
// bound: --num-dataset-entries x --audio-batch-size clips of about
// --audio-length-mean seconds at the largest rate and depth asked for (WAV
// size; MP3 is smaller), each held as bytes and base64.
func checkSyntheticAudio(o *options.Options) error {
	if o.AudioLengthMean <= 0 {
		return nil
	}
	rate, depth := 0.0, 0
	for _, r := range o.AudioSampleRates {
		rate = max(rate, r*1000)
	}
	for _, d := range o.AudioDepths {
		depth = max(depth, d)
	}
	clips := float64(o.NumDatasetEntries) * float64(o.AudioBatchSize)
	perClip := o.AudioLengthMean * rate * float64(depth) / 8 * float64(max(o.AudioChannels, 1)) * (1 + 4.0/3)
	if total := clips * perClip; total > maxSyntheticAudioBytes {
		return &options.Error{Flag: "audio-batch-size", Msg: fmt.Sprintf(
			"%.0f clips (--num-dataset-entries x --audio-batch-size) of %gs would hold about %.1f GiB of audio, above the limit of %d GiB: lower --num-dataset-entries, --audio-batch-size or --audio-length-mean",
			clips, o.AudioLengthMean, total/(1<<30), maxSyntheticAudioBytes>>30)}
	}
	return nil
}

// maxSyntheticImageBytes bounds the synthetic images of a dataset, all their
// data URLs together (4 GiB).
const maxSyntheticImageBytes = 4 << 30

// checkSyntheticImages refuses a synthetic dataset whose images would not fit
// the bound: --num-dataset-entries x --image-batch-size images of the mean
// size at 3 bytes a pixel (noise does not compress), held as base64.
func checkSyntheticImages(o *options.Options) error {
	if !imagesOn(o) {
		return nil
	}
	images := float64(o.NumDatasetEntries) * float64(o.ImageBatchSize)
	perImage := o.ImageWidthMean * o.ImageHeightMean * 3 * 4 / 3
	if total := images * perImage; total > maxSyntheticImageBytes {
		return &options.Error{Flag: "image-batch-size", Msg: fmt.Sprintf(
			"%.0f images (--num-dataset-entries x --image-batch-size) of %gx%g would hold about %.1f GiB, above the limit of %d GiB: lower --num-dataset-entries, --image-batch-size or the image size",
			images, o.ImageWidthMean, o.ImageHeightMean, total/(1<<30), maxSyntheticImageBytes>>30)}
	}
	return nil
}

// maxInputDirBytes bounds all files of one --input-file together, a
// directory's as one file's: a directory of many files would otherwise be
// held whole, however large (4 GiB).
const maxInputDirBytes = 4 << 30

// inputReader reads the files of one --input-file (the file itself, or files
// of the directory it names), all together at most limit bytes.
type inputReader struct {
	path        string // the --input-file
	limit, left int64
}

func newInputReader(path string, limit int64) *inputReader {
	return &inputReader{path: path, limit: limit, left: limit}
}

// read returns file p's content, counted against the bound; the error names
// p, and the directory and its bound when p is one of a directory's files.
func (r *inputReader) read(p string) ([]byte, error) {
	data, err := boundedfile.Read(p, min(r.left, maxInputFileBytes))
	if err != nil && p != r.path {
		return nil, fmt.Errorf("--input-file: %s: %w (all files of directory %s together may take at most %s)", p, err, r.path, boundedfile.Size(r.limit))
	}
	if err != nil {
		return nil, fmt.Errorf("--input-file: %s: %w", p, err)
	}
	r.left -= int64(len(data))
	return data, nil
}
