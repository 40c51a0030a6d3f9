package servermetrics

import "strings"

// unitSuffixes map a metric name's ending to AIPerf's unit names, longest
// first so "_tokens_total" wins over "_total".
var unitSuffixes = []struct{ suffix, unit string }{
	{"_seconds_total", "seconds"}, {"_seconds", "seconds"},
	{"_milliseconds", "milliseconds"}, {"_ms_total", "milliseconds"}, {"_ms", "milliseconds"},
	{"_nanoseconds", "nanoseconds"}, {"_ns_total", "nanoseconds"}, {"_ns", "nanoseconds"},
	{"_bytes_total", "bytes"}, {"_bytes", "bytes"},
	{"_tokens_total", "tokens"}, {"_tokens", "tokens"},
	{"_requests_total", "requests"}, {"_requests", "requests"}, {"_reqs", "requests"}, {"request_success_total", "requests"}, {"request_success", "requests"},
	{"_errors_total", "errors"}, {"_errors", "errors"},
	{"_blocks_total", "blocks"}, {"_blocks", "blocks"},
	{"_ratio", "ratio"}, {"_percent", "percent"}, {"_perc", "percent"},
	{"_celsius", "celsius"}, {"_joules", "joule"}, {"_watts", "watt"},
	{"_total", "count"}, {"_count", "count"},
}

// dcgmUnits are dcgm-exporter's units, which its names do not carry.
var dcgmUnits = map[string]string{
	"DCGM_FI_DEV_GPU_UTIL": "percent", "DCGM_FI_DEV_MEM_COPY_UTIL": "percent",
	"DCGM_FI_DEV_FB_USED": "mebibytes", "DCGM_FI_DEV_FB_FREE": "mebibytes", "DCGM_FI_DEV_FB_TOTAL": "mebibytes",
	"DCGM_FI_DEV_POWER_USAGE": "watt", "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION": "millijoule",
	"DCGM_FI_DEV_GPU_TEMP": "celsius", "DCGM_FI_DEV_MEMORY_TEMP": "celsius",
	"DCGM_FI_DEV_SM_CLOCK": "megahertz", "DCGM_FI_DEV_MEM_CLOCK": "megahertz",
}

// Unit infers a metric's unit from its name, as AIPerf's export does; empty
// when the name says nothing.
func Unit(name string) string {
	if u, ok := dcgmUnits[name]; ok {
		return u
	}
	for _, s := range unitSuffixes {
		if strings.HasSuffix(name, s.suffix) {
			return s.unit
		}
	}
	return ""
}
