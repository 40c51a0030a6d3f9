// Package audio makes synthetic clips as AIPerf does (Gaussian noise, σ = 0.3,
// written as PCM WAV or MP3) and inspects audio bytes (format, sample rate,
// channels, depth, duration) for input-file loading and the mock server.
package audio
