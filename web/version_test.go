package web

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

func TestVersionFrom(t *testing.T) {
	platform := runtime.GOOS + "/" + runtime.GOARCH
	vcs := &debug.BuildInfo{GoVersion: "go1.26.11", Main: debug.Module{Path: "github.com/samlab/samlab", Version: "v0.4.0"},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0f489c6a1b2c3d4e5f60718293a4b5c6d7e8f901"},
			{Key: "vcs.time", Value: "2026-12-06T23:10:00Z"},
			{Key: "vcs.modified", Value: "true"},
		}}
	tests := []struct {
		name   string
		bi     *debug.BuildInfo
		linked Version
		want   Version
		str    string
	}{
		{"vcs stamped", vcs, Version{BuildTime: "2026-12-07T01:00:00Z"},
			Version{Module: "github.com/samlab/samlab", Version: "v0.4.0", Revision: "0f489c6a1b2c3d4e5f60718293a4b5c6d7e8f901",
				RevisionTime: "2026-12-06T23:10:00Z", Modified: true, BuildTime: "2026-12-07T01:00:00Z", GoVersion: "go1.26.11", Platform: platform},
			"v0.4.0 (commit 0f489c6a1b2c, modified, 2026-12-06T23:10:00Z; built 2026-12-07T01:00:00Z; go1.26.11 " + platform + ")"},
		{"go install @version: no vcs", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/samlab/samlab", Version: "v0.4.0"}},
			Version{},
			Version{Module: "github.com/samlab/samlab", Version: "v0.4.0", GoVersion: "go1.26.8", Platform: platform},
			"v0.4.0 (go1.26.8 " + platform + ")"},
		{"source tree without .git: link-time values", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/samlab/samlab", Version: "(devel)"}},
			Version{Version: "v0.5.0-rc1", Revision: "abc", Modified: true},
			Version{Module: "github.com/samlab/samlab", Version: "v0.5.0-rc1", Revision: "abc", Modified: true, GoVersion: "go1.26.8", Platform: platform},
			"v0.5.0-rc1 (commit abc, modified; go1.26.8 " + platform + ")"},
		{"link-time values never override the build information", vcs, Version{Version: "v9", Revision: "other"},
			Version{Module: "github.com/samlab/samlab", Version: "v0.4.0", Revision: "0f489c6a1b2c3d4e5f60718293a4b5c6d7e8f901",
				RevisionTime: "2026-12-06T23:10:00Z", Modified: true, GoVersion: "go1.26.11", Platform: platform}, ""},
		{"no build information", nil, Version{},
			Version{Module: "github.com/samlab/samlab", Version: "(devel)", GoVersion: runtime.Version(), Platform: platform},
			"(devel) (" + runtime.Version() + " " + platform + ")"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := versionFrom(tc.bi, tc.linked)
			if got != tc.want {
				t.Errorf("versionFrom =\n %+v\nwant\n %+v", got, tc.want)
			}
			if tc.str != "" && got.String() != tc.str {
				t.Errorf("String() = %q\nwant       %q", got.String(), tc.str)
			}
		})
	}
}

func TestHealthzVerbose(t *testing.T) {
	want := Version{Module: "github.com/samlab/samlab", Version: "v0.4.0", Revision: "0f489c6", Modified: true,
		BuildTime: "2026-12-07T01:00:00Z", GoVersion: "go1.26.11", Platform: "linux/amd64"}
	e := newTestEnv(t, func(c *envConfig) { c.opts.Version = want })
	r := e.browser().get("/healthz?verbose=1")
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("GET /healthz?verbose=1 = %d %q %s", r.StatusCode, r.Header.Get("Content-Type"), r.body)
	}
	var got struct {
		Status string `json:"status"`
		Version
		Demo bool `json:"demo"`
	}
	if err := json.Unmarshal([]byte(r.body), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.body)
	}
	if got.Status != "ok" || got.Version != want || !got.Demo {
		t.Errorf("verbose health = %+v", got)
	}
	for _, k := range []string{`"version"`, `"revision"`, `"modified"`, `"build_time"`, `"go_version"`} {
		if !strings.Contains(r.body, k) {
			t.Errorf("verbose health lacks %s: %s", k, r.body)
		}
	}
	// The plain form is unchanged.
	if r := e.browser().get("/healthz"); r.Header.Get("Content-Type") != "text/plain; charset=utf-8" || r.body != "ok\n" {
		t.Errorf("GET /healthz = %q %q", r.Header.Get("Content-Type"), r.body)
	}
}

// Serve warns, loudly, when the demo tenant listens where other machines
// can reach it (as in a container, on 0.0.0.0), and not on loopback; its
// start-up line carries the version.
func TestServeWarnsWhenDemoIsReachable(t *testing.T) {
	e := newTestEnv(t)
	for _, tc := range []struct {
		listen string
		warn   bool
	}{{"127.0.0.1:0", false}, {"0.0.0.0:0", true}, {"[::]:0", true}} {
		t.Run(tc.listen, func(t *testing.T) {
			logs := &syncBuffer{}
			log := slog.New(slog.NewTextHandler(logs, nil))
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() {
				done <- Serve(ctx, e.tenant, tc.listen, Options{Logger: log, Version: Version{Version: "v0.4.0", GoVersion: "go1.26.11"}})
			}()
			deadline := time.Now().Add(5 * time.Second)
			for !strings.Contains(logs.String(), "msg=listening") && time.Now().Before(deadline) {
				select {
				case err := <-done:
					if strings.Contains(tc.listen, "::") && err != nil {
						t.Skipf("no IPv6 here: %v", err)
					}
					t.Fatalf("Serve ended: %v", err)
				case <-time.After(10 * time.Millisecond):
				}
			}
			cancel()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			out := logs.String()
			if !strings.Contains(out, "version=v0.4.0") || !strings.Contains(out, "go=go1.26.11") {
				t.Errorf("start-up line lacks the version:\n%s", out)
			}
			warned := strings.Contains(out, "level=WARN") && strings.Contains(out, "DEMO MODE IS REACHABLE FROM OTHER MACHINES")
			if warned != tc.warn {
				t.Errorf("listening on %s: warned=%v, want %v:\n%s", tc.listen, warned, tc.warn, out)
			}
		})
	}
}

func TestIsLoopbackAddr(t *testing.T) {
	for addr, want := range map[string]bool{"127.0.0.1:8080": true, "[::1]:8080": true, "127.9.9.9:1": true,
		"0.0.0.0:8080": false, "[::]:8080": false, "192.0.2.7:8080": false} {
		a, err := net.ResolveTCPAddr("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := isLoopbackAddr(a); got != want {
			t.Errorf("isLoopbackAddr(%s) = %v, want %v", addr, got, want)
		}
	}
}
