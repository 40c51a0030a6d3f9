package deploy

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

const composeDir = "compose"

// composeFile is the part of the Compose specification compose.yml uses;
// decoding it strictly catches misspelled keys.
type composeFile struct {
	Name     string                    `json:"name"`
	Services map[string]composeService `json:"services"`
}

type composeService struct {
	Build *struct {
		Context    string `json:"context"`
		Dockerfile string `json:"dockerfile"`
	} `json:"build"`
	Image       string            `json:"image"`
	Command     []string          `json:"command"`
	Environment map[string]string `json:"environment"`
	Volumes     []string          `json:"volumes"`
	Ports       []string          `json:"ports"`
	DependsOn   []string          `json:"depends_on"`
	ReadOnly    bool              `json:"read_only"`
	Restart     string            `json:"restart"`
}

func loadCompose(t *testing.T) composeFile {
	t.Helper()
	var c composeFile
	if err := DecodeStrict(testkit.ReadFile(t, filepath.Join(composeDir, "compose.yml")), &c); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"aiperf-exporter", "prometheus", "grafana"} {
		if _, ok := c.Services[s]; !ok {
			t.Fatalf("compose has no %s service", s)
		}
	}
	return c
}

// mounts returns a service's bind mounts: container path -> host path
// (relative to the repository's deploy directory).
func mounts(t *testing.T, s composeService) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, v := range s.Volumes {
		parts := strings.Split(v, ":")
		if len(parts) < 2 || !strings.HasPrefix(parts[0], ".") {
			t.Fatalf("volume %q: want a relative bind mount host:container[:ro]", v)
		}
		out[parts[1]] = filepath.Join(composeDir, parts[0])
	}
	return out
}

func TestComposeReferencesExist(t *testing.T) {
	c := loadCompose(t)
	for name, s := range c.Services {
		for ctr, host := range mounts(t, s) {
			if _, err := os.Stat(host); err != nil {
				t.Errorf("service %s mounts %s at %s: %v", name, host, ctr, err)
			}
		}
		if s.Build != nil {
			if _, err := os.Stat(filepath.Join(composeDir, s.Build.Context, s.Build.Dockerfile)); err != nil {
				t.Errorf("service %s build: %v", name, err)
			}
		}
	}
	ex := c.Services["aiperf-exporter"]
	if len(ex.Command) < 2 || ex.Command[0] != "serve" || !slices.Contains(ex.Command, "--mock") {
		t.Errorf("exporter command %q, want serve --mock", ex.Command)
	}
}

func TestComposePortsAgree(t *testing.T) {
	c := loadCompose(t)
	ex := c.Services["aiperf-exporter"]
	if !slices.Contains(ex.Ports, "9803:9803") || ex.Environment["AIPERF_WEB_LISTEN_ADDRESS"] != ":9803" {
		t.Errorf("exporter ports %v listen %q, want 9803 throughout", ex.Ports, ex.Environment["AIPERF_WEB_LISTEN_ADDRESS"])
	}
	prom := string(testkit.ReadFile(t, filepath.Join(composeDir, "prometheus.yml")))
	if !strings.Contains(prom, `"aiperf-exporter:9803"`) || !strings.Contains(prom, "job_name: aiperf-exporter") {
		t.Error("compose prometheus.yml must scrape aiperf-exporter:9803 as job aiperf-exporter")
	}
	if !slices.Contains(c.Services["prometheus"].Ports, "9090:9090") {
		t.Error("prometheus must publish 9090")
	}
	ds := string(testkit.ReadFile(t, filepath.Join(composeDir, "grafana", "provisioning", "datasources", "prometheus.yml")))
	if !strings.Contains(ds, "url: http://prometheus:9090") {
		t.Error("grafana datasource must point at http://prometheus:9090")
	}
}

// TestComposePrometheusConfig lays the mounted files out as the Prometheus
// container sees them and runs promtool check config, rules included.
func TestComposePrometheusConfig(t *testing.T) {
	promtool(t)
	c := loadCompose(t)
	root := t.TempDir()
	for ctr, host := range mounts(t, c.Services["prometheus"]) {
		dst := filepath.Join(root, ctr)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		abs, err := filepath.Abs(host)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(abs, dst); err != nil {
			t.Fatal(err)
		}
	}
	cfg := filepath.Join(root, "etc", "prometheus", "prometheus.yml")
	runPromtool(t, "check", "config", cfg)
	rules, _ := filepath.Glob(filepath.Join(root, "etc", "prometheus", "rules", "*.yml"))
	if len(rules) == 0 {
		t.Error("no rules mounted at /etc/prometheus/rules")
	}
}

func TestComposeGrafanaProvisioning(t *testing.T) {
	c := loadCompose(t)
	m := mounts(t, c.Services["grafana"])
	var provider struct {
		APIVersion int `json:"apiVersion"`
		Providers  []struct {
			Name            string `json:"name"`
			Type            string `json:"type"`
			DisableDeletion bool   `json:"disableDeletion"`
			Options         struct {
				Path string `json:"path"`
			} `json:"options"`
		} `json:"providers"`
	}
	if err := DecodeStrict(testkit.ReadFile(t, filepath.Join(composeDir, "grafana", "provisioning", "dashboards", "aiperf.yml")), &provider); err != nil {
		t.Fatal(err)
	}
	if len(provider.Providers) != 1 {
		t.Fatalf("want one dashboard provider, got %d", len(provider.Providers))
	}
	dir := provider.Providers[0].Options.Path
	dash, ok := m[dir+"/aiperf-exporter.json"]
	if !ok || filepath.Clean(dash) != filepath.Join("..", "dashboards", "aiperf-exporter.json") {
		t.Errorf("grafana mounts %v; want the dashboard JSON in the provider path %s", m, dir)
	}
	if m["/etc/grafana/provisioning"] != filepath.Join(composeDir, "grafana", "provisioning") {
		t.Errorf("grafana must mount the provisioning directory at /etc/grafana/provisioning, got %v", m)
	}
	if home := c.Services["grafana"].Environment["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]; home != dir+"/aiperf-exporter.json" {
		t.Errorf("home dashboard %q is not the mounted dashboard", home)
	}
}
