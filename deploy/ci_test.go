package deploy

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCIRunStartsNoServiceAndKillsNothing runs .ci/run with fake apt-get, go
// and pkill/killall on PATH: while packages install, policy-rc.d must forbid
// service starts (so the Debian Prometheus never starts), it must be gone
// afterwards, and no process is killed by name.
func TestCIRunStartsNoServiceAndKillsNothing(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	calls := filepath.Join(dir, "calls")
	policy := filepath.Join(dir, "policy-rc.d")
	fake := func(name, body string) {
		script := "#!/bin/sh\necho \"" + name + " $*\" >>" + calls + "\n" + body + "\n"
		if err := os.WriteFile(filepath.Join(bin, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// apt-get records whether a service start would be refused right now.
	fake("apt-get", `if [ "$1" = install ]; then "`+policy+`" prometheus start; echo "policy-rc.d says $?" >>`+calls+`; fi`)
	fake("go", "")
	fake("pkill", "")
	fake("killall", "")
	cmd := exec.Command("bash", "../.ci/run")
	cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), "POLICY_RC_D="+policy)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf(".ci/run: %v\n%s", err, out)
	}
	b, err := os.ReadFile(calls)
	if err != nil {
		t.Fatal(err)
	}
	log := string(b)
	for _, line := range strings.Split(strings.TrimSpace(log), "\n") {
		if strings.HasPrefix(line, "pkill") || strings.HasPrefix(line, "killall") {
			t.Errorf(".ci/run kills processes it did not start: %q", line)
		}
	}
	if !strings.Contains(log, "apt-get install") || strings.Contains(log, "policy-rc.d says 0") ||
		!strings.Contains(log, "policy-rc.d says 101") {
		t.Errorf("service starts were not forbidden during the install:\n%s", log)
	}
	if _, err := os.Stat(policy); !os.IsNotExist(err) {
		t.Errorf("policy-rc.d left behind after the install (err %v)", err)
	}
}
