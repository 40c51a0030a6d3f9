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
	EndpointType     string   `flag:"endpoint-type" envconfig:"AIPERF_ENDPOINT_TYPE" default:"chat" desc:"endpoint type: {endpoint-types}"`
	Endpoint         string   `flag:"endpoint" alias:"custom-endpoint" envconfig:"AIPERF_ENDPOINT" desc:"custom endpoint path (default from the endpoint type)"`
	URLs             []string `flag:"url" alias:"u" envconfig:"AIPERF_URL" default:"localhost:8000" desc:"target URL(s), optionally named 'name=URL'; repeat or comma separate for round robin"`
	Streaming        bool     `flag:"streaming" envconfig:"AIPERF_STREAMING" desc:"stream responses (required for TTFT, ITL)"`
	APIKey           Secret   `flag:"api-key" envconfig:"AIPERF_API_KEY" desc:"API key sent as 'Authorization: Bearer' (as x-api-key to anthropic_messages, as AIPerf); never logged"`
	APIKeyFile       string   `flag:"api-key-file" envconfig:"AIPERF_API_KEY_FILE" desc:"read the API key from this file (ours)"`
	Headers          []string `flag:"header" alias:"H" envconfig:"AIPERF_HEADER" desc:"extra header 'Name:Value'; repeatable"`
	SessionHeader    string   `flag:"session-header" envconfig:"AIPERF_SESSION_HEADER" default:"X-Correlation-ID" desc:"header that carries each conversation's id (x_correlation_id in the records), as AIPerf's"`
	UUIDAndStrip     bool     `flag:"uuid-and-strip" envconfig:"AIPERF_UUID_AND_STRIP" desc:"vLLM multimodal cache: in a single_turn input file, an image whose uuid an earlier line of the same session_id sent already goes with an empty url and its uuid only, as AIPerf (a file's image uuids are always sent on the chat endpoint; multi_turn files are refused)"`
	ExtraInputs      []string `flag:"extra-inputs" envconfig:"AIPERF_EXTRA_INPUTS" desc:"extra body fields 'key:value' or a JSON object; repeatable"`
	RequestTimeout   float64  `flag:"request-timeout-seconds" envconfig:"AIPERF_REQUEST_TIMEOUT_SECONDS" default:"600" desc:"per-request timeout in seconds"`
	ServerTokenCount bool     `flag:"use-server-token-count" envconfig:"AIPERF_USE_SERVER_TOKEN_COUNT" desc:"count tokens from the server's usage instead of a client tokenizer"`
	LegacyMaxTokens  bool     `flag:"use-legacy-max-tokens" envconfig:"AIPERF_USE_LEGACY_MAX_TOKENS" desc:"send max_tokens instead of max_completion_tokens"`
	Tokenizer        string   `flag:"tokenizer" envconfig:"AIPERF_TOKENIZER" desc:"Hugging Face tokenizer: a local tokenizer.json (file or directory) or a Hub repo id; default the first --model, fetched from the Hub"`

	// Tokenizer from the Hugging Face Hub.
	TokenizerRevision        string `flag:"tokenizer-revision" envconfig:"AIPERF_TOKENIZER_REVISION" default:"main" desc:"branch, tag or commit of the tokenizer's Hub repo"`
	TokenizerTrustRemoteCode bool   `flag:"tokenizer-trust-remote-code" envconfig:"AIPERF_TOKENIZER_TRUST_REMOTE_CODE" desc:"accepted for AIPerf compatibility; no remote code is ever run (only tokenizer.json is read, and the chat template files for --apply-chat-template)"`

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
	ResponseBudgetMiB     int    `flag:"response-budget-mib" envconfig:"AIPERF_RESPONSE_BUDGET_MIB" default:"256" desc:"MiB of response bytes all requests in flight may hold together beyond 1 MiB each (one budget for the process); a request past it ends as an error (ours)"`

	// Audio input.
	AudioLengthMean   float64   `flag:"audio-length-mean" envconfig:"AIPERF_AUDIO_LENGTH_MEAN" default:"0" desc:"mean synthetic audio length in seconds; > 0 turns audio on"`
	AudioLengthStddev float64   `flag:"audio-length-stddev" envconfig:"AIPERF_AUDIO_LENGTH_STDDEV" default:"0" desc:"stddev of the synthetic audio length in seconds"`
	AudioFormat       string    `flag:"audio-format" envconfig:"AIPERF_AUDIO_FORMAT" default:"wav" desc:"synthetic audio format: wav or mp3"`
	AudioSampleRates  []float64 `flag:"audio-sample-rates" envconfig:"AIPERF_AUDIO_SAMPLE_RATES" default:"16" desc:"sample rates in kHz, one drawn per clip"`
	AudioDepths       []int     `flag:"audio-depths" envconfig:"AIPERF_AUDIO_DEPTHS" default:"16" desc:"bit depths, one drawn per clip: 8, 16, 24 or 32"`
	AudioChannels     int       `flag:"audio-num-channels" envconfig:"AIPERF_AUDIO_NUM_CHANNELS" default:"1" desc:"audio channels: 1 or 2"`
	AudioBatchSize    int       `flag:"audio-batch-size" alias:"batch-size-audio" envconfig:"AIPERF_AUDIO_BATCH_SIZE" default:"1" desc:"audio clips per request"`
	AudioSource       string    `flag:"audio-source" envconfig:"AIPERF_AUDIO_SOURCE" default:"synthetic" desc:"synthetic (noise) or speech: the embedded spoken clips with transcripts, scored by word error rate (ours)"`
	PublicDataset     string    `flag:"public-dataset" envconfig:"AIPERF_PUBLIC_DATASET" desc:"public dataset from the Hugging Face Hub: speech (librispeech, voxpopuli, gigaspeech, ami, spgispeech; transcripts scored by word error rate), text (sharegpt, aimo, aimo_aime, aimo_numina_cot, aimo_numina_1_5, instruct_coder, blazedit_5k, blazedit_10k, spec_bench, spec_al_gsm8k, spec_al_math500, spec_al_humaneval, spec_al_mbpp, spec_al_mtbench), vision (mmstar, vision_arena, llava_onevision), video (mmvu) or SPEED-Bench (speed_bench_qualitative, speed_bench_<category>, speed_bench_throughput_<1k|2k|8k|16k|32k>[_<entropy>], from AIPerf's resolved cache)"`
	HFSubset          string    `flag:"hf-subset" envconfig:"AIPERF_HF_SUBSET" default:"" desc:"Hugging Face subset (config) of --public-dataset in place of its own, e.g. other for librispeech's test split; the split stays"`
	DatasetFilter     []string  `flag:"dataset-filter" envconfig:"AIPERF_DATASET_FILTER" desc:"filter 'key=value' of a --public-dataset that declares filters; repeatable. As in AIPerf, none of the datasets here declares any, so it exits 2"`

	// Image input: synthetic images sent as image_url parts.
	ImageWidthMean      float64 `flag:"image-width-mean" envconfig:"AIPERF_IMAGE_WIDTH_MEAN" default:"512" desc:"mean synthetic image width in pixels (up to 16384)"`
	ImageWidthStddev    float64 `flag:"image-width-stddev" envconfig:"AIPERF_IMAGE_WIDTH_STDDEV" default:"0" desc:"stddev of the synthetic image width in pixels"`
	ImageHeightMean     float64 `flag:"image-height-mean" envconfig:"AIPERF_IMAGE_HEIGHT_MEAN" default:"512" desc:"mean synthetic image height in pixels (up to 16384)"`
	ImageHeightStddev   float64 `flag:"image-height-stddev" envconfig:"AIPERF_IMAGE_HEIGHT_STDDEV" default:"0" desc:"stddev of the synthetic image height in pixels"`
	ImageBatchSize      int     `flag:"image-batch-size" alias:"batch-size-image" envconfig:"AIPERF_IMAGE_BATCH_SIZE" default:"0" desc:"synthetic images per request, sent as image_url data URLs; 0 sends none"`
	ImageFormat         string  `flag:"image-format" envconfig:"AIPERF_IMAGE_FORMAT" default:"jpeg" desc:"synthetic image format: png, jpeg or random (one of the two drawn per image)"`
	ImageSource         string  `flag:"image-source" envconfig:"AIPERF_IMAGE_SOURCE" default:"noise" desc:"noise (random pixels) or a directory of images, each resized to the drawn size; AIPerf's bundled assets are not shipped"`
	ImageSourceSampling string  `flag:"image-source-sampling" envconfig:"AIPERF_IMAGE_SOURCE_SAMPLING" default:"random-with-replacement" desc:"how a directory's images are picked: random-with-replacement, shuffle-cycle or sequential-cycle (noise: only the first)"`

	// Video input: synthetic videos, encoded by the ffmpeg binary, sent as video_url parts.
	VideoBatchSize        int     `flag:"video-batch-size" alias:"batch-size-video" envconfig:"AIPERF_VIDEO_BATCH_SIZE" default:"0" desc:"synthetic videos per request, sent as video_url data URLs (needs ffmpeg on PATH, --video-width and --video-height); 0 sends none"`
	VideoDuration         float64 `flag:"video-duration" envconfig:"AIPERF_VIDEO_DURATION" default:"1" desc:"length of each synthetic video in s (up to 3600); frames = int(duration x fps)"`
	VideoFPS              int     `flag:"video-fps" envconfig:"AIPERF_VIDEO_FPS" default:"4" desc:"synthetic video frames per second"`
	VideoWidth            int     `flag:"video-width" envconfig:"AIPERF_VIDEO_WIDTH" default:"0" desc:"synthetic video width in pixels (up to 4096)"`
	VideoHeight           int     `flag:"video-height" envconfig:"AIPERF_VIDEO_HEIGHT" default:"0" desc:"synthetic video height in pixels (up to 4096)"`
	VideoSynthType        string  `flag:"video-synth-type" envconfig:"AIPERF_VIDEO_SYNTH_TYPE" default:"moving_shapes" desc:"synthetic video content: moving_shapes, grid_clock or noise"`
	VideoFormat           string  `flag:"video-format" envconfig:"AIPERF_VIDEO_FORMAT" default:"webm" desc:"synthetic video container: webm or mp4"`
	VideoCodec            string  `flag:"video-codec" envconfig:"AIPERF_VIDEO_CODEC" default:"libvpx-vp9" desc:"ffmpeg video encoder, e.g. libvpx-vp9, libvpx or libx264 (as the local ffmpeg has them)"`
	VideoAudioSampleRate  float64 `flag:"video-audio-sample-rate" envconfig:"AIPERF_VIDEO_AUDIO_SAMPLE_RATE" default:"44.1" desc:"sample rate of the video's noise audio track in kHz, 8 to 96 (a value in Hz, 8000 to 96000, is read as Hz)"`
	VideoAudioNumChannels int     `flag:"video-audio-num-channels" envconfig:"AIPERF_VIDEO_AUDIO_NUM_CHANNELS" default:"0" desc:"channels of the video's noise audio track: 0 (none), 1 or 2"`
	VideoAudioCodec       string  `flag:"video-audio-codec" envconfig:"AIPERF_VIDEO_AUDIO_CODEC" default:"" desc:"audio encoder of the video's track: libvorbis, libopus or aac; unset: libvorbis for webm, libopus for mp4"`
	VideoAudioDepth       int     `flag:"video-audio-depth" envconfig:"AIPERF_VIDEO_AUDIO_DEPTH" default:"16" desc:"bit depth of the video's noise audio track before encoding: 8, 16, 24 or 32"`

	// Text input and output length.
	InputTokensMean    int     `flag:"synthetic-input-tokens-mean" alias:"prompt-input-tokens-mean,isl" envconfig:"AIPERF_SYNTHETIC_INPUT_TOKENS_MEAN" default:"550" desc:"mean synthetic prompt length in tokens; 0 sends audio only"`
	InputTokensStddev  float64 `flag:"synthetic-input-tokens-stddev" alias:"prompt-input-tokens-stddev,isl-stddev" envconfig:"AIPERF_SYNTHETIC_INPUT_TOKENS_STDDEV" default:"0" desc:"stddev of the synthetic prompt length"`
	PrefixPoolSize     int     `flag:"prompt-prefix-pool-size" alias:"prefix-prompt-pool-size,num-prefix-prompts" envconfig:"AIPERF_PROMPT_PREFIX_POOL_SIZE" default:"0" desc:"number of shared prompt prefixes"`
	PrefixLength       int     `flag:"prompt-prefix-length" alias:"prefix-prompt-length" envconfig:"AIPERF_PROMPT_PREFIX_LENGTH" default:"0" desc:"prompt prefix length in tokens"`
	OutputTokensMean   int     `flag:"output-tokens-mean" alias:"prompt-output-tokens-mean,osl" envconfig:"AIPERF_OUTPUT_TOKENS_MEAN" default:"0" desc:"mean output length sent as max_completion_tokens; 0 sends no limit"`
	OutputTokensStddev float64 `flag:"output-tokens-stddev" alias:"prompt-output-tokens-stddev,osl-stddev" envconfig:"AIPERF_OUTPUT_TOKENS_STDDEV" default:"0" desc:"stddev of the output length"`
	NumDatasetEntries  int     `flag:"num-dataset-entries" alias:"conversation-num,num-conversations,num-sessions,num-prompts" envconfig:"AIPERF_NUM_DATASET_ENTRIES" default:"100" desc:"synthetic dataset size"`
	InputFile          string  `flag:"input-file" envconfig:"AIPERF_INPUT_FILE" desc:"JSONL input file (or directory for random_pool)"`
	CustomDatasetType  string  `flag:"custom-dataset-type" envconfig:"AIPERF_CUSTOM_DATASET_TYPE" desc:"single_turn, multi_turn, random_pool, mooncake_trace, bailian_trace, burst_gpt_trace, baseten_trace, weka_trace, inputs_json, raw_payload or sagemaker_data_capture (inferred when empty: baseten_trace for a .parquet file, burst_gpt_trace for a .csv file, sagemaker_data_capture for Data Capture records, inputs_json for a .json file of its shape, weka_trace for a Weka .json trace or a directory of them, raw_payload for a directory of request bodies, else from the first line: bailian_trace when it has chat_id, raw_payload when it has messages); AIPerf's other types exit 2 with the reason"`
	RandomSeed         int64   `flag:"random-seed" envconfig:"AIPERF_RANDOM_SEED" default:"0" desc:"seed for data, arrivals and selection; 0 picks one and logs it"`
	Goodput            string  `flag:"goodput" envconfig:"AIPERF_GOODPUT" desc:"SLOs 'tag:value ...' in display units for goodput"`

	// Trace synthesis: reshapes a mooncake_trace --input-file as it is read (AIPerf's synthesizer).
	SynthesisSpeedupRatio         float64 `flag:"synthesis-speedup-ratio" envconfig:"AIPERF_SYNTHESIS_SPEEDUP_RATIO" default:"1" desc:"divide a mooncake trace's timestamps by this (2 replays twice as fast; 0 leaves them)"`
	SynthesisPrefixLenMultiplier  float64 `flag:"synthesis-prefix-len-multiplier" envconfig:"AIPERF_SYNTHESIS_PREFIX_LEN_MULTIPLIER" default:"1" desc:"scale the shared prefix of a mooncake trace's prompts (the leading hash_ids seen on more than one line) by this"`
	SynthesisPrefixRootMultiplier int     `flag:"synthesis-prefix-root-multiplier" envconfig:"AIPERF_SYNTHESIS_PREFIX_ROOT_MULTIPLIER" default:"1" desc:"spread a mooncake trace's prompts over this many independent prefix trees (each line drawn into one)"`
	SynthesisPromptLenMultiplier  float64 `flag:"synthesis-prompt-len-multiplier" envconfig:"AIPERF_SYNTHESIS_PROMPT_LEN_MULTIPLIER" default:"1" desc:"scale the unique (unshared) part of a mooncake trace's prompts by this"`
	SynthesisOutputLenMultiplier  float64 `flag:"synthesis-output-len-multiplier" envconfig:"AIPERF_SYNTHESIS_OUTPUT_LEN_MULTIPLIER" default:"1" desc:"scale a mooncake trace's output_length by this (rounded)"`
	SynthesisMaxISL               int     `flag:"synthesis-max-isl" envconfig:"AIPERF_SYNTHESIS_MAX_ISL" default:"0" desc:"skip mooncake trace lines whose input_length is above this, and cap synthesized prompts at it; 0 = no limit"`
	SynthesisMaxOSL               int     `flag:"synthesis-max-osl" envconfig:"AIPERF_SYNTHESIS_MAX_OSL" default:"0" desc:"cap a mooncake trace's output_length (after --synthesis-output-len-multiplier) at this; 0 = no limit"`
	// baseten traces: a Parquet --input-file of recorded requests (custom dataset type baseten_trace).
	TraceSessionSampleRatio float64 `flag:"trace-session-sample-ratio" envconfig:"AIPERF_TRACE_SESSION_SAMPLE_RATIO" default:"0" desc:"keep each session of a baseten trace with this probability (0-1, seeded; at least one is kept); 0 = all"`
	MaxIdleGapCap           float64 `flag:"max-idle-gap-cap-seconds" envconfig:"AIPERF_MAX_IDLE_GAP_CAP_SECONDS" default:"0" desc:"shorten every gap between a baseten trace's requests (session starts in closed loop) to at most this many seconds; 0 = none"`
	ReplaySpeedup           float64 `flag:"replay-speedup" envconfig:"AIPERF_REPLAY_SPEEDUP" default:"0" desc:"divide a baseten trace's timestamps (and recorded durations) by this; 0 = 1"`
	OpenLoopReplay          bool    `flag:"open-loop-replay" envconfig:"AIPERF_OPEN_LOOP_REPLAY" desc:"the default: every turn of a baseten trace is sent at its own recorded time"`
	NoOpenLoopReplay        bool    `flag:"no-open-loop-replay" envconfig:"AIPERF_NO_OPEN_LOOP_REPLAY" desc:"closed-loop baseten replay: a session's first turn at its time, each later one after the turn before ends, by the recorded gap less its recorded duration"`
	OpenLoopStrict          bool    `flag:"open-loop-strict" envconfig:"AIPERF_OPEN_LOOP_STRICT" desc:"open-loop baseten replay with every row a conversation of its own (no sessions)"`
	OmitKVHints             bool    `flag:"omit-kv-hints" envconfig:"AIPERF_OMIT_KV_HINTS" desc:"do not send a baseten trace's hash_ids and block_size in the request body"`
	ForceMinTokens          bool    `flag:"force-min-tokens" envconfig:"AIPERF_FORCE_MIN_TOKENS" desc:"the default: a baseten trace's requests send min_tokens = the recorded output length"`
	NoForceMinTokens        bool    `flag:"no-force-min-tokens" envconfig:"AIPERF_NO_FORCE_MIN_TOKENS" desc:"send no min_tokens with a baseten trace's requests (they may end at EOS)"`
	InterTurnDelayCap       float64 `flag:"inter-turn-delay-cap-seconds" envconfig:"AIPERF_INTER_TURN_DELAY_CAP_SECONDS" default:"0" desc:"shorten every delay an --input-file records between turns (multi_turn and single_turn delay, a mooncake line's delay, closed-loop baseten think times) to at most this many seconds; 0 = none"`
	// Weka traces: --custom-dataset-type weka_trace, a JSON trace file or a directory of them.
	HFWekaDataset    string  `flag:"hf-weka-dataset" envconfig:"AIPERF_HF_WEKA_DATASET" desc:"Hub dataset repo of Weka traces (its .json and .jsonl files), replayed as weka_trace; instead of --input-file"`
	UseThinkTimeOnly bool    `flag:"use-think-time-only" envconfig:"AIPERF_USE_THINK_TIME_ONLY" desc:"a Weka trace's later turn waits its recorded think_time instead of the gap between request starts"`
	MaxContextLength int     `flag:"max-context-length" envconfig:"AIPERF_MAX_CONTEXT_LENGTH" default:"0" desc:"drop every Weka trace with a request whose input plus output tokens exceed this; 0 = none"`
	TraceIdleGapCap  float64 `flag:"trace-idle-gap-cap-seconds" envconfig:"AIPERF_TRACE_IDLE_GAP_CAP_SECONDS" default:"0" desc:"shorten every gap between a Weka trace's request starts to at most this many seconds; 0 = none"`

	// Synthetic multi-turn conversations, as AIPerf's synthetic composer makes them.
	ConversationTurnMean        float64 `flag:"conversation-turn-mean" alias:"session-turns-mean" envconfig:"AIPERF_CONVERSATION_TURN_MEAN" default:"1" desc:"synthetic turns per conversation (whole number, at least 1); each later turn resends the earlier user turns before its own"`
	ConversationTurnStddev      float64 `flag:"conversation-turn-stddev" alias:"session-turns-stddev" envconfig:"AIPERF_CONVERSATION_TURN_STDDEV" default:"0" desc:"stddev of the synthetic turns per conversation"`
	ConversationTurnDelayMean   float64 `flag:"conversation-turn-delay-mean" alias:"session-turn-delay-mean" envconfig:"AIPERF_CONVERSATION_TURN_DELAY_MEAN" default:"0" desc:"mean delay in ms before each later turn of a synthetic conversation; 0 sends turns back to back"`
	ConversationTurnDelayStddev float64 `flag:"conversation-turn-delay-stddev" alias:"session-turn-delay-stddev" envconfig:"AIPERF_CONVERSATION_TURN_DELAY_STDDEV" default:"0" desc:"stddev of the synthetic turn delay in ms"`
	ConversationTurnDelayRatio  float64 `flag:"conversation-turn-delay-ratio" alias:"session-delay-ratio" envconfig:"AIPERF_CONVERSATION_TURN_DELAY_RATIO" default:"1" desc:"multiplier of every synthetic turn delay; 0 removes them"`

	// Synthetic context prompts, trace blocks and ISL/OSL pairs, as AIPerf's prompt generator.
	SharedSystemPromptLength int    `flag:"shared-system-prompt-length" envconfig:"AIPERF_SHARED_SYSTEM_PROMPT_LENGTH" default:"0" desc:"tokens of one synthetic system prompt sent first in every request of every conversation; 0 = none"`
	UserContextPromptLength  int    `flag:"user-context-prompt-length" envconfig:"AIPERF_USER_CONTEXT_PROMPT_LENGTH" default:"0" desc:"tokens of a synthetic user message of each conversation's own, sent after the system prompt in each of its requests; 0 = none"`
	InputTokensBlockSize     int    `flag:"synthetic-input-tokens-block-size" alias:"prompt-input-tokens-block-size,isl-block-size" envconfig:"AIPERF_SYNTHETIC_INPUT_TOKENS_BLOCK_SIZE" default:"512" desc:"tokens per hash id of a mooncake_trace input file (the last block of a line holds the rest); a bailian_trace file uses 16 while this stays at 512"`
	SequenceDistribution     string `flag:"seq-dist" alias:"sequence-distribution" envconfig:"AIPERF_SEQ_DIST" default:"" desc:"(ISL, OSL) pairs drawn per synthetic turn instead of --isl/--osl, as AIPerf writes them: 'ISL,OSL:pct;...' (a length may carry '|stddev'), '[(ISL,OSL):pct,...]' or JSON with a pairs list; the percentages sum to 100"`
	DatasetSamplingStrategy  string `flag:"dataset-sampling-strategy" envconfig:"AIPERF_DATASET_SAMPLING_STRATEGY" default:"" desc:"order conversations are taken in, as AIPerf: sequential (file order, wrapping), random (with replacement) or shuffle (a new permutation each pass); unset: sequential for --public-dataset (AIPerf's public loaders prefer it), else one shuffle, cycled"`
	CacheBust                string `flag:"cache-bust" envconfig:"AIPERF_CACHE_BUST" default:"none" desc:"put a marker [rid:<12 hex>] unique to each play of a conversation into every chat request of it, as AIPerf: system_prefix or system_suffix (in the system prompt, else the first user turn), first_turn_prefix or first_turn_suffix, or none"`
	PromptCorpus             string `flag:"prompt-corpus" envconfig:"AIPERF_PROMPT_CORPUS" default:"sonnet" desc:"text synthetic prompts and trace blocks are cut from: sonnet (our own prose stands in for AIPerf's sonnets) or coding (code, shell sessions, JSON, tracebacks, diffs, logs and coding requests rendered from our own templates, as AIPerf renders its coding corpus)"`

	// Load.
	Concurrency        int     `flag:"concurrency" envconfig:"AIPERF_CONCURRENCY" default:"0" desc:"concurrent requests (closed loop); 1 when no load flag is given; a comma list (1,2,4,8) sweeps: one run per value"`
	RequestRate        float64 `flag:"request-rate" envconfig:"AIPERF_REQUEST_RATE" default:"0" desc:"requests per second (open loop); concurrency then caps in-flight requests (2500 when not set); a comma list sweeps: one run per value"`
	ArrivalPattern     string  `flag:"arrival-pattern" alias:"request-rate-mode" envconfig:"AIPERF_ARRIVAL_PATTERN" default:"poisson" desc:"arrivals for --request-rate: poisson, constant or gamma; concurrency_burst (no rate) sends as fast as --concurrency allows"`
	ArrivalSmoothness  float64 `flag:"arrival-smoothness" alias:"vllm-burstiness" envconfig:"AIPERF_ARRIVAL_SMOOTHNESS" default:"1" desc:"gamma shape for --arrival-pattern gamma: < 1 bursty, 1 Poisson, > 1 smooth (vLLM's --burstiness)"`
	RequestCount       int     `flag:"request-count" alias:"num-requests" envconfig:"AIPERF_REQUEST_COUNT" default:"0" desc:"requests to send; 0 = max(10, 2 x concurrency) for profile, continuous for serve"`
	WarmupCount        int     `flag:"warmup-request-count" alias:"num-warmup-requests" envconfig:"AIPERF_WARMUP_REQUEST_COUNT" default:"0" desc:"requests sent first and excluded from every result"`
	WarmupDuration     float64 `flag:"warmup-duration" envconfig:"AIPERF_WARMUP_DURATION" default:"0" desc:"seconds of warmup, excluded from every result; with --warmup-request-count the warmup ends at whichever comes first, and its requests in flight then finish"`
	Duration           float64 `flag:"benchmark-duration" envconfig:"AIPERF_BENCHMARK_DURATION" default:"0" desc:"send for this many seconds instead of a request count"`
	GracePeriod        float64 `flag:"benchmark-grace-period" envconfig:"AIPERF_BENCHMARK_GRACE_PERIOD" default:"30" desc:"seconds in-flight requests may finish after --benchmark-duration; inf waits for all"`
	CancelRate         float64 `flag:"request-cancellation-rate" envconfig:"AIPERF_REQUEST_CANCELLATION_RATE" default:"0" desc:"percent of requests to cancel (0-100)"`
	CancelDelay        float64 `flag:"request-cancellation-delay" envconfig:"AIPERF_REQUEST_CANCELLATION_DELAY" default:"0" desc:"seconds after sending before a chosen request is cancelled"`
	FixedSchedule      bool    `flag:"fixed-schedule" envconfig:"AIPERF_FIXED_SCHEDULE" desc:"send at the input file's timestamps"`
	NoFixedSchedule    bool    `flag:"no-fixed-schedule" envconfig:"AIPERF_NO_FIXED_SCHEDULE" desc:"send a trace by --concurrency or --request-rate, ignoring its timestamps (a trace is otherwise sent at them)"`
	IgnoreTraceDelays  bool    `flag:"ignore-trace-delays" envconfig:"AIPERF_IGNORE_TRACE_DELAYS" desc:"send a trace or multi-turn file back to back by the load settings: its timestamps and turn delays are ignored (not with --fixed-schedule)"`
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

	// Texts per request (embeddings, completions, chat).
	PromptBatchSize int `flag:"prompt-batch-size" alias:"batch-size-text,batch-size,b" envconfig:"AIPERF_PROMPT_BATCH_SIZE" default:"1" desc:"synthetic texts per request: an embeddings input list, a completions prompt list, or text parts of one chat message"`

	// Rankings: synthetic queries and passages for nim_rankings, hf_tei_rankings and cohere_rankings.
	RankingsPassagesMean        int `flag:"rankings-passages-mean" envconfig:"AIPERF_RANKINGS_PASSAGES_MEAN" default:"1" desc:"mean passages per ranking request (normal, at least 1)"`
	RankingsPassagesStddev      int `flag:"rankings-passages-stddev" envconfig:"AIPERF_RANKINGS_PASSAGES_STDDEV" default:"0" desc:"stddev of the passages per ranking request"`
	RankingsPassagesTokenMean   int `flag:"rankings-passages-prompt-token-mean" envconfig:"AIPERF_RANKINGS_PASSAGES_PROMPT_TOKEN_MEAN" default:"550" desc:"mean synthetic passage length in tokens"`
	RankingsPassagesTokenStddev int `flag:"rankings-passages-prompt-token-stddev" envconfig:"AIPERF_RANKINGS_PASSAGES_PROMPT_TOKEN_STDDEV" default:"0" desc:"stddev of the synthetic passage length"`
	RankingsQueryTokenMean      int `flag:"rankings-query-prompt-token-mean" envconfig:"AIPERF_RANKINGS_QUERY_PROMPT_TOKEN_MEAN" default:"550" desc:"mean synthetic ranking query length in tokens"`
	RankingsQueryTokenStddev    int `flag:"rankings-query-prompt-token-stddev" envconfig:"AIPERF_RANKINGS_QUERY_PROMPT_TOKEN_STDDEV" default:"0" desc:"stddev of the synthetic ranking query length"`

	// Run.
	Mock bool `flag:"mock" envconfig:"AIPERF_MOCK" desc:"start the embedded mock server and point the run at it (ours)"`

	// Video generation.
	DownloadVideoContent bool `flag:"download-video-content" envconfig:"AIPERF_DOWNLOAD_VIDEO_CONTENT" desc:"video_generation: once a job completes, also download its video (GET the job's url, else /v1/videos/{id}/content), inside the request's latency, as AIPerf"`
}

// Profile holds the settings only the one-shot `profile` has.
type Profile struct {
	ArtifactDir            string  `flag:"artifact-dir" alias:"output-artifact-dir" envconfig:"AIPERF_ARTIFACT_DIR" default:"artifacts" desc:"where the report files go"`
	FailedRequestThreshold float64 `flag:"failed-request-threshold" envconfig:"AIPERF_FAILED_REQUEST_THRESHOLD" default:"0" desc:"when given: stop the run and exit 1 once the failed share of requests exceeds this ratio (0-1), checked from max(concurrency, 10) requests on, as AIPerf"`
	Plot                   bool    `flag:"plot" alias:"auto-plot" envconfig:"AIPERF_PLOT" desc:"also write PNG plots into the artifact directory (ours; AIPerf's --auto-plot runs its plot command: the same here)"`
	ExportLevel            string  `flag:"export-level" alias:"profile-export-level" envconfig:"AIPERF_EXPORT_LEVEL" default:"records" desc:"summary (CSV and JSON only), records (also profile_export.jsonl, streamed) or raw (also profile_export_raw.jsonl, every record whole)"`
	SliceDuration          float64 `flag:"slice-duration" envconfig:"AIPERF_SLICE_DURATION" default:"0" desc:"seconds per time slice: also write metrics per slice (by request start, wall-clock multiples) to profile_export_aiperf_timeslices.csv/.json, and server metrics per slice into server_metrics_export.json, as AIPerf; 0 = off"`

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
	ProfileExportFile   string `flag:"profile-export-file" envconfig:"AIPERF_PROFILE_EXPORT_FILE" desc:"alias of AIPerf's --profile-export-prefix (it names the same files; given both, they must agree)"`
	ProfileExportPrefix string `flag:"profile-export-prefix" envconfig:"AIPERF_PROFILE_EXPORT_PREFIX" desc:"name the exports P.csv, P.json, P.jsonl, P_raw.jsonl, P_timeslices.csv/.json, P_server_metrics.json/.csv instead of profile_export*, as AIPerf (one suffix such as .jsonl is stripped; a directory part is dropped: the files stay in the artifact directory)"`

	// Newer AIPerf flags (its docs/cli-options.md, 2026): those marked "not yet
	// supported" exit 2 at any other value than the default (profile checks
	// them); "accepted, no effect" ones name a default or AIPerf's own machinery.
	URLStrategy                          string   `flag:"url-strategy" envconfig:"AIPERF_URL_STRATEGY" default:"round_robin" desc:"how requests are spread over several --url: round_robin, AIPerf's only strategy"`
	Transport                            string   `flag:"transport" alias:"transport-type" envconfig:"AIPERF_TRANSPORT" default:"http" desc:"the transport: http, AIPerf's default and the only one here (its in-engine vllm, sglang and trtllm transports run the model inside AIPerf and are refused)"`
	ConnectionReuseStrategy              string   `flag:"connection-reuse-strategy" envconfig:"AIPERF_CONNECTION_REUSE_STRATEGY" default:"pooled" desc:"pooled (keep-alive connections shared by all requests), never (a new connection per request, closed after its response) or sticky-user-sessions (a conversation's connection is closed after its last turn), as AIPerf"`
	RequestContentType                   string   `flag:"request-content-type" envconfig:"AIPERF_REQUEST_CONTENT_TYPE" default:"" desc:"Content-Type header of every request instead of the body's own (application/json, or multipart/form-data for audio_transcription)"`
	ResetKVCache                         bool     `flag:"reset-kv-cache" envconfig:"AIPERF_RESET_KV_CACHE" desc:"POST the KV-cache reset path to each --url's server once before the run (the warmup included); a failure ends the run before anything is sent (exit 1), as AIPerf"`
	ResetKVCacheTimeout                  float64  `flag:"reset-kv-cache-timeout-seconds" envconfig:"AIPERF_RESET_KV_CACHE_TIMEOUT_SECONDS" default:"0" desc:"timeout of the KV-cache reset POST (0: --request-timeout-seconds); given, it turns --reset-kv-cache on"`
	ResetKVCachePath                     string   `flag:"reset-kv-cache-path" envconfig:"AIPERF_RESET_KV_CACHE_PATH" default:"" desc:"path of the KV-cache reset POST, starting with / (unset: /reset_prefix_cache, vLLM's; SGLang's is /flush_cache); given, it turns --reset-kv-cache on"`
	ServerProfiler                       bool     `flag:"server-profiler" envconfig:"AIPERF_SERVER_PROFILER" desc:"POST the profiler start path to each --url's server before the profiling phase (not the warmup) and the stop path after it; a failed start ends the run before any profiling request (exit 1), a failed stop is a warning, as AIPerf"`
	ServerProfilerTimeout                float64  `flag:"server-profiler-timeout-seconds" envconfig:"AIPERF_SERVER_PROFILER_TIMEOUT_SECONDS" default:"0" desc:"timeout of the profiler start and stop POSTs (0: --request-timeout-seconds); given, it turns --server-profiler on"`
	ServerProfilerStartPath              string   `flag:"server-profiler-start-path" envconfig:"AIPERF_SERVER_PROFILER_START_PATH" default:"" desc:"path of the profiler start POST, starting with / (unset: /start_profile, vLLM's and SGLang's); given, it turns --server-profiler on"`
	ServerProfilerStopPath               string   `flag:"server-profiler-stop-path" envconfig:"AIPERF_SERVER_PROFILER_STOP_PATH" default:"" desc:"path of the profiler stop POST, starting with / (unset: /stop_profile); given, it turns --server-profiler on"`
	ApplyChatTemplate                    bool     `flag:"apply-chat-template" envconfig:"AIPERF_APPLY_CHAT_TEMPLATE" desc:"count a chat or responses request's input tokens as its whole message array rendered through the tokenizer's chat template (tokenizer_config.json's chat_template or chat_template.jinja, fetched with tokenizer.json) with the generation prompt, and draw synthetic prompts shorter by the template's overhead, as AIPerf; without a template (or a Hugging Face tokenizer), or with one that fails or passes its render bounds (steps, call depth, size), a warning says the bare text is counted"`
	AllowDatasetWrap                     bool     `flag:"allow-dataset-wrap" envconfig:"AIPERF_ALLOW_DATASET_WRAP" desc:"with --scenario: let more --concurrency lanes than traces share traces (a --cache-bust target allows it too); else refused when the run is bounded"`
	NoAllowDatasetWrap                   bool     `flag:"no-allow-dataset-wrap" envconfig:"AIPERF_NO_ALLOW_DATASET_WRAP" desc:"AIPerf's default: with --scenario, more lanes than traces are refused unless a --cache-bust target keeps them apart"`
	AIPerfConfig                         string   `flag:"config" alias:"f" envconfig:"AIPERF_CONFIG" default:"" desc:"AIPerf's YAML config file (schema_version 2.0, ${VAR} and ${VAR:default} substituted): every key with a flag here sets that flag, sweep.parameters run as comma lists, under AIPERF_* variables and flags; any other key is refused, naming it"`
	PrefillConcurrency                   int      `flag:"prefill-concurrency" envconfig:"AIPERF_PREFILL_CONCURRENCY" default:"0" desc:"most requests sent and still waiting for their first token (needs --streaming; at most --concurrency): a request waits for a slot, which its first token frees"`
	PrefillConcurrencyRampDuration       float64  `flag:"prefill-concurrency-ramp-duration" envconfig:"AIPERF_PREFILL_CONCURRENCY_RAMP_DURATION" default:"0" desc:"seconds to ramp --prefill-concurrency linearly from 1 at each phase's start; 0 = no ramp"`
	RequestRateSeries                    string   `flag:"request-rate-series" envconfig:"AIPERF_REQUEST_RATE_SERIES" default:"" desc:"JSON file of points {time_s, qps} (an array, or an object whose one key points holds it): the profiling rate moves linearly between them and stays at the last; not with --request-rate"`
	TrajectoryStartMinRatio              float64  `flag:"trajectory-start-min-ratio" envconfig:"AIPERF_TRAJECTORY_START_MIN_RATIO" default:"0.25" desc:"with --scenario: lower bound of each lane's start instant t*, as a fraction of its trace's recorded span (0-1; the scenario fills in 0 when unset)"`
	TrajectoryStartMaxRatio              float64  `flag:"trajectory-start-max-ratio" envconfig:"AIPERF_TRAJECTORY_START_MAX_RATIO" default:"0.75" desc:"with --scenario: upper bound of each lane's start instant t* (0-1, at least the lower bound; the scenario fills in 1 when unset)"`
	BurstPhaseStarts                     bool     `flag:"burst-phase-starts" envconfig:"AIPERF_BURST_PHASE_STARTS" desc:"with --scenario: send the warmup's priming requests, then each lane's first profiling request, all at once instead of spread by their recorded offsets from t*"`
	SystemIdleGapCap                     float64  `flag:"system-idle-gap-cap-seconds" envconfig:"AIPERF_SYSTEM_IDLE_GAP_CAP_SECONDS" default:"0" desc:"with --scenario: while no request is in flight, move every pending send earlier together so the replay idles at most this many seconds (the scenario locks 10)"`
	AIPerfScenario                       string   `flag:"scenario" envconfig:"AIPERF_SCENARIO" default:"" desc:"AIPerf's locked scenario inferencex-agentx-mvp: agentic replay of Weka traces at --concurrency (each lane from a seeded instant t* in its trace, primed by a warmup) with the scenario's settings filled in when unset and conflicts refused"`
	UnsafeOverride                       bool     `flag:"unsafe-override" envconfig:"AIPERF_UNSAFE_OVERRIDE" desc:"with --scenario: run despite settings that conflict with the scenario's lock, each a warning on stderr; no effect without --scenario"`
	AgenticCacheWarmupDuration           float64  `flag:"agentic-cache-warmup-duration" envconfig:"AIPERF_AGENTIC_CACHE_WARMUP_DURATION" default:"0" desc:"with --scenario: after the priming requests, continue the lanes this many seconds without recorded delays and with one-token answers, then profile from where they got to"`
	AgenticWarmupGracePeriod             float64  `flag:"agentic-warmup-grace-period" envconfig:"AIPERF_AGENTIC_WARMUP_GRACE_PERIOD" default:"0" desc:"with --scenario: cancel priming requests still running this many seconds after the warmup's last send; unset: wait for all (the cache warmup's default is 300)"`
	NumWarmupSessions                    int      `flag:"num-warmup-sessions" envconfig:"AIPERF_NUM_WARMUP_SESSIONS" default:"0" desc:"conversations in the warmup, each sending all its turns; with --warmup-request-count or --warmup-duration the warmup ends at whichever comes first"`
	WarmupConcurrency                    int      `flag:"warmup-concurrency" envconfig:"AIPERF_WARMUP_CONCURRENCY" default:"0" desc:"concurrent requests in the warmup (a warmup setting of its own, as AIPerf); unset: --concurrency"`
	WarmupPrefillConcurrency             int      `flag:"warmup-prefill-concurrency" envconfig:"AIPERF_WARMUP_PREFILL_CONCURRENCY" default:"0" desc:"the warmup's own --prefill-concurrency; unset: --prefill-concurrency"`
	WarmupRequestRate                    float64  `flag:"warmup-request-rate" envconfig:"AIPERF_WARMUP_REQUEST_RATE" default:"0" desc:"requests per second in the warmup: an open loop, even when the run is a closed one; unset: --request-rate"`
	WarmupArrivalPattern                 string   `flag:"warmup-arrival-pattern" envconfig:"AIPERF_WARMUP_ARRIVAL_PATTERN" default:"" desc:"arrivals of the warmup's rate: constant, poisson or gamma (--arrival-smoothness); unset: --arrival-pattern"`
	WarmupGracePeriod                    float64  `flag:"warmup-grace-period" envconfig:"AIPERF_WARMUP_GRACE_PERIOD" default:"0" desc:"seconds the warmup's requests in flight may run after its last send; then they are cancelled and profiling starts; unset or inf: wait for all (as AIPerf)"`
	WarmupConcurrencyRampDuration        float64  `flag:"warmup-concurrency-ramp-duration" envconfig:"AIPERF_WARMUP_CONCURRENCY_RAMP_DURATION" default:"0" desc:"seconds to ramp the warmup's concurrency from 1; unset: --concurrency-ramp-duration"`
	WarmupPrefillConcurrencyRampDuration float64  `flag:"warmup-prefill-concurrency-ramp-duration" envconfig:"AIPERF_WARMUP_PREFILL_CONCURRENCY_RAMP_DURATION" default:"0" desc:"seconds to ramp the warmup's prefill concurrency from 1; unset: --prefill-concurrency-ramp-duration"`
	WarmupRequestRateRampDuration        float64  `flag:"warmup-request-rate-ramp-duration" envconfig:"AIPERF_WARMUP_REQUEST_RATE_RAMP_DURATION" default:"0" desc:"seconds to ramp the warmup's request rate; unset: --request-rate-ramp-duration"`
	UserCentricRate                      float64  `flag:"user-centric-rate" envconfig:"AIPERF_USER_CENTRIC_RATE" default:"0" desc:"requests per second shared by --num-users users, each user's turns num-users/rate apart (AIPerf's user-centric timing; new users join on a fixed schedule)"`
	NumUsers                             int      `flag:"num-users" envconfig:"AIPERF_NUM_USERS" default:"0" desc:"users of --user-centric-rate, at least 1; --concurrency then caps the users sending at once"`
	NoAutoPlot                           bool     `flag:"no-auto-plot" envconfig:"AIPERF_NO_AUTO_PLOT" desc:"no plots: the default; accepted, no effect (--auto-plot is --plot)"`
	PlotRequired                         bool     `flag:"plot-required" envconfig:"AIPERF_PLOT_REQUIRED" desc:"with --plot: a plot that cannot be written fails the run (exit 1); without, a warning"`
	ExportOutputsJSON                    bool     `flag:"export-outputs-json" envconfig:"AIPERF_EXPORT_OUTPUTS_JSON" desc:"write each request's generated text (reasoning, then answer) with a few of its metrics to outputs.json (<prefix>_outputs.json under --profile-export-prefix), warmup requests apart, as AIPerf; only then is the text kept, until written"`
	OTelURL                              string   `flag:"otel-url" envconfig:"AIPERF_OTEL_URL" default:"" desc:"stream the run's metrics to this OpenTelemetry collector (OTLP/HTTP JSON; host[:port] or URL, /v1/metrics added): per-request histograms and request counters every 2 s and at the end; a failed push is one warning"`
	Stream                               []string `flag:"stream" envconfig:"AIPERF_STREAM" desc:"what --otel-url streams: default (both), metrics (per-request histograms), timing (request counters) or none; repeatable"`
	OTelResourceAttributes               []string `flag:"otel-resource-attributes" envconfig:"AIPERF_OTEL_RESOURCE_ATTRIBUTES" desc:"key=value pairs added to the --otel-url resource (comma separated or repeated)"`
	GenAIProvider                        string   `flag:"gen-ai-provider" envconfig:"AIPERF_GEN_AI_PROVIDER" default:"" desc:"gen_ai.provider.name on the --otel-url metrics; unset: inferred from the server URL's host, else _OTHER"`
	MLflowTrackingURI                    string   `flag:"mlflow-tracking-uri" envconfig:"AIPERF_MLFLOW_TRACKING_URI" default:"" desc:"after the run, upload it to this MLflow tracking server (http(s) URL; MLFLOW_TRACKING_TOKEN or _USERNAME/_PASSWORD authenticate): summary statistics as metrics, settings as params, the export files as artifacts; a failure is one warning"`
	MLflowExperiment                     string   `flag:"mlflow-experiment" envconfig:"AIPERF_MLFLOW_EXPERIMENT" default:"" desc:"MLflow experiment of the uploaded run, created when missing; unset: aiperf"`
	MLflowRunName                        string   `flag:"mlflow-run-name" envconfig:"AIPERF_MLFLOW_RUN_NAME" default:"" desc:"name of the uploaded MLflow run; unset: aiperf-<unix time>"`
	MLflowTag                            []string `flag:"mlflow-tag" envconfig:"AIPERF_MLFLOW_TAG" desc:"key:value tags of the uploaded MLflow run (comma separated, repeated, or a JSON object)"`
	MLflowParentRunID                    string   `flag:"mlflow-parent-run-id" envconfig:"AIPERF_MLFLOW_PARENT_RUN_ID" default:"" desc:"make the uploaded MLflow run a child of this run; a parent that does not exist is a warning and a root run"`
	MLflowArtifactGlob                   []string `flag:"mlflow-artifact-glob" envconfig:"AIPERF_MLFLOW_ARTIFACT_GLOB" desc:"files of the artifact directory uploaded to MLflow (globs, ** for any directories; repeatable); unset: AIPerf's, the *.json, *.csv, *.jsonl, *.parquet and *_timeslices.* files and every .png, .jpg, .jpeg, .svg and .html"`
	WandbProject                         string   `flag:"wandb-project" envconfig:"AIPERF_WANDB_PROJECT" default:"" desc:"after the run, upload it to this Weights & Biases project (WANDB_API_KEY authenticates; WANDB_BASE_URL, default https://api.wandb.ai, picks the server): settings as config, the console's statistics as the summary_metrics table, the export files as its aiperf-run artifact; a failure is one warning"`
	WandbEntity                          string   `flag:"wandb-entity" envconfig:"AIPERF_WANDB_ENTITY" default:"" desc:"W&B entity (user or team) of the uploaded run; unset: WANDB_ENTITY, else the API key's default entity"`
	WandbRunName                         string   `flag:"wandb-run-name" envconfig:"AIPERF_WANDB_RUN_NAME" default:"" desc:"display name of the uploaded W&B run; unset: aiperf-<unix time>"`
	WandbTag                             []string `flag:"wandb-tag" envconfig:"AIPERF_WANDB_TAG" desc:"tags of the uploaded W&B run, after aiperf-exporter-<version> (comma separated or repeated; at most 64 characters each)"`
	ExportHTTPTrace                      bool     `flag:"export-http-trace" envconfig:"AIPERF_EXPORT_HTTP_TRACE" desc:"add AIPerf's trace_data (the HTTP phases' wall-clock ns timestamps and durations, as README says) to each profile_export.jsonl line (--export-level records or raw)"`
	ShowTraceTiming                      bool     `flag:"show-trace-timing" envconfig:"AIPERF_SHOW_TRACE_TIMING" desc:"print AIPerf's HTTP trace timing table after the console report: DNS, connecting, TLS, sending, waiting for the headers and first-token wait, in milliseconds, and the connection reuse ratio"`
	NetworkLatencyAutomatic              bool     `flag:"network-latency-automatic" envconfig:"AIPERF_NETWORK_LATENCY_AUTOMATIC" desc:"time a TCP handshake to each --url's host:port at the profiling phase's start and every --network-latency-ping-interval through it (each probe in profile_export_network_latency.jsonl); the mean RTT is taken off request latency, TTFT and TTFO as the network_adjusted_* metrics, the raw ones kept, as AIPerf"`
	NetworkLatencyMean                   float64  `flag:"network-latency-mean" envconfig:"AIPERF_NETWORK_LATENCY_MEAN" default:"0" desc:"a fixed network RTT (ms) taken off as --network-latency-automatic's measured one is, without probing; the two exclude each other"`
	NetworkLatencyPingInterval           float64  `flag:"network-latency-ping-interval" envconfig:"AIPERF_NETWORK_LATENCY_PING_INTERVAL" default:"0" desc:"seconds between --network-latency-automatic's probe rounds (0: AIPerf's 1 s); only with --network-latency-automatic"`
	AccuracyBenchmark                    string   `flag:"accuracy-benchmark" envconfig:"AIPERF_ACCURACY_BENCHMARK" default:"" desc:"accuracy benchmark run alongside the performance profile: mmlu, gsm8k, aime, aime24, aime25, math_500, hellaswag or gpqa_diamond (questions from the Hugging Face Hub, answers graded; accuracy_results.csv, accuracy_export.jsonl and a console table)"`
	AccuracyTasks                        []string `flag:"accuracy-tasks" envconfig:"AIPERF_ACCURACY_TASKS" desc:"accuracy benchmark tasks to run (MMLU subjects, HellaSwag activity labels; the others have none), comma-separated or repeated; all when unset"`
	AccuracyNShots                       int      `flag:"accuracy-n-shots" envconfig:"AIPERF_ACCURACY_N_SHOTS" default:"0" desc:"few-shot examples in each accuracy prompt, 0-32; the benchmark's default (MMLU: 5, AIME: 8, HellaSwag: 10, at most 15) when unset"`
	AccuracyEnableCoT                    bool     `flag:"accuracy-enable-cot" envconfig:"AIPERF_ACCURACY_ENABLE_COT" desc:"chain-of-thought accuracy prompts (MMLU: asks for \"The answer is (X)\", 4000 max tokens; AIME: on by default); the benchmark's default when unset"`
	AccuracyNoEnableCoT                  bool     `flag:"accuracy-no-enable-cot" envconfig:"AIPERF_ACCURACY_NO_ENABLE_COT" desc:"no chain-of-thought accuracy prompts (MMLU: one letter, 5 max tokens)"`
	AccuracyGrader                       string   `flag:"accuracy-grader" envconfig:"AIPERF_ACCURACY_GRADER" default:"" desc:"accuracy grader instead of the benchmark's: multiple_choice, exact_match, mmlu_pro, lighteval_gsm8k, math or lighteval_gpqa"`
	AccuracySystemPrompt                 string   `flag:"accuracy-system-prompt" envconfig:"AIPERF_ACCURACY_SYSTEM_PROMPT" default:"" desc:"system message sent first with every accuracy prompt"`
	AccuracyVerbose                      bool     `flag:"accuracy-verbose" envconfig:"AIPERF_ACCURACY_VERBOSE" desc:"AIPerf's accuracy grading details; a no-op without --accuracy-benchmark: accepted, no effect"`
	APIPort                              int      `flag:"api-port" envconfig:"AIPERF_API_PORT" default:"0" desc:"serve the run's live progress on this port for the run's length, as AIPerf's API server: GET /api/progress (JSON), /metrics (Prometheus) and /health"`
	APIHost                              string   `flag:"api-host" envconfig:"AIPERF_API_HOST" default:"" desc:"the address --api-port listens on (unset: 127.0.0.1, AIPerf's)"`
	StatsInterval                        float64  `flag:"stats-interval" envconfig:"AIPERF_STATS_INTERVAL" default:"0" desc:"AIPerf's realtime stats interval; accepted, no effect (one progress line on a terminal)"`
	ZMQHost                              string   `flag:"zmq-host" envconfig:"AIPERF_ZMQ_HOST" desc:"AIPerf's internal messaging host; accepted, no effect (one process)"`
	ZMQIPCPath                           string   `flag:"zmq-ipc-path" envconfig:"AIPERF_ZMQ_IPC_PATH" desc:"AIPerf's internal messaging sockets; accepted, no effect (one process)"`
	ZMQDualBind                          bool     `flag:"zmq-dual-bind" envconfig:"AIPERF_ZMQ_DUAL_BIND" desc:"AIPerf's internal messaging backend; accepted, no effect (one process)"`

	// Server metrics and GPU telemetry: Prometheus endpoints scraped during the run.
	ServerMetrics         []string `flag:"server-metrics" envconfig:"AIPERF_SERVER_METRICS" desc:"more Prometheus endpoints to scrape during the run, besides each --url's /metrics; repeatable"`
	NoServerMetrics       bool     `flag:"no-server-metrics" envconfig:"AIPERF_NO_SERVER_METRICS" desc:"do not scrape the servers' Prometheus metrics"`
	ServerMetricsFormats  []string `flag:"server-metrics-formats" envconfig:"AIPERF_SERVER_METRICS_FORMATS" default:"json,csv" desc:"server-metrics exports to write: json, csv"`
	GPUTelemetry          []string `flag:"gpu-telemetry" envconfig:"AIPERF_GPU_TELEMETRY" desc:"dcgm-exporter URL(s) to scrape for GPU telemetry; repeatable"`
	NoGPUTelemetry        bool     `flag:"no-gpu-telemetry" envconfig:"AIPERF_NO_GPU_TELEMETRY" desc:"do not scrape GPU telemetry (nor --mock's fake GPU)"`
	ServerMetricsInterval float64  `flag:"server-metrics-interval" envconfig:"AIPERF_SERVER_METRICS_INTERVAL" default:"1" desc:"seconds between scrapes during the run (ours; AIPerf scrapes every 0.333 s); with --slice-duration scrapes also fall on every slice edge"`

	// Repeated runs (AIPerf's multi-run): each run keeps its own artifact
	// directory; the aggregate holds mean, std and confidence interval.
	NumProfileRuns     int     `flag:"num-profile-runs" envconfig:"AIPERF_NUM_PROFILE_RUNS" default:"1" desc:"runs of the same settings (of each swept value); more than 1 writes aggregate/ with mean, std and confidence interval of every metric"`
	ConfidenceLevel    float64 `flag:"confidence-level" envconfig:"AIPERF_CONFIDENCE_LEVEL" default:"0.95" desc:"confidence level of the intervals across --num-profile-runs (Student t), between 0 and 1"`
	ProfileRunCooldown float64 `flag:"profile-run-cooldown-seconds" envconfig:"AIPERF_PROFILE_RUN_COOLDOWN_SECONDS" default:"0" desc:"seconds to wait between repeated runs (--num-profile-runs)"`

	// The rest of AIPerf's Multi-Run group: seeds, warmup, cooldown and order
	// of repeated and swept runs, convergence; adaptive search and recipes are
	// refused when set (profile's notYetSupported).
	DisableWarmupAfterFirst   bool     `flag:"profile-run-disable-warmup-after-first" envconfig:"AIPERF_PROFILE_RUN_DISABLE_WARMUP_AFTER_FIRST" default:"true" desc:"with --num-profile-runs above 1, only each setting's first run warms up (AIPerf's default)"`
	NoDisableWarmupAfterFirst bool     `flag:"no-profile-run-disable-warmup-after-first" envconfig:"AIPERF_NO_PROFILE_RUN_DISABLE_WARMUP_AFTER_FIRST" desc:"every repeated run warms up"`
	SetConsistentSeed         bool     `flag:"set-consistent-seed" envconfig:"AIPERF_SET_CONSISTENT_SEED" default:"true" desc:"with --num-profile-runs above 1 and no --random-seed, use seed 42 so every run sends the same workload"`
	NoSetConsistentSeed       bool     `flag:"no-set-consistent-seed" envconfig:"AIPERF_NO_SET_CONSISTENT_SEED" desc:"keep a fresh seed per run when --random-seed is not given"`
	VarySeedPerTrial          bool     `flag:"vary-seed-per-trial" envconfig:"AIPERF_VARY_SEED_PER_TRIAL" desc:"derive a distinct seed for each repeated run of a setting from --random-seed, the setting and the trial (SHA-256)"`
	NoVarySeedPerTrial        bool     `flag:"no-vary-seed-per-trial" envconfig:"AIPERF_NO_VARY_SEED_PER_TRIAL" desc:"every repeated run of a setting uses its seed (the default)"`
	ConvergenceMetric         string   `flag:"convergence-metric" envconfig:"AIPERF_CONVERGENCE_METRIC" desc:"stop --num-profile-runs early once this metric (e.g. time_to_first_token) is stable; --num-profile-runs is the cap"`
	ConvergenceStat           string   `flag:"convergence-stat" envconfig:"AIPERF_CONVERGENCE_STAT" default:"avg" desc:"statistic of --convergence-metric: avg, p50, p90, p95, p99, min, max"`
	ConvergenceThreshold      float64  `flag:"convergence-threshold" envconfig:"AIPERF_CONVERGENCE_THRESHOLD" default:"0" desc:"convergence threshold between 0 and 1; 0 = the mode's own (ci_width 0.10, cv 0.05)"`
	ConvergenceMode           string   `flag:"convergence-mode" envconfig:"AIPERF_CONVERGENCE_MODE" default:"ci_width" desc:"ci_width (Student t interval width / mean) or cv (std / mean); distribution (KS test) is refused"`
	SweepCooldown             float64  `flag:"parameter-sweep-cooldown-seconds" envconfig:"AIPERF_PARAMETER_SWEEP_COOLDOWN_SECONDS" default:"0" desc:"seconds to wait between the settings of a sweep"`
	SweepSameSeed             bool     `flag:"parameter-sweep-same-seed" envconfig:"AIPERF_PARAMETER_SWEEP_SAME_SEED" desc:"every setting of a sweep uses --random-seed (needs it); else setting i uses seed + i"`
	NoSweepSameSeed           bool     `flag:"no-parameter-sweep-same-seed" envconfig:"AIPERF_NO_PARAMETER_SWEEP_SAME_SEED" desc:"setting i of a sweep uses seed + i (the default)"`
	SweepMode                 string   `flag:"parameter-sweep-mode" envconfig:"AIPERF_PARAMETER_SWEEP_MODE" default:"repeated" desc:"repeated: each trial runs the whole sweep; independent: all trials of a setting, then the next"`
	SweepType                 string   `flag:"sweep-type" envconfig:"AIPERF_SWEEP_TYPE" default:"grid" desc:"how comma lists on several of --concurrency, --request-rate, --request-count, --benchmark-duration, --isl, --osl, --isl-stddev, --osl-stddev, --conversation-num combine: grid (every combination) or zip (element by element, equal lengths)"`
	NoSweepTable              bool     `flag:"no-sweep-table" envconfig:"AIPERF_NO_SWEEP_TABLE" desc:"do not print the sweep table at the end (the summary files are still written)"`
	SearchSpace               []string `flag:"search-space" envconfig:"AIPERF_SEARCH_SPACE" split:"no" desc:"an adaptive search's dimension, path:lo,hi[:kind] (concurrency:1,1000:int; kind int or real, real by default); repeatable: a Bayesian search over them in place of a sweep"`
	SearchMetric              string   `flag:"search-metric" envconfig:"AIPERF_SEARCH_METRIC" desc:"adaptive search: the metric tag to optimise (output_token_throughput)"`
	SearchStat                string   `flag:"search-stat" envconfig:"AIPERF_SEARCH_STAT" desc:"adaptive search: the metric's statistic, avg (default), p50, p90, p95 or p99"`
	SearchDirection           string   `flag:"search-direction" envconfig:"AIPERF_SEARCH_DIRECTION" desc:"adaptive search: maximize or minimize"`
	SearchMaxIterations       string   `flag:"search-max-iterations" envconfig:"AIPERF_SEARCH_MAX_ITERATIONS" desc:"adaptive search: most iterations, 2 to 200, each --num-profile-runs runs (the Bayesian recipes: 30)"`
	SearchInitialPoints       string   `flag:"search-initial-points" envconfig:"AIPERF_SEARCH_INITIAL_POINTS" desc:"adaptive search: quasi-random points before the model is fitted (default 5), fewer than --search-max-iterations"`
	SearchRandomSeed          string   `flag:"search-random-seed" envconfig:"AIPERF_SEARCH_RANDOM_SEED" desc:"adaptive search: the seed of its choices (unset: a fresh one each time)"`
	SearchPlanner             string   `flag:"search-planner" envconfig:"AIPERF_SEARCH_PLANNER" desc:"adaptive search: bayesian (default) or optuna (a Gaussian process with expected improvement), monotonic_sla (doubling, then bisection against --search-sla), smooth_isotonic (doubling, then PAVA + PCHIP fits of the --search-sla margins)"`
	OptunaSampler             string   `flag:"optuna-sampler" envconfig:"AIPERF_OPTUNA_SAMPLER" desc:"--search-planner optuna: gp or botorch (both our Gaussian process); tpe refused"`
	OptunaAcquisition         string   `flag:"optuna-acquisition" envconfig:"AIPERF_OPTUNA_ACQUISITION" desc:"--search-planner optuna: logei or qlogei (expected improvement, as ours); the noisy and multi-objective ones refused"`
	OptunaTerminator          string   `flag:"optuna-terminator" envconfig:"AIPERF_OPTUNA_TERMINATOR" desc:"--search-planner optuna: none; regret and emmr refused"`
	SearchPercentilePooling   string   `flag:"search-percentile-pooling" envconfig:"AIPERF_SEARCH_PERCENTILE_POOLING" desc:"adaptive search with a percentile --search-stat: mean (default: of the trials' percentiles) or pooled (the percentile of every trial's requests together)"`
	BOConstraintMode          string   `flag:"bo-constraint-mode" envconfig:"AIPERF_BO_CONSTRAINT_MODE" desc:"deprecated in AIPerf and ignored there; accepted, no effect"`
	Variant                   []string `flag:"variant" alias:"sweep-variant" envconfig:"AIPERF_VARIANT" split:"no" desc:"one named run of a sweep, [name:] flag=value, flag=value (fast: concurrency=8, isl=128; unnamed: v0, v1, ...); give it twice or more"`
	SearchSLA                 []string `flag:"search-sla" envconfig:"AIPERF_SEARCH_SLA" desc:"an SLA every setting of a sweep is judged on, metric_tag:stat:op:threshold (time_to_first_token:p95:lt:200; op lt, le, gt or ge; request_error_rate in percent); repeatable"`
	SearchSLATier             []string `flag:"search-sla-tier" envconfig:"AIPERF_SEARCH_SLA_TIER" split:"no" desc:"a tier of a multi-tier SLA search, [label:]filter,filter... (gold:time_to_first_token:p95:lt:200; filters as --search-sla's); 2 to 10 tiers, on an adaptive search (--search-space of one whole-number dimension, max-concurrency-under-sla, max-goodput-under-slo), whose own search it replaces"`
	SearchRecipe              string   `flag:"search-recipe" envconfig:"AIPERF_SEARCH_RECIPE" desc:"AIPerf's search recipe: concurrency-ramp, prefill-ttft-curve, decode-itl-curve, pareto-sweep, max-concurrency-under-sla (--search-style smooth_isotonic, the default, grid, monotonic, bo or optuna) or max-goodput-under-slo; others refused"`
	TTFTSLA                   string   `flag:"ttft-sla-ms" envconfig:"AIPERF_TTFT_SLA_MS" desc:"max-concurrency-under-sla: TTFT p95 must stay below this many milliseconds"`
	ISLOSLPairs               string   `flag:"isl-osl-pairs" envconfig:"AIPERF_ISL_OSL_PAIRS" desc:"pareto-sweep: isl/osl shapes, e.g. 128/128,512/256, each run at every --concurrency value"`
	ITLSLA                    string   `flag:"itl-sla-ms" envconfig:"AIPERF_ITL_SLA_MS" desc:"max-concurrency-under-sla: inter-token latency p95 must stay below this many milliseconds (the TPOT SLA wins when both are given)"`
	TPOTSLA                   string   `flag:"tpot-sla-ms" envconfig:"AIPERF_TPOT_SLA_MS" desc:"max-concurrency-under-sla: inter-token latency p95 must stay below this many milliseconds"`
	E2ESLA                    string   `flag:"e2e-sla-ms" envconfig:"AIPERF_E2E_SLA_MS" desc:"max-concurrency-under-sla: request latency p99 must stay below this many milliseconds"`
	ErrorRateSLA              string   `flag:"error-rate-sla" envconfig:"AIPERF_ERROR_RATE_SLA" desc:"max-concurrency-under-sla: the share 0..1 of requests that may fail (request_error_rate avg must stay below it)"`
	SLOAttainmentFraction     string   `flag:"slo-attainment-fraction" envconfig:"AIPERF_SLO_ATTAINMENT_FRACTION" desc:"max-goodput-under-slo: the least share (0..1] of requests meeting every SLO (default 0.95)"`
	SearchStyle               string   `flag:"search-style" envconfig:"AIPERF_SEARCH_STYLE" desc:"max-concurrency-under-sla's search: smooth_isotonic (AIPerf's default: doubling, then PAVA + PCHIP fits of the SLA margins), grid (8 log-spaced concurrencies), monotonic (doubling, then bisection), bo or optuna (a Bayesian search for the most output token throughput meeting the SLAs)"`
	DegradationThreshold      string   `flag:"degradation-threshold" envconfig:"AIPERF_DEGRADATION_THRESHOLD" desc:"concurrency-ramp: report the first concurrency whose latency exceeds the lowest's by more than this share (0.20 = 20%)"`
	DegradationMetricTag      string   `flag:"degradation-metric-tag" envconfig:"AIPERF_DEGRADATION_METRIC_TAG" desc:"concurrency-ramp: the metric of --degradation-threshold (default request_latency)"`
	DegradationStat           string   `flag:"degradation-stat" envconfig:"AIPERF_DEGRADATION_STAT" desc:"concurrency-ramp: the statistic of --degradation-threshold (default p99)"`
	ISLMin                    string   `flag:"isl-min" envconfig:"AIPERF_ISL_MIN" desc:"prefill-ttft-curve: least ISL of its log-spaced grid (default 256)"`
	ISLMax                    string   `flag:"isl-max" envconfig:"AIPERF_ISL_MAX" desc:"prefill-ttft-curve: largest ISL (default 32768)"`
	ISLSteps                  string   `flag:"isl-steps" envconfig:"AIPERF_ISL_STEPS" desc:"prefill-ttft-curve: ISL steps, at least 2 (default 8)"`
	ConcurrencyMin            string   `flag:"concurrency-min" envconfig:"AIPERF_CONCURRENCY_MIN" desc:"concurrency-ramp, decode-itl-curve, max-concurrency-under-sla: least concurrency (default 1)"`
	ConcurrencyMax            string   `flag:"concurrency-max" envconfig:"AIPERF_CONCURRENCY_MAX" desc:"concurrency-ramp and max-concurrency-under-sla: largest concurrency (default 1000; decode-itl-curve 200)"`
	ConcurrencySteps          string   `flag:"concurrency-steps" envconfig:"AIPERF_CONCURRENCY_STEPS" desc:"concurrency-ramp: concurrency steps, at least 2 (default 8; decode-itl-curve 6)"`
	OSLMin                    string   `flag:"osl-min" envconfig:"AIPERF_OSL_MIN" desc:"decode-itl-curve: least OSL of its log-spaced grid (default 64)"`
	OSLMax                    string   `flag:"osl-max" envconfig:"AIPERF_OSL_MAX" desc:"decode-itl-curve: largest OSL (default 1024)"`
	OSLSteps                  string   `flag:"osl-steps" envconfig:"AIPERF_OSL_STEPS" desc:"decode-itl-curve: OSL steps, at least 2 (default 4)"`

	// Sharded runs (ours): every shard holds its profiling phase until one time.
	StartAt          string  `flag:"start-at" envconfig:"AIPERF_START_AT" desc:"hold the profiling phase (after readiness and warmup) until this time, RFC 3339 or a Unix time, so sharded runs start together (ours)"`
	SweepStepSeconds float64 `flag:"sweep-step-seconds" envconfig:"AIPERF_SWEEP_STEP_SECONDS" default:"0" desc:"with --start-at, run k of a sweep or repeated runs (k from 0, in plan order) holds its profiling phase until --start-at + k x this many seconds, so every shard runs each step together (ours)"`
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
