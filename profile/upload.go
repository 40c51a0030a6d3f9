package profile

import (
	"context"
	"fmt"
	"io"

	"go.uber.org/zap"

	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
	"github.com/aiperf-exporter/aiperf-exporter/upload/otel"
)

// checkOTel reads the --otel-* flags: nil when --otel-url is not given, and
// then the others may not be given either.
func checkOTel(p *options.Profile, set map[string]bool) (*otel.Config, error) {
	if p.OTelURL == "" && !set["otel-url"] {
		return nil, options.RefuseWithout(set, "needs --otel-url: nothing is streamed without an OTLP endpoint", "stream", "otel-resource-attributes", "gen-ai-provider")
	}
	url, err := otel.NormalizeURL(p.OTelURL)
	if err != nil {
		return nil, &options.Error{Flag: "otel-url", Msg: err.Error()}
	}
	c := &otel.Config{URL: url, Provider: p.GenAIProvider}
	if c.Metrics, c.Timing, err = otel.ParseStream(p.Stream); err != nil {
		return nil, &options.Error{Flag: "stream", Msg: err.Error()}
	}
	if c.Resource, err = otel.ParseResourceAttributes(p.OTelResourceAttributes); err != nil {
		return nil, &options.Error{Flag: "otel-resource-attributes", Msg: err.Error()}
	}
	return c, nil
}

// otelRun is the --otel-url stream of one run: pushed in the background
// while the requests go, and once more at the end.
type otelRun struct {
	s    *otel.Stream
	stop context.CancelFunc
	done chan struct{}
}

// startOTel starts the stream (nil when --otel-url is off) and hooks it to
// the requests sent.
func (r *Run) startOTel(ctx context.Context, cfg *probe.Config) *otelRun {
	if r.otel == nil || (!r.otel.Metrics && !r.otel.Timing) {
		return nil
	}
	info := otel.RunInfo{EndpointType: r.o.EndpointType, ExpectedRequests: cfg.RequestCount, ExpectedDuration: r.o.Duration}
	if len(r.o.Models) > 0 {
		info.Model = r.o.Models[0]
	}
	for _, t := range cfg.Targets {
		info.URLs = append(info.URLs, t.URL)
	}
	o := &otelRun{s: otel.New(*r.otel, info), done: make(chan struct{})}
	cfg.OnStart = o.s.Sent
	ctx, o.stop = context.WithCancel(ctx)
	go func() {
		defer close(o.done)
		o.s.Run(ctx, otel.FlushInterval)
	}()
	return o
}

// finish makes the last push, after the exports are written; ctx may have
// ended with Ctrl-C, the push still goes. A failure is one warning line.
func (o *otelRun) finish(ctx context.Context, cancelled bool, stdout io.Writer, log *zap.Logger) {
	if o == nil {
		return
	}
	o.stop()
	<-o.done
	o.s.Finish(cancelled)
	o.s.Push(context.WithoutCancel(ctx))
	o.s.Close()
	if w := o.s.Failures(); w != "" {
		fmt.Fprintln(stdout, "Warning:", w)
		log.Warn(w)
	}
}
