package profile

import (
	"fmt"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
)

// checkTransport checks the request settings AIPerf has beside the endpoint:
// --transport (http; AIPerf's others run the model in its own process),
// --connection-reuse-strategy (its values, in any case, as AIPerf's enum
// takes them; stored lower-case), --url-strategy (AIPerf's only one is
// round_robin) and --request-content-type (one header value).
func checkTransport(p *options.Profile) error {
	p.ConnectionReuseStrategy = strings.ToLower(p.ConnectionReuseStrategy)
	switch p.ConnectionReuseStrategy {
	case probe.ReusePooled, probe.ReuseNever, probe.ReuseSticky:
	default:
		return &options.Error{Flag: "connection-reuse-strategy", Msg: fmt.Sprintf("unknown strategy %s (want pooled, never or sticky-user-sessions)", clip.Quote(p.ConnectionReuseStrategy))}
	}
	if !strings.EqualFold(p.URLStrategy, "round_robin") {
		return &options.Error{Flag: "url-strategy", Msg: fmt.Sprintf("unknown strategy %s (AIPerf's only one is round_robin)", clip.Quote(p.URLStrategy))}
	}
	switch t := strings.ToLower(p.Transport); t {
	case "http":
	case "vllm", "sglang", "trtllm": // AIPerf's in-engine transports
		return &options.Error{Flag: "transport", Msg: fmt.Sprintf("%s is AIPerf's in-engine transport (the model runs inside AIPerf); only http reaches a server here", t)}
	default:
		return &options.Error{Flag: "transport", Msg: fmt.Sprintf("unknown transport %s (want http)", clip.Quote(p.Transport))}
	}
	if strings.ContainsAny(p.RequestContentType, "\r\n") {
		return &options.Error{Flag: "request-content-type", Msg: "must be one line (a header value)"}
	}
	return nil
}
