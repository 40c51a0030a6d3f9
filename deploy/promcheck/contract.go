package promcheck

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"strings"
)

// Metric is one metric family of the contract.
type Metric struct {
	Name string
	// Type is counter, gauge or histogram.
	Type string
	// Labels maps each label name to its allowed values; nil means any value.
	Labels map[string][]string
}

// Catalog is the set of metric families an expression may select, by family name.
type Catalog map[string]Metric

// buildInfo is the exporter's build metric; its labels are free.
const buildInfo = "aiperf_exporter_build_info"

// exporterPrefix starts the metrics about the exporter itself (build info,
// reloads): they do not carry the common probe labels.
const exporterPrefix = "aiperf_exporter_"

var (
	commonLabelsLine = regexp.MustCompile("^Labels on every probe metric: (.*)$")
	backticked       = regexp.MustCompile("`([^`]+)`")
	labelWithValues  = regexp.MustCompile("^`([a-z_]+)` = (.+)$")
)

// LoadContract reads the metric table from the design document at path.
func LoadContract(path string) (Catalog, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open contract: %w", err)
	}
	defer f.Close()
	var common []string
	cat := Catalog{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if m := commonLabelsLine.FindStringSubmatch(line); m != nil {
			for _, b := range backticked.FindAllStringSubmatch(m[1], -1) {
				common = append(common, b[1])
			}
			continue
		}
		m, ok, err := parseRow(line)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if ok {
			cat[m.Name] = m
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(common) == 0 || len(cat) == 0 {
		return nil, fmt.Errorf("%s: no metric table or common labels found", path)
	}
	for name, m := range cat {
		if strings.HasPrefix(name, exporterPrefix) {
			continue
		}
		for _, l := range common {
			m.Labels[l] = nil
		}
	}
	return cat, nil
}

// parseRow parses one table row "| `name` | type | extra labels |".
func parseRow(line string) (Metric, bool, error) {
	if !strings.HasPrefix(line, "| `aiperf_") {
		return Metric{}, false, nil
	}
	cells := strings.Split(strings.Trim(line, "|"), "|")
	if len(cells) != 3 {
		return Metric{}, false, fmt.Errorf("table row %q: want 3 cells", line)
	}
	m := Metric{
		Name:   strings.Trim(strings.TrimSpace(cells[0]), "`"),
		Type:   strings.Fields(cells[1])[0],
		Labels: map[string][]string{},
	}
	switch m.Type {
	case "counter", "gauge", "histogram":
	default:
		return Metric{}, false, fmt.Errorf("metric %s: unknown type %q", m.Name, m.Type)
	}
	extra := strings.TrimSpace(cells[2])
	if extra == "" {
		return m, true, nil
	}
	if lv := labelWithValues.FindStringSubmatch(extra); lv != nil {
		for _, v := range strings.Split(lv[2], ",") {
			m.Labels[lv[1]] = append(m.Labels[lv[1]], strings.TrimSpace(v))
		}
		return m, true, nil
	}
	for _, l := range strings.Split(extra, ",") {
		l = strings.TrimSpace(l)
		if l != "..." && l != "" {
			m.Labels[l] = nil
		}
	}
	return m, true, nil
}
