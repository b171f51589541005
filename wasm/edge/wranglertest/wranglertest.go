//go:build !js

// Package wranglertest starts the edge Worker under workerd (wrangler dev)
// for a test or the load test, and stops it afterwards. `make test` sets
// LATENTPLAY_WRANGLER to the pinned wrangler after building dist/ and the
// Worker; without it the tests that need the Worker are skipped.
package wranglertest

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Env names the wrangler binary to run.
const Env = "LATENTPLAY_WRANGLER"

// startTimeout bounds how long wrangler dev may take to answer: it bundles
// the Worker and starts workerd, a few seconds on a busy machine.
const startTimeout = 90 * time.Second

// Dir is the Worker's directory (wasm/edge), where wrangler.toml is.
func Dir() string {
	_, here, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(here), "..")
}

// Start runs wrangler dev on a free 127.0.0.1 port with a fresh local KV,
// waits until the Worker answers, and returns its base URL. wrangler is
// stopped when the test ends.
func Start(t testing.TB) string {
	t.Helper()
	bin := os.Getenv(Env)
	if bin == "" {
		t.Skipf("%s is not set: `make test` runs the Worker under wrangler dev", Env)
	}
	dev, err := Launch(bin, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(dev.Stop)
	return dev.URL
}

// Dev is a running wrangler dev.
type Dev struct {
	URL    string // http://127.0.0.1:PORT
	cmd    *exec.Cmd
	exited chan error
}

// Launch starts wrangler dev (bin) on a free port, keeping its local KV
// under state, and returns once the Worker answers.
func Launch(bin, state string) (*Dev, error) {
	dir := Dir()
	for _, need := range []string{"build/app.wasm", "build/worker.mjs", "../../dist/index.html"} {
		if _, err := os.Stat(filepath.Join(dir, need)); err != nil {
			return nil, fmt.Errorf("wasm/edge/%s is missing: build with `make site edge-build`", need)
		}
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	inspector, err := freePort()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "dev",
		"--ip", "127.0.0.1", "--port", port, "--inspector-port", inspector,
		"--persist-to", state, "--show-interactive-dev-session=false", "--log-level", "warn")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "WRANGLER_SEND_METRICS=false", "CI=1", "NO_COLOR=1")
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // workerd is a child: stop them together
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	d := &Dev{URL: "http://127.0.0.1:" + port, cmd: cmd, exited: make(chan error, 1)}
	go func() { d.exited <- cmd.Wait() }()

	// Poll until the Worker itself answers (a JSON 404 from the API), not
	// just the port.
	probe := d.URL + "/api/share/" + strings.Repeat("0", 64)
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, probe, nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusNotFound && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
				return d, nil
			}
		}
		select {
		case err := <-d.exited:
			return nil, fmt.Errorf("wrangler dev exited (%v):\n%s", err, out.String())
		case <-ctx.Done():
			d.Stop()
			return nil, fmt.Errorf("wrangler dev did not answer on %s within %v:\n%s", d.URL, startTimeout, out.String())
		case <-tick.C:
		}
	}
}

// Stop ends wrangler and workerd and waits for them.
func (d *Dev) Stop() {
	syscall.Kill(-d.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-d.exited:
	case <-time.After(10 * time.Second):
		syscall.Kill(-d.cmd.Process.Pid, syscall.SIGKILL)
		<-d.exited
	}
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port), nil
}

// syncBuffer collects wrangler's output for failure messages.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
