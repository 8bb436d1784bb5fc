//go:build linux

package main

import (
	"bytes"
	"debug/elf"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The container image (Dockerfile) relies on these, tested here because
// this machine has no container engine: the binary built as the Dockerfile
// builds it (CGO_ENABLED=0, -trimpath) is statically linked, and it serves
// with an empty environment (no HOME, no PATH), from a read-only working
// directory, as a non-root user for whom only the state directory is
// writable; the generated key lands there with mode 0600, and the next
// start (SAMLAB_STATE_DIR, as the image sets it) reuses it.
func TestStaticBinaryInEmptyEnvironment(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a static binary")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("no go command on PATH: %v", err)
	}
	root, err := os.MkdirTemp("", "samlab-static-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	// Readable by the unprivileged user the binary runs as below.
	if err := os.Chmod(root, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(root, "samlab")
	const built = "2026-12-07T00:00:00Z"
	build := exec.Command(goTool, "build", "-trimpath", "-ldflags", "-s -w -X main.linkBuildTime="+built, "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("CGO_ENABLED=0 go build: %v\n%s", err, out)
	}
	checkStatic(t, bin)

	cwd := filepath.Join(root, "cwd")
	state := filepath.Join(root, "state")
	for _, d := range []string{cwd, state} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(cwd, 0o555); err != nil {
		t.Fatal(err)
	}
	// As root, run as the image's user (distroless nonroot, 65532): then the
	// read-only directory really is read-only to the binary.
	var cred *syscall.Credential
	if os.Getuid() == 0 {
		cred = &syscall.Credential{Uid: 65532, Gid: 65532}
		if err := os.Chown(state, 65532, 65532); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(state, 0o700); err != nil {
		t.Fatal(err)
	}
	command := func(env []string, args ...string) *exec.Cmd {
		c := exec.Command(bin, args...)
		c.Env = env // empty, not nil: nothing inherited
		c.Dir = cwd
		c.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		return c
	}

	v := command([]string{}, "version")
	out, err := v.CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "samlab ") || !strings.Contains(string(out), "built "+built) {
		t.Fatalf("samlab version: %v\n%s", err, out)
	}

	// As in the container: every interface, so the demo warning is due.
	ln, err := net.Listen("tcp", "0.0.0.0:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	addr := "0.0.0.0:" + itoa(port)
	srv := command([]string{}, "serve", "--state", state, "--addr", addr)
	var logs bytes.Buffer
	srv.Stdout, srv.Stderr = &logs, &logs
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- srv.Wait() }()
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			srv.Process.Kill()
			<-exited
		}
	})
	base := "http://127.0.0.1:" + itoa(port)
	health := waitHealthy(t, base+"/healthz", exited, &logs)
	if health != "ok\n" {
		t.Errorf("GET /healthz = %q", health)
	}
	var verbose struct {
		Status    string `json:"status"`
		BuildTime string `json:"build_time"`
		GoVersion string `json:"go_version"`
	}
	if err := json.Unmarshal([]byte(get(t, base+"/healthz?verbose=1")), &verbose); err != nil || verbose.Status != "ok" || verbose.BuildTime != built || verbose.GoVersion == "" {
		t.Errorf("GET /healthz?verbose=1: %v %+v", err, verbose)
	}
	served := get(t, base+"/metadata")
	srv.Process.Signal(syscall.SIGTERM)
	if err := <-exited; err != nil {
		t.Errorf("serve after SIGTERM: %v\n%s", err, logs.String())
	}
	stopped = true
	if !strings.Contains(logs.String(), "DEMO MODE IS REACHABLE FROM OTHER MACHINES") {
		t.Errorf("serve on %s printed no demo warning:\n%s", addr, logs.String())
	}

	fi, err := os.Stat(filepath.Join(state, "idp.key"))
	if err != nil {
		t.Fatalf("no key in the state directory: %v\n%s", err, logs.String())
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("idp.key mode = %v, want 0600", fi.Mode().Perm())
	}
	if ents, _ := os.ReadDir(cwd); len(ents) != 0 {
		t.Errorf("wrote into the working directory: %v", ents)
	}
	// The image's ENV SAMLAB_STATE_DIR: the same key on the next start.
	md := command([]string{"SAMLAB_STATE_DIR=" + state}, "metadata")
	again, err := md.Output()
	if err != nil {
		t.Fatalf("samlab metadata: %v", err)
	}
	if string(again) != served {
		t.Error("metadata after a restart differs: the key in the state directory was not reused")
	}
}

// checkStatic fails unless the ELF file asks for no dynamic loader and no
// shared library (scratch and distroless/static images have neither).
func checkStatic(t *testing.T, path string) {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("%s has a %v program header: not statically linked", path, p.Type)
		}
	}
	if libs, err := f.ImportedLibraries(); err != nil || len(libs) > 0 {
		t.Errorf("%s needs shared libraries %v (%v)", path, libs, err)
	}
}

func waitHealthy(t *testing.T, url string, exited <-chan error, logs *bytes.Buffer) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			t.Fatalf("serve exited: %v\n%s", err, logs.String())
		default:
		}
		resp, err := staticClient.Get(url)
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			return string(b)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("serve did not answer %s in 30s:\n%s", url, logs.String())
	return ""
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := staticClient.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", url, resp.StatusCode)
	}
	return string(b)
}

func itoa(n int) string { return strconv.Itoa(n) }

// staticClient bounds each request, so that a server that accepts but
// never answers fails the test instead of hanging it until go test's
// timeout.
var staticClient = &http.Client{Timeout: 10 * time.Second}
