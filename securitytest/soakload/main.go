// Command soakload drives a steady, mixed load against a running samlab
// server on loopback and samples the server's memory: the load generator
// of scripts/soak.sh.
//
// Each worker repeats, in turn, one of three browser flows against the demo
// tenant, paced so that all workers together start at most -rate flows per
// second:
//
//   - login: GET /login, POST /login (CSRF token) as a demo user, GET /apps;
//   - sp: the built-in test SP's SP-initiated flow: GET /test-sp/login (a
//     Redirect-binding AuthnRequest), GET /sso, POST /login with the pending
//     request, then POST the issued SAMLResponse to /test-sp/acs, which
//     verifies it;
//   - idp: IdP-initiated sign-in with a live session cookie: GET
//     /apps/aws/start and /apps/aws-identity-center/start.
//
// Every request has a timeout. A request whose status is not 2xx/3xx, or a
// flow step whose page lacks what it must carry (CSRF token, pending
// request, SAMLResponse, "Verified" at the test SP), counts as an error.
// Every -sample interval it prints the server's RSS (from /proc/<pid>/status)
// and the counts so far. With -pprof (a server built with -tags pprof and
// SAMLAB_PPROF_ADDR set) it also prints the live heap, read after a forced
// garbage collection, and the number of goroutines, and with -profile-dir it
// saves a heap profile every minute and at the start of the window
// (heap-05m00s.pb.gz, ...) for
// `go tool pprof -base`.
//
// The first -warmup of the run fills the server's bounded caches (pending
// requests and replay markers live up to 10 minutes) and is not judged; the
// summary gives memory over the measured window that follows, and the run
// fails when the live heap at its end is more than -max-growth above its
// start.
//
//	soakload -base http://127.0.0.1:18080 -pid 1234 -warmup 12m -duration 10m
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:18080", "server base `URL` (loopback)")
	pid := flag.Int("pid", 0, "server process `id` whose RSS is sampled (0: none)")
	warmup := flag.Duration("warmup", 0, "load before the measured window, not judged")
	duration := flag.Duration("duration", 10*time.Minute, "how long the measured window lasts")
	workers := flag.Int("workers", 4, "concurrent browsers")
	rate := flag.Float64("rate", 40, "flows started per second, all workers together")
	sample := flag.Duration("sample", 10*time.Second, "memory sampling interval")
	timeout := flag.Duration("timeout", 10*time.Second, "per-request timeout")
	pprofURL := flag.String("pprof", "", "the server's pprof `URL` (http://127.0.0.1:6060), for live heap and goroutines")
	profileDir := flag.String("profile-dir", "", "with -pprof, save a heap profile every minute in this `dir`")
	maxGrowth := flag.Float64("max-growth", 0.25, "with -pprof, fail when the live heap grows more than this `fraction` over the window")
	flag.Parse()
	for _, s := range []string{*base, *pprofURL} {
		if s == "" {
			continue
		}
		u, err := url.Parse(s)
		if err != nil || (u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost" && u.Hostname() != "::1") {
			fmt.Fprintf(os.Stderr, "soakload: %q: -base and -pprof must be loopback URLs\n", s)
			os.Exit(2)
		}
	}
	if *profileDir != "" && *pprofURL == "" {
		fmt.Fprintln(os.Stderr, "soakload: -profile-dir needs -pprof")
		os.Exit(2)
	}
	l := &load{base: strings.TrimRight(*base, "/"), timeout: *timeout, stats: map[string]*flowStats{}}
	m := &monitor{pid: *pid, pprof: strings.TrimRight(*pprofURL, "/"), dir: *profileDir,
		client: &http.Client{Timeout: 30 * time.Second}}
	os.Exit(l.run(m, *warmup, *duration, *workers, *rate, *sample, *maxGrowth))
}

type flowStats struct {
	flows, errors atomic.Int64
	mu            sync.Mutex
	latencies     []time.Duration // whole-flow durations
}

type load struct {
	base     string
	timeout  time.Duration
	requests atomic.Int64
	errors   atomic.Int64
	mu       sync.Mutex
	stats    map[string]*flowStats
	errLog   []string
}

var flows = []string{"login", "sp", "idp"}

// point is one memory sample; -1 where a figure could not be read.
type point struct {
	at                   time.Duration
	rssKiB, heap, gorout int64
	anonKiB              int64 // the anonymous part of RSS (heap, stacks); the rest is mapped files, mostly the binary
	heapMapped           int64 // heap spans held from the OS, not returned
}

func (l *load) run(m *monitor, warmup, duration time.Duration, workers int, rate float64, sample time.Duration, maxGrowth float64) int {
	for _, f := range flows {
		l.stats[f] = &flowStats{}
	}
	ctx, cancel := context.WithTimeout(context.Background(), warmup+duration)
	defer cancel()
	start := time.Now()
	var points []point
	var profiles []string // heap profiles taken over the window
	nextProfile := time.Duration(0)
	takeSample := func() {
		at := time.Since(start).Round(time.Second)
		p := point{at: at, heap: -1, gorout: -1, heapMapped: -1}
		p.rssKiB, p.anonKiB = rss(m.pid)
		if m.pprof != "" {
			p.heap, p.heapMapped = m.heapLive()
			p.gorout = m.goroutines()
			if m.dir != "" && (at >= nextProfile || at >= warmup && len(profiles) == 0) {
				name, err := m.saveHeap(at)
				if err != nil {
					fmt.Fprintln(os.Stderr, "soakload:", err)
				} else if at >= warmup {
					profiles = append(profiles, name)
				}
				nextProfile = at.Truncate(time.Minute) + time.Minute
			}
		}
		points = append(points, p)
		fmt.Printf("t=%-6s rss=%s anon=%s heap=%s mapped=%s goroutines=%d requests=%d flows=%d errors=%d\n",
			at, mib(p.rssKiB), mib(p.anonKiB), mib(kib(p.heap)), mib(kib(p.heapMapped)), p.gorout, l.requests.Load(), l.totalFlows(), l.errors.Load())
	}
	takeSample()
	// One shared pacer: a token every 1/rate seconds.
	tokens := make(chan struct{})
	go func() {
		tick := time.NewTicker(time.Duration(float64(time.Second) / rate))
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				close(tokens)
				return
			case <-tick.C:
				select {
				case tokens <- struct{}{}:
				default: // all workers busy: the load is bounded, not queued
				}
			}
		}
	}()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			b := l.newBrowser()
			n := w
			for range tokens {
				flow := flows[n%len(flows)]
				n++
				t0 := time.Now()
				err := l.flow(b, flow, n)
				st := l.stats[flow]
				st.flows.Add(1)
				if err != nil {
					st.errors.Add(1)
					l.errors.Add(1)
					l.mu.Lock()
					if len(l.errLog) < 20 {
						l.errLog = append(l.errLog, fmt.Sprintf("%s: %v", flow, err))
					}
					l.mu.Unlock()
					b = l.newBrowser() // start clean after an error
					continue
				}
				st.mu.Lock()
				st.latencies = append(st.latencies, time.Since(t0))
				st.mu.Unlock()
			}
		}(w)
	}
	tick := time.NewTicker(sample)
	defer tick.Stop()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
loop:
	for {
		select {
		case <-tick.C:
			takeSample()
		case <-done:
			break loop
		}
	}
	takeSample()
	elapsed := time.Since(start)

	fmt.Printf("\nsoakload: %s (warm-up %s), %d workers, at most %.0f flows/s against %s\n", elapsed.Round(time.Second), warmup, workers, rate, l.base)
	fmt.Printf("requests %d (%.1f/s), flows %d, errors %d\n", l.requests.Load(), float64(l.requests.Load())/elapsed.Seconds(), l.totalFlows(), l.errors.Load())
	for _, f := range flows {
		st := l.stats[f]
		p50, p99 := percentiles(st.latencies)
		fmt.Printf("  %-6s flows %7d  errors %d  p50 %s  p99 %s\n", f, st.flows.Load(), st.errors.Load(), p50, p99)
	}
	status := 0
	if l.errors.Load() > 0 {
		status = 1
	}
	window := windowOf(points, warmup)
	if m.pid != 0 && len(window) > 0 {
		first, last := window[0], window[len(window)-1]
		fmt.Printf("RSS over the window (t=%s..%s): start %s (anon %s), end %s (anon %s), peak %s\n", first.at, last.at,
			mib(first.rssKiB), mib(first.anonKiB), mib(last.rssKiB), mib(last.anonKiB), mib(peak(window, func(p point) int64 { return p.rssKiB })))
	}
	if m.pprof != "" {
		first, last, ok := ends(window, func(p point) int64 { return p.heap })
		if !ok {
			fmt.Println("live heap: no readings over the window (is the server built with -tags pprof?)")
			status = 1
		} else {
			growth := float64(last)/float64(first) - 1
			fmt.Printf("live heap over the window: first minute %s, last minute %s (%+.1f%%), peak %s; goroutines first %d, last %d\n",
				mib(kib(first)), mib(kib(last)), 100*growth, mib(kib(peak(window, func(p point) int64 { return p.heap }))),
				window[0].gorout, window[len(window)-1].gorout)
			if growth > maxGrowth {
				fmt.Printf("live heap grew by more than %.0f%% over the window\n", 100*maxGrowth)
				status = 1
			}
		}
	}
	if len(profiles) >= 2 {
		fmt.Printf("heap profiles over the window: %s %s\n", profiles[0], profiles[len(profiles)-1])
	}
	for _, e := range l.errLog {
		fmt.Println("  error:", e)
	}
	return status
}

// windowOf returns the samples taken after the warm-up.
func windowOf(points []point, warmup time.Duration) []point {
	for i, p := range points {
		if p.at >= warmup {
			return points[i:]
		}
	}
	return nil
}

// ends returns the mean of a figure over the window's first minute and over
// its last minute: one sample alone would be the heap at whatever moment the
// collection ran.
func ends(window []point, f func(point) int64) (first, last int64, ok bool) {
	if len(window) == 0 {
		return 0, 0, false
	}
	mean := func(from, to time.Duration) int64 {
		var sum, n int64
		for _, p := range window {
			if v := f(p); p.at >= from && p.at <= to && v >= 0 {
				sum, n = sum+v, n+1
			}
		}
		if n == 0 {
			return -1
		}
		return sum / n
	}
	a, b := window[0].at, window[len(window)-1].at
	first, last = mean(a, a+time.Minute), mean(b-time.Minute, b)
	return first, last, first > 0 && last > 0
}

func peak(points []point, f func(point) int64) int64 {
	var top int64 = -1
	for _, p := range points {
		top = max(top, f(p))
	}
	return top
}

// monitor reads the server's memory: RSS from /proc, and through pprof the
// live heap, the goroutine count and heap profiles.
type monitor struct {
	pid    int
	pprof  string
	dir    string
	client *http.Client
}

func (m *monitor) get(path string) ([]byte, error) {
	resp, err := m.client.Get(m.pprof + path)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: status %d", path, resp.StatusCode)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 64<<20))
}

var (
	reHeapAlloc    = regexp.MustCompile(`(?m)^# HeapAlloc = (\d+)$`)
	reHeapSys      = regexp.MustCompile(`(?m)^# HeapSys = (\d+)$`)
	reHeapReleased = regexp.MustCompile(`(?m)^# HeapReleased = (\d+)$`)
	reGoroutines   = regexp.MustCompile(`^goroutine profile: total (\d+)`)
)

// heapLive returns the bytes of heap in use right after a collection (the
// heap profile's gc=1) and the bytes of heap the runtime holds from the OS
// (HeapSys - HeapReleased), or -1s.
func (m *monitor) heapLive() (live, mapped int64) {
	b, err := m.get("/debug/pprof/heap?gc=1&debug=1")
	if err != nil {
		return -1, -1
	}
	live, sys, released := number(b, reHeapAlloc), number(b, reHeapSys), number(b, reHeapReleased)
	if sys < 0 || released < 0 {
		return live, -1
	}
	return live, sys - released
}

// goroutines returns how many goroutines the server runs, or -1.
func (m *monitor) goroutines() int64 {
	b, err := m.get("/debug/pprof/goroutine?debug=1")
	if err != nil {
		return -1
	}
	return number(b, reGoroutines)
}

// number returns the integer re's first group matches in b, or -1.
func number(b []byte, re *regexp.Regexp) int64 {
	sm := re.FindSubmatch(b)
	if sm == nil {
		return -1
	}
	n, err := strconv.ParseInt(string(sm[1]), 10, 64)
	if err != nil {
		return -1
	}
	return n
}

// saveHeap writes a heap profile as dir/heap-MMmSSs.pb.gz and returns its
// path.
func (m *monitor) saveHeap(at time.Duration) (string, error) {
	b, err := m.get("/debug/pprof/heap?gc=1")
	if err != nil {
		return "", err
	}
	s := int(at / time.Second)
	name := filepath.Join(m.dir, fmt.Sprintf("heap-%02dm%02ds.pb.gz", s/60, s%60))
	return name, os.WriteFile(name, b, 0o644)
}

func kib(bytes int64) int64 {
	if bytes < 0 {
		return -1
	}
	return bytes / 1024
}

func (l *load) totalFlows() int64 {
	var n int64
	for _, st := range l.stats {
		n += st.flows.Load()
	}
	return n
}

// rss returns the resident set size of pid and its anonymous part
// (RssAnon) in KiB, or -1s.
func rss(pid int) (total, anon int64) {
	total, anon = -1, -1
	if pid == 0 {
		return
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return
	}
	kB := func(rest string) int64 {
		n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		if err != nil {
			return -1
		}
		return n
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			total = kB(rest)
		} else if rest, ok := strings.CutPrefix(line, "RssAnon:"); ok {
			anon = kB(rest)
		}
	}
	return
}

func mib(kib int64) string {
	if kib < 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f MiB", float64(kib)/1024)
}

func percentiles(ds []time.Duration) (p50, p99 time.Duration) {
	if len(ds) == 0 {
		return 0, 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2].Round(100 * time.Microsecond), s[len(s)*99/100].Round(100 * time.Microsecond)
}

// browser is one cookie jar; its session is reused by the idp flow.
type browser struct {
	c        *http.Client
	signedIn bool
}

func (l *load) newBrowser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{c: &http.Client{Jar: jar, Timeout: l.timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var (
	reCSRF     = regexp.MustCompile(`name="csrf" value="([^"]*)"`)
	rePending  = regexp.MustCompile(`name="pending" value="([^"]*)"`)
	reResponse = regexp.MustCompile(`name="SAMLResponse" value="([^"]*)"`)
	reRelay    = regexp.MustCompile(`name="RelayState" value="([^"]*)"`)
)

func find(re *regexp.Regexp, body string) string {
	m := re.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

var users = []struct{ id, password string }{{"alice", "alice-demo"}, {"bob", "bob-demo"}, {"carol", "carol-demo"}}

// do sends one request and checks its status is 2xx or 3xx.
func (l *load) do(b *browser, method, path string, form url.Values) (int, http.Header, string, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	target := path
	if !strings.HasPrefix(path, "http") {
		target = l.base + path
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		return 0, nil, "", err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	l.requests.Add(1)
	resp, err := b.c.Do(req)
	if err != nil {
		return 0, nil, "", err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return resp.StatusCode, resp.Header, "", err
	}
	if resp.StatusCode >= 400 {
		return resp.StatusCode, resp.Header, string(data), fmt.Errorf("%s %s: status %d", method, strings.SplitN(path, "?", 2)[0], resp.StatusCode)
	}
	return resp.StatusCode, resp.Header, string(data), nil
}

func (l *load) flow(b *browser, name string, n int) error {
	user := users[n%len(users)]
	switch name {
	case "login":
		b2 := l.newBrowser() // a fresh browser signs in
		_, _, page, err := l.do(b2, http.MethodGet, "/login", nil)
		if err != nil {
			return err
		}
		csrf := find(reCSRF, page)
		if csrf == "" {
			return errors.New("login page without a CSRF token")
		}
		status, h, _, err := l.do(b2, http.MethodPost, "/login", url.Values{"csrf": {csrf}, "username": {user.id}, "password": {user.password}})
		if err != nil {
			return err
		}
		if status != http.StatusSeeOther || h.Get("Location") != "/apps" {
			return fmt.Errorf("POST /login: %d %q, want 303 /apps", status, h.Get("Location"))
		}
		if _, _, _, err := l.do(b2, http.MethodGet, "/apps", nil); err != nil {
			return err
		}
		return nil
	case "sp":
		b2 := l.newBrowser()
		status, h, _, err := l.do(b2, http.MethodGet, "/test-sp/login", nil)
		if err != nil {
			return err
		}
		loc := h.Get("Location")
		if status != http.StatusFound || !strings.HasPrefix(loc, "/sso?SAMLRequest=") {
			return fmt.Errorf("GET /test-sp/login: %d %q", status, loc)
		}
		_, _, page, err := l.do(b2, http.MethodGet, loc, nil)
		if err != nil {
			return err
		}
		csrf, pending := find(reCSRF, page), find(rePending, page)
		if csrf == "" || pending == "" {
			return errors.New("GET /sso: no login form with a pending request")
		}
		_, _, page, err = l.do(b2, http.MethodPost, "/login", url.Values{"csrf": {csrf}, "pending": {pending}, "username": {"alice"}, "password": {"alice-demo"}})
		if err != nil {
			return err
		}
		resp := find(reResponse, page)
		if resp == "" {
			return errors.New("POST /login: no SAMLResponse")
		}
		_, _, page, err = l.do(b2, http.MethodPost, "/test-sp/acs", url.Values{"SAMLResponse": {resp}, "RelayState": {find(reRelay, page)}})
		if err != nil {
			return err
		}
		if !strings.Contains(page, "Verified") {
			return errors.New("the test SP did not verify the response")
		}
		return nil
	case "idp":
		if !b.signedIn {
			_, _, page, err := l.do(b, http.MethodGet, "/login", nil)
			if err != nil {
				return err
			}
			if _, _, _, err := l.do(b, http.MethodPost, "/login", url.Values{"csrf": {find(reCSRF, page)}, "username": {"alice"}, "password": {"alice-demo"}}); err != nil {
				return err
			}
			b.signedIn = true
		}
		for _, app := range []string{"aws", "aws-identity-center"} {
			_, _, page, err := l.do(b, http.MethodGet, "/apps/"+app+"/start", nil)
			if err != nil {
				return err
			}
			if find(reResponse, page) == "" {
				return fmt.Errorf("GET /apps/%s/start: no SAMLResponse", app)
			}
		}
		return nil
	}
	return fmt.Errorf("unknown flow %q", name)
}
