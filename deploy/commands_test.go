package deploy

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// The deploy files are checked against the real binary: the commands they
// document run, and the AIPERF_* variables they set exist.

var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		_ = os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// exporterBinary builds ./cmd/aiperf-exporter once per test run, outside the repository.
func exporterBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		if binDir, binErr = os.MkdirTemp("", "aiperf-deploy-test-"); binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "aiperf-exporter")
		out, err := exec.Command("go", "build", "-o", binPath, "../cmd/aiperf-exporter").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// knownVariables are the AIPERF_* variables `serve --help` documents.
func knownVariables(t *testing.T) map[string]bool {
	t.Helper()
	out, err := exec.Command(exporterBinary(t), "serve", "--help").Output()
	if err != nil {
		t.Fatalf("serve --help: %v", err)
	}
	known := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^(AIPERF_[A-Z0-9_]+)\s`).FindAllStringSubmatch(string(out), -1) {
		known[m[1]] = true
	}
	if !known["AIPERF_CONCURRENCY"] || !known["AIPERF_MOCK_ITL"] {
		t.Fatalf("serve --help lists no environment table:\n%s", out)
	}
	return known
}

// startExporter runs the binary with args and exactly env (plus PATH) until
// the test ends, then stops it with SIGTERM and expects exit 0.
func startExporter(t *testing.T, env map[string]string, args ...string) *testkit.SyncBuffer {
	t.Helper()
	cmd := exec.Command(exporterBinary(t), args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Dir = t.TempDir()
	return startCmd(t, cmd)
}

// startCmd starts cmd with its output in the returned buffer; when the test
// ends it stops cmd with SIGTERM and expects exit 0.
func startCmd(t *testing.T, cmd *exec.Cmd) *testkit.SyncBuffer {
	t.Helper()
	args := cmd.Args[1:]
	logs := &testkit.SyncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("%v: %v; logs:\n%.3000s", args, err, logs.String())
			}
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-done
			t.Errorf("%v did not stop within 30 s of SIGTERM", args)
		}
	})
	return logs
}

// seriesTotal adds up the samples of one metric name (all label sets).
func seriesTotal(exposition, name string) float64 {
	var sum float64
	sc := bufio.NewScanner(strings.NewReader(exposition))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		l := sc.Text()
		if strings.HasPrefix(l, name+"{") || strings.HasPrefix(l, name+" ") {
			if v, err := strconv.ParseFloat(l[strings.LastIndexByte(l, ' ')+1:], 64); err == nil {
				sum += v
			}
		}
	}
	return sum
}

func httpBody(url string) (int, string) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// The compose exporter (its command and environment, on a loopback port)
// fills what the dashboard's latency and audio panels show: TTFT, ITL,
// audio seconds and output tokens.
func TestComposeExporterFillsDashboard(t *testing.T) {
	ex := loadCompose(t).Services["aiperf-exporter"]
	known := knownVariables(t)
	env := map[string]string{}
	for k, v := range ex.Environment {
		if !known[k] {
			t.Errorf("compose sets %s, which serve does not know", k)
		}
		env[k] = v
	}
	addr := testkit.FreeAddr(t)
	env["AIPERF_WEB_LISTEN_ADDRESS"] = addr
	logs := startExporter(t, env, ex.Command...)
	series := []string{
		"aiperf_time_to_first_token_seconds_count", "aiperf_inter_token_latency_seconds_count",
		"aiperf_request_audio_seconds_count", "aiperf_request_output_tokens_count",
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		code, body := httpBody("http://" + addr + "/metrics")
		var empty []string
		for _, s := range series {
			if seriesTotal(body, s) < 2 {
				empty = append(empty, s)
			}
		}
		if code == http.StatusOK && len(empty) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 60 s these stay empty: %v (status %d); logs:\n%.3000s", empty, code, logs.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// The base Deployment's settings start `serve` (against an unreachable
// target, it still answers its health probe), and name only known variables.
// With basic auth turned on by a web config file, the kubelet's probes still
// answer on the health port while /metrics asks for credentials.
func TestDeploymentSettingsStartServe(t *testing.T) {
	dep := decodeFile[*appsv1.Deployment](t, filepath.Join(k8sDir, "base", "deployment.yaml"))
	c := dep.Spec.Template.Spec.Containers[0]
	known := knownVariables(t)
	env := map[string]string{}
	for _, e := range c.Env {
		if !known[e.Name] {
			t.Errorf("deployment sets %s, which serve does not know", e.Name)
		}
		if e.ValueFrom == nil {
			env[e.Name] = e.Value
		}
	}
	addr, health := testkit.FreeAddr(t), testkit.FreeAddr(t)
	env["AIPERF_WEB_LISTEN_ADDRESS"] = addr
	env["AIPERF_WEB_HEALTH_ADDRESS"] = health           // the health port, on loopback
	env["AIPERF_URL"] = "http://" + testkit.FreeAddr(t) // nothing listens there
	webCfg := filepath.Join(t.TempDir(), "web.yml")
	// A bcrypt-shaped hash: no request here sends credentials.
	const users = "basic_auth_users:\n  prom: $2y$10$MrsLzlXIspX6uwbWm/GTZO/pP0XSHUTQ4T3C/7pO1LaV64OUN8.GC\n"
	if err := os.WriteFile(webCfg, []byte(users), 0o600); err != nil {
		t.Fatal(err)
	}
	env["AIPERF_WEB_CONFIG_FILE"] = webCfg
	logs := startExporter(t, env, c.Args...)
	deadline := time.Now().Add(30 * time.Second)
	for {
		code, _ := httpBody("http://" + health + c.LivenessProbe.HTTPGet.Path)
		if code == http.StatusOK {
			if code, _ := httpBody("http://" + addr + "/metrics"); code != http.StatusUnauthorized {
				t.Errorf("/metrics without credentials: %d, want 401 (basic auth on)", code)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not 200 within 30 s (last %d); logs:\n%.3000s", c.LivenessProbe.HTTPGet.Path, code, logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// podPaths maps the Job's mount paths to directories of the test.
type podPaths map[string]string

// rewrite maps one argument that is a path under a mount (the longest
// matching mount wins); other arguments stay as they are.
func (p podPaths) rewrite(arg string) string {
	best := ""
	for mount := range p {
		if (arg == mount || strings.HasPrefix(arg, mount+"/")) && len(mount) > len(best) {
			best = mount
		}
	}
	if best == "" {
		return arg
	}
	return p[best] + strings.TrimPrefix(arg, best)
}

// The profile-shards Job's args run (against the embedded mock, with a small
// request count) with the API key read from the mounted Secret file, and the
// merge command documented in deploy/ merges the shards into one exact report.
func TestProfileShardsCommandsRun(t *testing.T) {
	dir := filepath.Join(k8sDir, "profile-shards")
	job := decodeFile[*batchv1.Job](t, filepath.Join(dir, "job.yaml"))
	pod := job.Spec.Template.Spec
	c := pod.Containers[0]
	if envFrom(c, "AIPERF_API_KEY") != nil || envValue(c, "AIPERF_API_KEY") != "" {
		t.Error("the Job must not put the API key in the environment; mount the Secret and pass --api-key-file")
	}
	keyFile := argAfter(c.Args, "--api-key-file")
	if keyFile == "" {
		t.Fatal("the Job passes no --api-key-file")
	}
	root := t.TempDir()
	paths := podPaths{}
	var secretMount string
	for _, m := range c.VolumeMounts {
		paths[m.MountPath] = filepath.Join(root, m.Name)
		if err := os.MkdirAll(paths[m.MountPath], 0o755); err != nil {
			t.Fatal(err)
		}
		for _, v := range pod.Volumes {
			if v.Name == m.Name && v.Secret != nil && strings.HasPrefix(keyFile, m.MountPath+"/") {
				secretMount = m.MountPath
				checkKeyVolume(t, v.Secret, strings.TrimPrefix(keyFile, m.MountPath+"/"), m.ReadOnly)
			}
		}
	}
	if secretMount == "" {
		t.Fatalf("--api-key-file %s is not in a mounted Secret volume", keyFile)
	}
	if err := os.WriteFile(paths.rewrite(keyFile), []byte("sk-shard-test\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	shards := int(*job.Spec.Completions)
	for i := 0; i < shards; i++ {
		args := make([]string, 0, len(c.Args)+16)
		for _, a := range c.Args {
			a = regexpVarRef.ReplaceAllStringFunc(a, func(ref string) string {
				name := regexpVarRef.FindStringSubmatch(ref)[1]
				if name == "JOB_COMPLETION_INDEX" {
					return strconv.Itoa(i)
				}
				return envValue(c, name)
			})
			args = append(args, paths.rewrite(a))
		}
		// The embedded mock stands in for the server; a small run per shard.
		args = append(args, "--mock", "--mock.ttft", "1", "--mock.itl", "1", "--request-count", "3",
			"--concurrency", "2", "--isl", "8", "--output-tokens-mean", "2")
		cmd := exec.Command(exporterBinary(t), args...)
		cmd.Dir = t.TempDir()
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("shard %d: %v: %v\n%.3000s", i, args, err, out)
		}
	}

	merges := documentedCommands(t, "report",
		filepath.Join("README.md"), filepath.Join(dir, "kustomization.yaml"))
	if len(merges) == 0 {
		t.Fatal("deploy/ documents no `aiperf-exporter report` merge command")
	}
	for _, m := range merges {
		args := strings.Fields(m)
		for i := range args {
			args[i] = paths.rewrite(args[i])
		}
		cmd := exec.Command(exporterBinary(t), args...)
		cmd.Dir = t.TempDir()
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("documented `aiperf-exporter %s`: %v\n%.2000s", m, err, out)
			continue
		}
		outDir := argAfter(args, "--output")
		recs, err := os.ReadFile(filepath.Join(outDir, "profile_export.jsonl"))
		if err != nil {
			t.Errorf("`aiperf-exporter %s` wrote no merged records: %v", m, err)
			continue
		}
		if n := bytes.Count(recs, []byte("\n")); n != 3*shards {
			t.Errorf("`aiperf-exporter %s` merged %d records, want %d", m, n, 3*shards)
		}
	}
}

// checkKeyVolume checks the Secret volume holding the API key.
func checkKeyVolume(t *testing.T, s *corev1.SecretVolumeSource, file string, readOnly bool) {
	t.Helper()
	sec := decodeFile[*corev1.Secret](t, filepath.Join(k8sDir, "base", "secret.yaml"))
	if s.SecretName != sec.Name {
		t.Errorf("key volume mounts secret %q, want %q", s.SecretName, sec.Name)
	}
	found := false
	for _, it := range s.Items {
		if it.Path == file {
			if _, ok := sec.StringData[it.Key]; !ok {
				t.Errorf("secret %s has no key %q", sec.Name, it.Key)
			}
			found = true
		}
	}
	if !found {
		t.Errorf("key volume has no item at %q", file)
	}
	if !readOnly {
		t.Error("the key volume must be mounted read-only")
	}
	if s.DefaultMode == nil || *s.DefaultMode&0o007 != 0 {
		t.Errorf("key file mode %v: want no access for others", s.DefaultMode)
	}
}

func argAfter(args []string, flag string) string {
	for i, a := range args {
		if a == flag && i+1 < len(args) {
			return args[i+1]
		}
		if v, ok := strings.CutPrefix(a, flag+"="); ok {
			return v
		}
	}
	return ""
}

// documentedCommands returns the arguments of every `aiperf-exporter SUB ...`
// line written in the files (Markdown code or YAML comments).
func documentedCommands(t *testing.T, sub string, files ...string) []string {
	t.Helper()
	re := regexp.MustCompile(`aiperf-exporter (` + sub + ` [^` + "`" + `\n]+)`)
	var out []string
	for _, f := range files {
		for _, m := range re.FindAllStringSubmatch(string(testkit.ReadFile(t, f)), -1) {
			out = append(out, strings.TrimSpace(m[1]))
		}
	}
	return out
}
