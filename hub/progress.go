package hub

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progress draws "name [=====>    ] 42% 12.3/29.0 MB" on one terminal line,
// redrawn at most every 200 ms.
type progress struct {
	w          io.Writer
	name       string
	have, size int64
	last       time.Time
}

func newProgress(w io.Writer, name string, have, size int64) *progress {
	return &progress{w: w, name: name, have: have, size: size}
}

func (p *progress) Write(b []byte) (int, error) {
	p.have += int64(len(b))
	if p.w != nil && time.Since(p.last) >= 200*time.Millisecond {
		p.last = time.Now()
		p.draw()
	}
	return len(b), nil
}

func (p *progress) draw() {
	const width = 30
	frac := 0.0
	if p.size > 0 {
		frac = min(float64(p.have)/float64(p.size), 1)
	}
	n := int(frac * width)
	fmt.Fprintf(p.w, "\r%s [%s%s] %3.0f%% %.1f/%.1f MB", p.name, strings.Repeat("=", n), strings.Repeat(" ", width-n),
		frac*100, float64(p.have)/1e6, float64(p.size)/1e6)
}

func (p *progress) done() {
	if p.w != nil {
		p.draw()
		fmt.Fprintln(p.w)
	}
}
