package deploy

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/profile"
)

const (
	k8sDir      = "kubernetes"
	metricsPort = 9803
	healthPort  = 9804
	// jobName is the job label the alerts select; the Prometheus Operator
	// names the job after the Service.
	jobName = "aiperf-exporter"
)

// kustomization is the part of kustomize's Kustomization these manifests use.
type kustomization struct {
	APIVersion string   `json:"apiVersion"`
	Kind       string   `json:"kind"`
	Resources  []string `json:"resources"`
	Patches    []struct {
		Path string `json:"path"`
	} `json:"patches"`
	Images []struct {
		Name    string `json:"name"`
		NewName string `json:"newName"`
		NewTag  string `json:"newTag"`
	} `json:"images"`
}

// decodeObject strictly decodes one manifest into its typed object by kind.
func decodeObject(t *testing.T, name string, doc []byte) any {
	t.Helper()
	var tm metav1.TypeMeta
	if err := DecodeLoose(doc, &tm); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var obj any
	switch tm.APIVersion + "/" + tm.Kind {
	case "apps/v1/Deployment":
		obj = &appsv1.Deployment{}
	case "v1/Service":
		obj = &corev1.Service{}
	case "v1/Secret":
		obj = &corev1.Secret{}
	case "v1/PersistentVolumeClaim":
		obj = &corev1.PersistentVolumeClaim{}
	case "batch/v1/Job":
		obj = &batchv1.Job{}
	case "monitoring.coreos.com/v1/ServiceMonitor":
		obj = &monitoringv1.ServiceMonitor{}
	case "monitoring.coreos.com/v1/PrometheusRule":
		obj = &monitoringv1.PrometheusRule{}
	case "kustomize.config.k8s.io/v1beta1/Kustomization":
		obj = &kustomization{}
	default:
		t.Fatalf("%s: unexpected kind %s %s", name, tm.APIVersion, tm.Kind)
	}
	if err := DecodeStrict(doc, obj); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return obj
}

func decodeFile[T any](t *testing.T, path string) T {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	obj, ok := decodeObject(t, path, b).(T)
	if !ok {
		t.Fatalf("%s: decoded %T, want another kind", path, obj)
	}
	return obj
}

// TestManifestsDecodeStrictly walks every kustomization, checks that what it
// references exists, and decodes every manifest with unknown fields as errors.
func TestManifestsDecodeStrictly(t *testing.T) {
	for _, dir := range []string{"base", "overlays/vllm", "profile-shards"} {
		dir := filepath.Join(k8sDir, dir)
		k := decodeFile[*kustomization](t, filepath.Join(dir, "kustomization.yaml"))
		files := append([]string{}, k.Resources...)
		for _, p := range k.Patches {
			files = append(files, p.Path)
		}
		if len(files) == 0 {
			t.Errorf("%s: kustomization lists nothing", dir)
		}
		for _, f := range files {
			path := filepath.Join(dir, f)
			if st, err := os.Stat(path); err != nil {
				t.Errorf("%s: %v", dir, err)
			} else if !st.IsDir() {
				decodeObject(t, path, testkit.ReadFile(t, path))
			}
		}
	}
}

func TestBaseIsConsistent(t *testing.T) {
	base := filepath.Join(k8sDir, "base")
	dep := decodeFile[*appsv1.Deployment](t, filepath.Join(base, "deployment.yaml"))
	svc := decodeFile[*corev1.Service](t, filepath.Join(base, "service.yaml"))
	sm := decodeFile[*monitoringv1.ServiceMonitor](t, filepath.Join(base, "servicemonitor.yaml"))
	sec := decodeFile[*corev1.Secret](t, filepath.Join(base, "secret.yaml"))

	tmpl := dep.Spec.Template.Labels
	if !subset(dep.Spec.Selector.MatchLabels, tmpl) || len(dep.Spec.Selector.MatchLabels) == 0 {
		t.Errorf("deployment selector %v does not match its pod labels %v", dep.Spec.Selector.MatchLabels, tmpl)
	}
	if !subset(svc.Spec.Selector, tmpl) || len(svc.Spec.Selector) == 0 {
		t.Errorf("service selector %v does not match pod labels %v", svc.Spec.Selector, tmpl)
	}
	if !subset(sm.Spec.Selector.MatchLabels, svc.Labels) || len(sm.Spec.Selector.MatchLabels) == 0 {
		t.Errorf("servicemonitor selector %v does not match service labels %v", sm.Spec.Selector.MatchLabels, svc.Labels)
	}
	if svc.Name != jobName || sm.Spec.JobLabel != "" {
		t.Errorf("job label would be %q (service %q, jobLabel %q); alerts select job=%q", svc.Name, svc.Name, sm.Spec.JobLabel, jobName)
	}
	if sm.Spec.ScrapeClassicHistograms == nil || !*sm.Spec.ScrapeClassicHistograms {
		t.Error("servicemonitor must keep classic histograms: rules and dashboard read _bucket series")
	}

	if len(dep.Spec.Template.Spec.Containers) != 1 {
		t.Fatalf("want one container, got %d", len(dep.Spec.Template.Spec.Containers))
	}
	c := dep.Spec.Template.Spec.Containers[0]
	checkHardened(t, "deployment", dep.Spec.Template.Spec, c)
	if len(c.Ports) != 2 || c.Ports[0].Name != "metrics" || c.Ports[0].ContainerPort != metricsPort ||
		c.Ports[1].Name != "health" || c.Ports[1].ContainerPort != healthPort {
		t.Errorf("container ports %+v, want metrics on %d and health on %d", c.Ports, metricsPort, healthPort)
	}
	if got := envValue(c, "AIPERF_WEB_HEALTH_ADDRESS"); got != fmt.Sprintf(":%d", healthPort) {
		t.Errorf("AIPERF_WEB_HEALTH_ADDRESS = %q, want :%d (the health port)", got, healthPort)
	}
	if got := envValue(c, "AIPERF_WEB_LISTEN_ADDRESS"); got != ":9803" {
		t.Errorf("AIPERF_WEB_LISTEN_ADDRESS = %q, want :9803 (the container port)", got)
	}
	if len(svc.Spec.Ports) != 1 || svc.Spec.Ports[0].Name != "metrics" || svc.Spec.Ports[0].Port != metricsPort ||
		svc.Spec.Ports[0].TargetPort.StrVal != "metrics" {
		t.Errorf("service ports %+v, want metrics:%d -> metrics", svc.Spec.Ports, metricsPort)
	}
	if len(sm.Spec.Endpoints) != 1 || sm.Spec.Endpoints[0].Port != "metrics" || sm.Spec.Endpoints[0].Path != "/metrics" {
		t.Errorf("servicemonitor endpoints %+v, want port metrics path /metrics", sm.Spec.Endpoints)
	}
	// On the health port, which --web.config.file's basic auth does not cover.
	for probe, want := range map[*corev1.Probe]string{c.LivenessProbe: "/-/healthy", c.ReadinessProbe: "/-/ready"} {
		if probe == nil || probe.HTTPGet == nil || probe.HTTPGet.Path != want || probe.HTTPGet.Port.StrVal != "health" {
			t.Errorf("probe %+v, want GET %s on port health", probe, want)
		}
	}
	ref := envFrom(c, "AIPERF_API_KEY")
	if ref == nil || ref.SecretKeyRef == nil || ref.SecretKeyRef.Name != sec.Name {
		t.Fatalf("AIPERF_API_KEY must come from secret %s, got %+v", sec.Name, ref)
	}
	if _, ok := sec.StringData[ref.SecretKeyRef.Key]; !ok {
		t.Errorf("secret %s has no key %q", sec.Name, ref.SecretKeyRef.Key)
	}
	if ref.SecretKeyRef.Optional == nil || !*ref.SecretKeyRef.Optional {
		t.Error("AIPERF_API_KEY's secret must be optional: the Secret is created out of band, maybe never")
	}
}

// A Secret among the resources of a kustomization would be re-applied with its
// placeholder key by every `kubectl apply -k`, wiping the key set out of band.
func TestNoSecretIsApplied(t *testing.T) {
	for _, dir := range []string{"base", "overlays/vllm", "profile-shards"} {
		dir := filepath.Join(k8sDir, dir)
		k := decodeFile[*kustomization](t, filepath.Join(dir, "kustomization.yaml"))
		for _, f := range k.Resources {
			path := filepath.Join(dir, f)
			if st, err := os.Stat(path); err != nil || st.IsDir() {
				continue
			}
			if _, ok := decodeObject(t, path, testkit.ReadFile(t, path)).(*corev1.Secret); ok {
				t.Errorf("%s applies Secret %s: a later kubectl apply -k resets the API key", dir, f)
			}
		}
	}
}

// The deploys probe what the product is for, like compose: audio in and an
// output limit, with the same settings.
func TestDeploymentSendsAudioLikeCompose(t *testing.T) {
	dep := decodeFile[*appsv1.Deployment](t, filepath.Join(k8sDir, "base", "deployment.yaml"))
	c := dep.Spec.Template.Spec.Containers[0]
	compose := loadCompose(t).Services["aiperf-exporter"].Environment
	for _, name := range []string{"AIPERF_AUDIO_SOURCE", "AIPERF_OUTPUT_TOKENS_MEAN", "AIPERF_STREAMING"} {
		got := envValue(c, name)
		if v, err := strconv.ParseFloat(got, 64); (err == nil && v <= 0) || got == "" || got == "false" {
			t.Errorf("deployment %s = %q, want audio and an output limit", name, got)
		}
		if got != compose[name] {
			t.Errorf("deployment %s = %q, compose %q: want the same", name, got, compose[name])
		}
	}
}

// checkHardened checks the pod and container security settings.
func checkHardened(t *testing.T, what string, pod corev1.PodSpec, c corev1.Container) {
	t.Helper()
	psc, sc := pod.SecurityContext, c.SecurityContext
	if psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot || psc.RunAsUser == nil || *psc.RunAsUser == 0 {
		t.Errorf("%s: pod must run as a non-root user: %+v", what, psc)
	}
	if sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
		t.Errorf("%s: root filesystem must be read-only", what)
	}
	if sc == nil || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
		t.Errorf("%s: allowPrivilegeEscalation must be false", what)
	}
	if sc == nil || sc.Capabilities == nil || !reflect.DeepEqual(sc.Capabilities.Drop, []corev1.Capability{"ALL"}) {
		t.Errorf("%s: capabilities must drop ALL", what)
	}
	if pod.AutomountServiceAccountToken == nil || *pod.AutomountServiceAccountToken {
		t.Errorf("%s: service account token must not be mounted", what)
	}
	for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		if _, ok := c.Resources.Requests[r]; !ok {
			t.Errorf("%s: no %s request", what, r)
		}
		if _, ok := c.Resources.Limits[r]; !ok {
			t.Errorf("%s: no %s limit", what, r)
		}
	}
}

func subset(sub, super map[string]string) bool {
	for k, v := range sub {
		if super[k] != v {
			return false
		}
	}
	return true
}

func envValue(c corev1.Container, name string) string {
	for _, e := range c.Env {
		if e.Name == name {
			return e.Value
		}
	}
	return ""
}

func envFrom(c corev1.Container, name string) *corev1.EnvVarSource {
	for _, e := range c.Env {
		if e.Name == name {
			return e.ValueFrom
		}
	}
	return nil
}

// TestPrometheusRuleEqualsRuleFiles checks the generated PrometheusRule is
// current and carries exactly the groups of deploy/prometheus/rules.
func TestPrometheusRuleEqualsRuleFiles(t *testing.T) {
	path := filepath.Join(k8sDir, "base", "prometheusrule.yaml")
	want, err := PrometheusRuleYAML(rulesDir)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(testkit.ReadFile(t, path), want) {
		t.Errorf("%s is stale: run `go generate ./deploy`", path)
	}
	pr := decodeFile[*monitoringv1.PrometheusRule](t, path)
	groups, err := LoadRuleGroups(rulesDir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(pr.Spec.Groups, groups) {
		t.Error("PrometheusRule groups differ from deploy/prometheus/rules/*.yml")
	}
	if len(groups) < 3 {
		t.Errorf("only %d rule groups", len(groups))
	}
}

func TestVLLMOverlay(t *testing.T) {
	patch := decodeFile[*appsv1.Deployment](t, filepath.Join(k8sDir, "overlays", "vllm", "deployment-patch.yaml"))
	base := decodeFile[*appsv1.Deployment](t, filepath.Join(k8sDir, "base", "deployment.yaml"))
	if patch.Name != base.Name || patch.Spec.Template.Spec.Containers[0].Name != base.Spec.Template.Spec.Containers[0].Name {
		t.Fatal("patch does not target the base deployment and container by name")
	}
	want := map[string]string{"AIPERF_URL": "http://vllm:8000", "AIPERF_MODEL": "Qwen/Qwen2.5-Omni-3B"}
	for k, v := range want {
		if got := envValue(patch.Spec.Template.Spec.Containers[0], k); got != v {
			t.Errorf("patch %s = %q, want %q", k, got, v)
		}
	}

	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("kubectl not installed (apt-get install kubectl): skipping the kustomize build of the overlay")
	}
	out, err := exec.Command(kubectl, "kustomize", filepath.Join(k8sDir, "overlays", "vllm")).Output()
	if err != nil {
		t.Fatalf("kubectl kustomize: %v", err)
	}
	var dep *appsv1.Deployment
	for i, doc := range strings.Split(string(out), "\n---\n") {
		if d, ok := decodeObject(t, "overlay doc "+string(rune('0'+i)), []byte(doc)).(*appsv1.Deployment); ok {
			dep = d
		}
	}
	if dep == nil {
		t.Fatal("overlay has no Deployment")
	}
	c := dep.Spec.Template.Spec.Containers[0]
	for k, v := range want {
		if got := envValue(c, k); got != v {
			t.Errorf("built overlay %s = %q, want %q", k, got, v)
		}
	}
	if envFrom(c, "AIPERF_API_KEY") == nil || envValue(c, "AIPERF_WEB_LISTEN_ADDRESS") != ":9803" ||
		envValue(c, "AIPERF_AUDIO_SOURCE") != "speech" {
		t.Error("overlay lost base env vars")
	}
	checkHardened(t, "overlay deployment", dep.Spec.Template.Spec, c)
}

func TestProfileShardsJob(t *testing.T) {
	dir := filepath.Join(k8sDir, "profile-shards")
	job := decodeFile[*batchv1.Job](t, filepath.Join(dir, "job.yaml"))
	pvc := decodeFile[*corev1.PersistentVolumeClaim](t, filepath.Join(dir, "pvc.yaml"))
	s := job.Spec
	if s.CompletionMode == nil || *s.CompletionMode != batchv1.IndexedCompletion {
		t.Error("job must be Indexed")
	}
	if s.Completions == nil || *s.Completions < 2 || s.Parallelism == nil || *s.Parallelism > *s.Completions {
		t.Errorf("completions %v parallelism %v: want N >= 2 shards", s.Completions, s.Parallelism)
	}
	pod := s.Template.Spec
	if pod.RestartPolicy != corev1.RestartPolicyNever {
		t.Errorf("restartPolicy %q, want Never (a retried shard restarts its pod)", pod.RestartPolicy)
	}
	c := pod.Containers[0]
	checkHardened(t, "job", pod, c)
	args := strings.Join(c.Args, " ")
	if len(c.Args) == 0 || c.Args[0] != "profile" {
		t.Errorf("args %q must start with the profile subcommand", args)
	}
	if !strings.Contains(args, "--artifact-dir /out/shard-$(JOB_COMPLETION_INDEX)") {
		t.Errorf("args %q: each shard needs --artifact-dir /out/shard-$(JOB_COMPLETION_INDEX)", args)
	}
	// Every shard starts its profiling phase at one time, set when applying
	// (deploy/README.md); the placeholder left in must fail, not start at once.
	start := envValue(c, "AIPERF_START_AT")
	if start != "START_AT" {
		t.Errorf("AIPERF_START_AT = %q, want the placeholder START_AT that deploy/README.md replaces", start)
	}
	if _, err := profile.ParseStartAt(start); err == nil {
		t.Errorf("the placeholder %q parses as a time: a forgotten replacement would not fail", start)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), `sed "s/value: START_AT$/value: \"$START\"/"`) {
		t.Error("deploy/README.md no longer shows how to set AIPERF_START_AT")
	}
	// $(VAR) in args expands only from the container's env (or the index the Job injects).
	for _, ref := range regexpVarRef.FindAllStringSubmatch(args, -1) {
		if ref[1] != "JOB_COMPLETION_INDEX" && envValue(c, ref[1]) == "" {
			t.Errorf("args reference $(%s), which the container does not define", ref[1])
		}
	}
	var outVolume string
	for _, m := range c.VolumeMounts {
		if m.MountPath == "/out" {
			outVolume = m.Name
		}
	}
	var claim string
	for _, v := range pod.Volumes {
		if v.Name == outVolume && v.PersistentVolumeClaim != nil {
			claim = v.PersistentVolumeClaim.ClaimName
		}
	}
	if claim != pvc.Name {
		t.Errorf("/out is backed by claim %q, want the shared PVC %q", claim, pvc.Name)
	}
	if len(pvc.Spec.AccessModes) != 1 || pvc.Spec.AccessModes[0] != corev1.ReadWriteMany {
		t.Errorf("PVC access modes %v, want ReadWriteMany (shards write in parallel)", pvc.Spec.AccessModes)
	}
}
