// Command loadserver runs the IdP on the demo tenant for scripts/loadtest.sh:
// it signs alice in through the real login form, writes her session cookie
// to a file, measures the bare RSA-2048 signature time on this machine (the
// baseline the server is compared with), then serves until SIGINT/SIGTERM.
package main

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/signal"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/samlab/samlab/config"
	"github.com/samlab/samlab/idp"
	"github.com/samlab/samlab/web"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18080", "listen address (loopback)")
	cookieFile := flag.String("cookie-file", "", "write the session cookie (name=value) here")
	logFile := flag.String("log", os.DevNull, "structured log output")
	signN := flag.Int("sign-n", 2000, "signatures for the baseline")
	flag.Parse()

	lf, err := os.Create(*logFile)
	if err != nil {
		log.Fatal(err)
	}
	defer lf.Close()
	logger := slog.New(slog.NewTextHandler(lf, nil))

	// The baseline: one RSA-2048 PKCS#1 v1.5 SHA-256 signature, the work
	// every response needs at least once.
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		log.Fatal(err)
	}
	digest := sha256.Sum256([]byte("samlab"))
	key.Sign(rand.Reader, digest[:], crypto.SHA256) // warm up
	start := time.Now()
	for i := 0; i < *signN; i++ {
		if _, err := key.Sign(rand.Reader, digest[:], crypto.SHA256); err != nil {
			log.Fatal(err)
		}
	}
	per := time.Since(start) / time.Duration(*signN)
	cores := runtime.GOMAXPROCS(0)
	fmt.Printf("baseline: rsa-2048 sign %v/op, cores %d, target >= %.0f responses/s (0.75 x cores / sign time)\n",
		per, cores, 0.75*float64(cores)/per.Seconds())
	// The same work on every core at once: what this (possibly shared)
	// machine really delivers.
	var wg sync.WaitGroup
	start = time.Now()
	for c := 0; c < cores; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < *signN/cores; i++ {
				key.Sign(rand.Reader, digest[:], crypto.SHA256)
			}
		}()
	}
	wg.Wait()
	fmt.Printf("baseline: rsa-2048 sign on %d cores in parallel: %.0f signatures/s\n",
		cores, float64(*signN/cores*cores)/time.Since(start).Seconds())

	cfg := config.Demo()
	cfg.IdP.BaseURL = "http://" + *addr
	cfg.IdP.EntityID = cfg.IdP.BaseURL + "/metadata"
	stateDir, err := os.MkdirTemp("", "samlab-loadserver")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(stateDir)
	t, err := idp.New(cfg, idp.Options{StateDir: stateDir, Logger: logger})
	if err != nil {
		log.Fatal(err)
	}
	h, err := web.New(t, web.Options{Logger: logger})
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	srv := web.NewHTTPServer(*addr, h, logger)
	go srv.Serve(ln)

	cookie, err := login("http://"+*addr, "alice", "alice-demo")
	if err != nil {
		log.Fatal(err)
	}
	if *cookieFile != "" {
		if err := os.WriteFile(*cookieFile, []byte(cookie+"\n"), 0o600); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Printf("serving on %s (pid %d)\n", *addr, os.Getpid())

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Shutdown(sctx)
}

// login signs in through the login form and returns "name=value" of the
// session cookie.
func login(base, user, password string) (string, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(base + "/login")
	if err != nil {
		return "", err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="csrf" value="([^"]*)"`).FindSubmatch(body)
	if m == nil {
		return "", fmt.Errorf("no CSRF token on the login page")
	}
	resp, err = c.PostForm(base+"/login", url.Values{"csrf": {string(m[1])}, "username": {user}, "password": {password}})
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return "", fmt.Errorf("login: status %d", resp.StatusCode)
	}
	u, _ := url.Parse(base)
	for _, ck := range jar.Cookies(u) {
		if strings.HasPrefix(ck.Name, "samlab_session") {
			return ck.Name + "=" + ck.Value, nil
		}
	}
	return "", fmt.Errorf("no session cookie after login")
}
