package audio

import "testing"

func TestValidate(t *testing.T) {
	good := Params{Seconds: 1, SampleRate: 16000, Depth: 16, Channels: 1, Format: FormatWAV}
	tests := []struct {
		name string
		edit func(*Params)
		want string
	}{
		{"good wav", func(*Params) {}, ""},
		{"good mp3", func(p *Params) { p.Format = FormatMP3; p.SampleRate = 22050 }, ""},
		{"short", func(p *Params) { p.Seconds = 0.005 }, "--audio-length-mean: 0.005 s is below the 0.01 s minimum"},
		{"zero rate", func(p *Params) { p.SampleRate = 0 }, "--audio-sample-rates: 0 kHz is not a valid sample rate"},
		{"negative rate", func(p *Params) { p.SampleRate = -16000 }, "--audio-sample-rates: -16 kHz is not a valid sample rate"},
		{"depth", func(p *Params) { p.Depth = 12 }, "--audio-depths: 12 is not one of 8, 16, 24, 32 bits"},
		{"channels", func(p *Params) { p.Channels = 3 }, "--audio-num-channels: 3 is not 1 or 2"},
		{"format", func(p *Params) { p.Format = "ogg" }, `--audio-format: "ogg" is not wav or mp3`},
		{"mp3 rate", func(p *Params) { p.Format = FormatMP3; p.SampleRate = 20000 },
			"--audio-sample-rates: 20 kHz is not allowed for mp3 (8, 11.025, 12, 16, 22.05, 24, 32, 44.1, 48)"},
		{"too big", func(p *Params) { p.Seconds = 1e6; p.SampleRate = 48000; p.Depth = 32; p.Channels = 2 },
			"--audio-length-mean: a 1e+06 s clip needs 384000000000 bytes, over the 4 GiB WAV limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := good
			tt.edit(&p)
			err := Validate(p)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("Validate(%+v) = %q, want %q", p, got, tt.want)
			}
		})
	}
}
