// Package options holds every user setting in one struct. Each field carries its
// flag name (`flag`), its whole AIPERF_* environment name (`envconfig`, checked by
// a test to be AIPERF_ and the flag in upper snake case), its default and its
// help text, so `profile` flags and `serve` environment variables can never drift apart.
package options

// Options are the settings shared by `profile` and `serve`.
type Options struct {
	// Endpoint.
	Models           []string `flag:"model" alias:"m,model-names" envconfig:"AIPERF_MODEL" desc:"model name(s), comma separated (required)"`
	ModelSelection   string   `flag:"model-selection-strategy" envconfig:"AIPERF_MODEL_SELECTION_STRATEGY" default:"round_robin" desc:"how a model is picked per turn: round_robin or random"`
	EndpointType     string   `flag:"endpoint-type" envconfig:"AIPERF_ENDPOINT_TYPE" default:"chat" desc:"endpoint type: chat or audio_transcription"`
	Endpoint         string   `flag:"endpoint" alias:"custom-endpoint" envconfig:"AIPERF_ENDPOINT" desc:"custom endpoint path (default from the endpoint type)"`
	URLs             []string `flag:"url" alias:"u" envconfig:"AIPERF_URL" default:"localhost:8000" desc:"target URL(s), optionally named 'name=URL'; repeat or comma separate for round robin"`
	Streaming        bool     `flag:"streaming" envconfig:"AIPERF_STREAMING" desc:"stream responses (required for TTFT, ITL)"`
	APIKey           Secret   `flag:"api-key" envconfig:"AIPERF_API_KEY" desc:"API key sent as 'Authorization: Bearer'; never logged"`
	APIKeyFile       string   `flag:"api-key-file" envconfig:"AIPERF_API_KEY_FILE" desc:"read the API key from this file (ours)"`
	Headers          []string `flag:"header" alias:"H" envconfig:"AIPERF_HEADER" desc:"extra header 'Name:Value'; repeatable"`
	ExtraInputs      []string `flag:"extra-inputs" envconfig:"AIPERF_EXTRA_INPUTS" desc:"extra body fields 'key:value' or a JSON object; repeatable"`
	RequestTimeout   float64  `flag:"request-timeout-seconds" envconfig:"AIPERF_REQUEST_TIMEOUT_SECONDS" default:"600" desc:"per-request timeout in seconds"`
	ServerTokenCount bool     `flag:"use-server-token-count" envconfig:"AIPERF_USE_SERVER_TOKEN_COUNT" desc:"count tokens from the server's usage instead of a client tokenizer"`
	LegacyMaxTokens  bool     `flag:"use-legacy-max-tokens" envconfig:"AIPERF_USE_LEGACY_MAX_TOKENS" desc:"send max_tokens instead of max_completion_tokens"`
	Tokenizer        string   `flag:"tokenizer" envconfig:"AIPERF_TOKENIZER" desc:"Hugging Face tokenizer: a local tokenizer.json (file or directory) or a Hub repo id; default the first --model, fetched from the Hub"`

	// Tokenizer from the Hugging Face Hub.
	TokenizerRevision        string `flag:"tokenizer-revision" envconfig:"AIPERF_TOKENIZER_REVISION" default:"main" desc:"branch, tag or commit of the tokenizer's Hub repo"`
	TokenizerTrustRemoteCode bool   `flag:"tokenizer-trust-remote-code" envconfig:"AIPERF_TOKENIZER_TRUST_REMOTE_CODE" desc:"accepted for AIPerf compatibility; no remote code is ever run (only tokenizer.json is read)"`

	// HTTP client (ours): Prometheus' http_config, as blackbox_exporter modules use it.
	// The flags override the matching fields of --http-config-file.
	HTTPConfigFile        string `flag:"http-config-file" envconfig:"AIPERF_HTTP_CONFIG_FILE" desc:"YAML HTTP client settings in Prometheus' http_config shape (tls_config, basic_auth, authorization, oauth2, proxy_url, http_headers, follow_redirects, enable_http2) (ours)"`
	TLSCAFile             string `flag:"tls-ca-file" envconfig:"AIPERF_TLS_CA_FILE" desc:"PEM CA certificate(s) that sign the server's certificate (ours)"`
	TLSCertFile           string `flag:"tls-cert-file" envconfig:"AIPERF_TLS_CERT_FILE" desc:"PEM client certificate for mutual TLS; needs --tls-key-file (ours)"`
	TLSKeyFile            string `flag:"tls-key-file" envconfig:"AIPERF_TLS_KEY_FILE" desc:"PEM client key for mutual TLS; re-read when it changes (ours)"`
	TLSServerName         string `flag:"tls-server-name" envconfig:"AIPERF_TLS_SERVER_NAME" desc:"server name to send (SNI) and verify instead of the URL's host (ours)"`
	TLSInsecureSkipVerify bool   `flag:"tls-insecure-skip-verify" envconfig:"AIPERF_TLS_INSECURE_SKIP_VERIFY" desc:"do not verify the server's certificate (ours)"`
	BasicAuthUsername     string `flag:"basic-auth-username" envconfig:"AIPERF_BASIC_AUTH_USERNAME" desc:"HTTP basic auth user name; the password comes from --basic-auth-password-file (ours)"`
	BasicAuthPasswordFile string `flag:"basic-auth-password-file" envconfig:"AIPERF_BASIC_AUTH_PASSWORD_FILE" desc:"file holding the HTTP basic auth password; re-read when it changes, never printed (ours)"`
	ProxyURL              string `flag:"proxy-url" envconfig:"AIPERF_PROXY_URL" desc:"HTTP(S) proxy for every request, e.g. http://proxy:3128 (ours)"`
	ProxyFromEnvironment  bool   `flag:"proxy-from-environment" envconfig:"AIPERF_PROXY_FROM_ENVIRONMENT" desc:"use HTTP_PROXY, HTTPS_PROXY and NO_PROXY (ours)"`
	NoKernelTimestamps    bool   `flag:"no-kernel-timestamps" envconfig:"AIPERF_NO_KERNEL_TIMESTAMPS" desc:"stamp response arrivals when the client reads them, not with the kernel's receive stamps (Linux; ours)"`

	// Audio input.
	AudioLengthMean   float64   `flag:"audio-length-mean" envconfig:"AIPERF_AUDIO_LENGTH_MEAN" default:"0" desc:"mean synthetic audio length in seconds; > 0 turns audio on"`
	AudioLengthStddev float64   `flag:"audio-length-stddev" envconfig:"AIPERF_AUDIO_LENGTH_STDDEV" default:"0" desc:"stddev of the synthetic audio length in seconds"`
	AudioFormat       string    `flag:"audio-format" envconfig:"AIPERF_AUDIO_FORMAT" default:"wav" desc:"synthetic audio format: wav or mp3"`
	AudioSampleRates  []float64 `flag:"audio-sample-rates" envconfig:"AIPERF_AUDIO_SAMPLE_RATES" default:"16" desc:"sample rates in kHz, one drawn per clip"`
	AudioDepths       []int     `flag:"audio-depths" envconfig:"AIPERF_AUDIO_DEPTHS" default:"16" desc:"bit depths, one drawn per clip: 8, 16, 24 or 32"`
	AudioChannels     int       `flag:"audio-num-channels" envconfig:"AIPERF_AUDIO_NUM_CHANNELS" default:"1" desc:"audio channels: 1 or 2"`
	AudioBatchSize    int       `flag:"audio-batch-size" alias:"batch-size-audio" envconfig:"AIPERF_AUDIO_BATCH_SIZE" default:"1" desc:"audio clips per request"`
	AudioSource       string    `flag:"audio-source" envconfig:"AIPERF_AUDIO_SOURCE" default:"synthetic" desc:"synthetic (noise) or speech: the embedded spoken clips with transcripts, scored by word error rate (ours)"`
	PublicDataset     string    `flag:"public-dataset" envconfig:"AIPERF_PUBLIC_DATASET" desc:"public speech dataset from the Hugging Face Hub: librispeech, voxpopuli, gigaspeech, ami or spgispeech (clips up to 30 s, transcripts scored by word error rate)"`

	// Text input and output length.
	InputTokensMean    int     `flag:"synthetic-input-tokens-mean" alias:"prompt-input-tokens-mean,isl" envconfig:"AIPERF_SYNTHETIC_INPUT_TOKENS_MEAN" default:"550" desc:"mean synthetic prompt length in tokens; 0 sends audio only"`
	InputTokensStddev  float64 `flag:"synthetic-input-tokens-stddev" alias:"prompt-input-tokens-stddev,isl-stddev" envconfig:"AIPERF_SYNTHETIC_INPUT_TOKENS_STDDEV" default:"0" desc:"stddev of the synthetic prompt length"`
	PrefixPoolSize     int     `flag:"prompt-prefix-pool-size" alias:"prefix-prompt-pool-size,num-prefix-prompts" envconfig:"AIPERF_PROMPT_PREFIX_POOL_SIZE" default:"0" desc:"number of shared prompt prefixes"`
	PrefixLength       int     `flag:"prompt-prefix-length" alias:"prefix-prompt-length" envconfig:"AIPERF_PROMPT_PREFIX_LENGTH" default:"0" desc:"prompt prefix length in tokens"`
	OutputTokensMean   int     `flag:"output-tokens-mean" alias:"prompt-output-tokens-mean,osl" envconfig:"AIPERF_OUTPUT_TOKENS_MEAN" default:"0" desc:"mean output length sent as max_completion_tokens; 0 sends no limit"`
	OutputTokensStddev float64 `flag:"output-tokens-stddev" alias:"prompt-output-tokens-stddev,osl-stddev" envconfig:"AIPERF_OUTPUT_TOKENS_STDDEV" default:"0" desc:"stddev of the output length"`
	NumDatasetEntries  int     `flag:"num-dataset-entries" alias:"conversation-num,num-conversations,num-sessions" envconfig:"AIPERF_NUM_DATASET_ENTRIES" default:"100" desc:"synthetic dataset size"`
	InputFile          string  `flag:"input-file" envconfig:"AIPERF_INPUT_FILE" desc:"JSONL input file (or directory for random_pool)"`
	CustomDatasetType  string  `flag:"custom-dataset-type" envconfig:"AIPERF_CUSTOM_DATASET_TYPE" desc:"single_turn, multi_turn, random_pool or mooncake_trace (inferred when empty)"`
	RandomSeed         int64   `flag:"random-seed" envconfig:"AIPERF_RANDOM_SEED" default:"0" desc:"seed for data, arrivals and selection; 0 picks one and logs it"`
	Goodput            string  `flag:"goodput" envconfig:"AIPERF_GOODPUT" desc:"SLOs 'tag:value ...' in display units for goodput"`

	// Load.
	Concurrency        int     `flag:"concurrency" envconfig:"AIPERF_CONCURRENCY" default:"0" desc:"concurrent requests (closed loop); 1 when no load flag is given; a comma list (1,2,4,8) sweeps: one run per value"`
	RequestRate        float64 `flag:"request-rate" envconfig:"AIPERF_REQUEST_RATE" default:"0" desc:"requests per second (open loop); concurrency then caps in-flight requests (2500 when not set); a comma list sweeps: one run per value"`
	ArrivalPattern     string  `flag:"arrival-pattern" alias:"request-rate-mode" envconfig:"AIPERF_ARRIVAL_PATTERN" default:"poisson" desc:"arrivals for --request-rate: poisson, constant or gamma; concurrency_burst (no rate) sends as fast as --concurrency allows"`
	ArrivalSmoothness  float64 `flag:"arrival-smoothness" alias:"vllm-burstiness" envconfig:"AIPERF_ARRIVAL_SMOOTHNESS" default:"1" desc:"gamma shape for --arrival-pattern gamma: < 1 bursty, 1 Poisson, > 1 smooth (vLLM's --burstiness)"`
	RequestCount       int     `flag:"request-count" alias:"num-requests" envconfig:"AIPERF_REQUEST_COUNT" default:"0" desc:"requests to send; 0 = max(10, 2 x concurrency) for profile, continuous for serve"`
	WarmupCount        int     `flag:"warmup-request-count" alias:"num-warmup-requests" envconfig:"AIPERF_WARMUP_REQUEST_COUNT" default:"0" desc:"requests sent first and excluded from every result"`
	Duration           float64 `flag:"benchmark-duration" envconfig:"AIPERF_BENCHMARK_DURATION" default:"0" desc:"send for this many seconds instead of a request count"`
	GracePeriod        float64 `flag:"benchmark-grace-period" envconfig:"AIPERF_BENCHMARK_GRACE_PERIOD" default:"30" desc:"seconds in-flight requests may finish after --benchmark-duration; inf waits for all"`
	CancelRate         float64 `flag:"request-cancellation-rate" envconfig:"AIPERF_REQUEST_CANCELLATION_RATE" default:"0" desc:"percent of requests to cancel (0-100)"`
	CancelDelay        float64 `flag:"request-cancellation-delay" envconfig:"AIPERF_REQUEST_CANCELLATION_DELAY" default:"0" desc:"seconds after sending before a chosen request is cancelled"`
	FixedSchedule      bool    `flag:"fixed-schedule" envconfig:"AIPERF_FIXED_SCHEDULE" desc:"send at the input file's timestamps"`
	FixedAutoOffset    bool    `flag:"fixed-schedule-auto-offset" envconfig:"AIPERF_FIXED_SCHEDULE_AUTO_OFFSET" desc:"shift timestamps so the first is at 0"`
	FixedStartOffsetMs int     `flag:"fixed-schedule-start-offset" envconfig:"AIPERF_FIXED_SCHEDULE_START_OFFSET" default:"0" desc:"skip timestamps before this offset (ms)"`
	FixedEndOffsetMs   int     `flag:"fixed-schedule-end-offset" envconfig:"AIPERF_FIXED_SCHEDULE_END_OFFSET" default:"0" desc:"skip timestamps after this offset (ms); 0 = no end"`

	// Ramps: raise the load gradually at each phase's start.
	ConcurrencyRampDuration float64 `flag:"concurrency-ramp-duration" envconfig:"AIPERF_CONCURRENCY_RAMP_DURATION" default:"0" desc:"seconds to ramp concurrency linearly from 1 to --concurrency at each phase's start; 0 = no ramp"`
	RequestRateRampDuration float64 `flag:"request-rate-ramp-duration" envconfig:"AIPERF_REQUEST_RATE_RAMP_DURATION" default:"0" desc:"seconds to ramp --request-rate linearly from target x 0.1 s / duration up to the target; 0 = no ramp"`

	// Readiness: wait for the model before the first request.
	WaitForModelTimeout  float64 `flag:"wait-for-model-timeout" envconfig:"AIPERF_WAIT_FOR_MODEL_TIMEOUT" default:"0" desc:"seconds to wait, before the first request, until every target serves the model; 0 = do not wait"`
	WaitForModelMode     string  `flag:"wait-for-model-mode" envconfig:"AIPERF_WAIT_FOR_MODEL_MODE" default:"inference" desc:"readiness check: models (/v1/models lists every model), inference (a one-token request answers), both, or health (GET /health answers; ours)"`
	WaitForModelInterval float64 `flag:"wait-for-model-interval" envconfig:"AIPERF_WAIT_FOR_MODEL_INTERVAL" default:"5" desc:"seconds between readiness checks"`

	// Run.
	Mock bool `flag:"mock" envconfig:"AIPERF_MOCK" desc:"start the embedded mock server and point the run at it (ours)"`
}

// Profile holds the settings only the one-shot `profile` has.
type Profile struct {
	ArtifactDir            string  `flag:"artifact-dir" alias:"output-artifact-dir" envconfig:"AIPERF_ARTIFACT_DIR" default:"artifacts" desc:"where the report files go"`
	FailedRequestThreshold float64 `flag:"failed-request-threshold" envconfig:"AIPERF_FAILED_REQUEST_THRESHOLD" default:"0" desc:"when given: stop the run and exit 1 once the failed share of requests exceeds this ratio (0-1), checked from max(concurrency, 10) requests on, as AIPerf"`
	Plot                   bool    `flag:"plot" envconfig:"AIPERF_PLOT" desc:"also write PNG plots into the artifact directory (ours)"`
	ExportLevel            string  `flag:"export-level" envconfig:"AIPERF_EXPORT_LEVEL" default:"records" desc:"summary (CSV and JSON only), records (also profile_export.jsonl, streamed) or raw (also profile_export_raw.jsonl, every record whole)"`
	SliceDuration          float64 `flag:"slice-duration" envconfig:"AIPERF_SLICE_DURATION" default:"0" desc:"seconds per time slice: also write metrics per slice (by request start, wall-clock multiples) to profile_export_aiperf_timeslices.csv/.json, as AIPerf; 0 = off"`

	// AIPerf flags that shape only AIPerf's own processes or UI: accepted so an
	// AIPerf command line runs unchanged; they change nothing here.
	Verbose          bool   `flag:"verbose" alias:"v" envconfig:"AIPERF_VERBOSE" desc:"AIPerf's debug logging; accepted, no effect (the run log has one level)"`
	ExtraVerbose     bool   `flag:"extra-verbose" alias:"vv" envconfig:"AIPERF_EXTRA_VERBOSE" desc:"AIPerf's trace logging; accepted, no effect"`
	LogLevelAIPerf   string `flag:"log-level" envconfig:"AIPERF_LOG_LEVEL" desc:"AIPerf's log level; accepted, no effect"`
	UIType           string `flag:"ui-type" alias:"ui" envconfig:"AIPERF_UI_TYPE" desc:"AIPerf's dashboard, simple or none; accepted, no effect (one progress line on a terminal)"`
	WorkersMax       int    `flag:"workers-max" alias:"max-workers" envconfig:"AIPERF_WORKERS_MAX" default:"0" desc:"AIPerf's worker processes; accepted, no effect (one process sends every request)"`
	RecordProcessors int    `flag:"record-processors" alias:"record-processor-service-count" envconfig:"AIPERF_RECORD_PROCESSORS" default:"0" desc:"AIPerf's record processor processes; accepted, no effect"`

	// AIPerf flags for what is not built here yet: accepted at their defaults,
	// any other value exits 2 saying so (cmd profile checks them).
	ConversationTurnMean        float64 `flag:"conversation-turn-mean" alias:"session-turns-mean" envconfig:"AIPERF_CONVERSATION_TURN_MEAN" default:"1" desc:"synthetic turns per conversation; only 1 (multi-turn needs --input-file)"`
	ConversationTurnStddev      float64 `flag:"conversation-turn-stddev" alias:"session-turns-stddev" envconfig:"AIPERF_CONVERSATION_TURN_STDDEV" default:"0" desc:"only 0 (synthetic multi-turn is not supported)"`
	ConversationTurnDelayMean   float64 `flag:"conversation-turn-delay-mean" alias:"session-turn-delay-mean" envconfig:"AIPERF_CONVERSATION_TURN_DELAY_MEAN" default:"0" desc:"only 0 (synthetic multi-turn is not supported)"`
	ConversationTurnDelayStddev float64 `flag:"conversation-turn-delay-stddev" alias:"session-turn-delay-stddev" envconfig:"AIPERF_CONVERSATION_TURN_DELAY_STDDEV" default:"0" desc:"only 0 (synthetic multi-turn is not supported)"`
	ConversationTurnDelayRatio  float64 `flag:"conversation-turn-delay-ratio" alias:"session-delay-ratio" envconfig:"AIPERF_CONVERSATION_TURN_DELAY_RATIO" default:"1" desc:"only 1 (synthetic multi-turn is not supported)"`
	InputTokensBlockSize        int     `flag:"synthetic-input-tokens-block-size" alias:"prompt-input-tokens-block-size,isl-block-size" envconfig:"AIPERF_SYNTHETIC_INPUT_TOKENS_BLOCK_SIZE" default:"512" desc:"tokens per trace hash id; only 512"`
	PromptBatchSize             int     `flag:"prompt-batch-size" alias:"batch-size-text,batch-size,b" envconfig:"AIPERF_PROMPT_BATCH_SIZE" default:"1" desc:"texts per request; only 1"`
	ImageWidthMean              float64 `flag:"image-width-mean" envconfig:"AIPERF_IMAGE_WIDTH_MEAN" default:"0" desc:"synthetic images are not supported: only 0"`
	ImageWidthStddev            float64 `flag:"image-width-stddev" envconfig:"AIPERF_IMAGE_WIDTH_STDDEV" default:"0" desc:"synthetic images are not supported: only 0"`
	ImageHeightMean             float64 `flag:"image-height-mean" envconfig:"AIPERF_IMAGE_HEIGHT_MEAN" default:"0" desc:"synthetic images are not supported: only 0"`
	ImageHeightStddev           float64 `flag:"image-height-stddev" envconfig:"AIPERF_IMAGE_HEIGHT_STDDEV" default:"0" desc:"synthetic images are not supported: only 0"`
	ImageBatchSize              int     `flag:"image-batch-size" alias:"batch-size-image" envconfig:"AIPERF_IMAGE_BATCH_SIZE" default:"1" desc:"synthetic images are not supported: only 1"`
	ImageFormat                 string  `flag:"image-format" envconfig:"AIPERF_IMAGE_FORMAT" desc:"synthetic images are not supported: accepted only unset"`
	ProfileExportFile           string  `flag:"profile-export-file" envconfig:"AIPERF_PROFILE_EXPORT_FILE" desc:"export file names are fixed here: accepted only unset"`
	ProfileExportPrefix         string  `flag:"profile-export-prefix" envconfig:"AIPERF_PROFILE_EXPORT_PREFIX" desc:"export file names are fixed here: accepted only unset"`

	// Server metrics and GPU telemetry: Prometheus endpoints scraped during the run.
	ServerMetrics         []string `flag:"server-metrics" envconfig:"AIPERF_SERVER_METRICS" desc:"more Prometheus endpoints to scrape during the run, besides each --url's /metrics; repeatable"`
	NoServerMetrics       bool     `flag:"no-server-metrics" envconfig:"AIPERF_NO_SERVER_METRICS" desc:"do not scrape the servers' Prometheus metrics"`
	ServerMetricsFormats  []string `flag:"server-metrics-formats" envconfig:"AIPERF_SERVER_METRICS_FORMATS" default:"json,csv" desc:"server-metrics exports to write: json, csv"`
	GPUTelemetry          []string `flag:"gpu-telemetry" envconfig:"AIPERF_GPU_TELEMETRY" desc:"dcgm-exporter URL(s) to scrape for GPU telemetry; repeatable"`
	NoGPUTelemetry        bool     `flag:"no-gpu-telemetry" envconfig:"AIPERF_NO_GPU_TELEMETRY" desc:"do not scrape GPU telemetry (nor --mock's fake GPU)"`
	ServerMetricsInterval float64  `flag:"server-metrics-interval" envconfig:"AIPERF_SERVER_METRICS_INTERVAL" default:"1" desc:"seconds between scrapes during the run (ours; AIPerf scrapes every 0.333 s)"`

	// Repeated runs (AIPerf's multi-run): each run keeps its own artifact
	// directory; the aggregate holds mean, std and confidence interval.
	NumProfileRuns     int     `flag:"num-profile-runs" envconfig:"AIPERF_NUM_PROFILE_RUNS" default:"1" desc:"runs of the same settings (of each swept value); more than 1 writes aggregate/ with mean, std and confidence interval of every metric"`
	ConfidenceLevel    float64 `flag:"confidence-level" envconfig:"AIPERF_CONFIDENCE_LEVEL" default:"0.95" desc:"confidence level of the intervals across --num-profile-runs (Student t), between 0 and 1"`
	ProfileRunCooldown float64 `flag:"profile-run-cooldown-seconds" envconfig:"AIPERF_PROFILE_RUN_COOLDOWN_SECONDS" default:"0" desc:"seconds to wait between repeated or swept runs"`

	// Sharded runs (ours): every shard holds its profiling phase until one time.
	StartAt string `flag:"start-at" envconfig:"AIPERF_START_AT" desc:"hold the profiling phase (after readiness and warmup) until this time, RFC 3339 or a Unix time, so sharded runs start together (ours)"`
}

// Serve holds the settings only the `serve` daemon has.
type Serve struct {
	ListenAddress []string `flag:"web.listen-address" envconfig:"AIPERF_WEB_LISTEN_ADDRESS" default:":9803" desc:"address(es) for /metrics and the landing page; repeat or comma separate for several"`

	WebConfigFile string  `flag:"web.config.file" envconfig:"AIPERF_WEB_CONFIG_FILE" desc:"exporter-toolkit web config file for TLS and basic auth"`
	LogLevel      string  `flag:"log.level" envconfig:"AIPERF_LOG_LEVEL" default:"info" desc:"log level: debug, info, warn, error"`
	LogFormat     string  `flag:"log.format" envconfig:"AIPERF_LOG_FORMAT" default:"console" desc:"log format: console or json"`
	Scenario      string  `flag:"scenario" envconfig:"AIPERF_SCENARIO" default:"default" desc:"scenario name, the 'scenario' label value"`
	ConfigFile    string  `flag:"config.file" envconfig:"AIPERF_CONFIG_FILE" desc:"YAML file of scenarios (each maps to these same settings)"`
	ProbeInterval float64 `flag:"probe.interval" envconfig:"AIPERF_PROBE_INTERVAL" default:"0" desc:"seconds between bursts of --request-count requests; 0 = continuous"`
	ShutdownGrace float64 `flag:"shutdown.grace-period" envconfig:"AIPERF_SHUTDOWN_GRACE_PERIOD" default:"10" desc:"seconds in-flight probes may finish on SIGTERM"`
	HistorySize   int     `flag:"web.history-size" envconfig:"AIPERF_WEB_HISTORY_SIZE" default:"100" desc:"probe results kept for the landing page (per scenario, at most 100000)"`
	Lifecycle     bool    `flag:"web.enable-lifecycle" envconfig:"AIPERF_WEB_ENABLE_LIFECYCLE" desc:"allow POST /-/reload to reload --config.file (SIGHUP always does)"`
	HealthAddr    string  `flag:"web.health-address" envconfig:"AIPERF_WEB_HEALTH_ADDRESS" desc:"also serve /-/healthy and /-/ready alone here, without --web.config.file's TLS and auth (for kubelet probes); empty = off"`
	MetricsPath   string  `flag:"web.telemetry-path" envconfig:"AIPERF_WEB_TELEMETRY_PATH" default:"/metrics" desc:"path under which to expose metrics"`
	SystemdSocket bool    `flag:"web.systemd-socket" envconfig:"AIPERF_WEB_SYSTEMD_SOCKET" desc:"use systemd socket activation listeners instead of --web.listen-address (Linux)"`
}
