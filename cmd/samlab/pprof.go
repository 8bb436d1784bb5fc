//go:build pprof

// Profiling, only in a binary built with -tags pprof (scripts/soak.sh builds
// one): when SAMLAB_PPROF_ADDR names a loopback address, net/http/pprof is
// served there, on a listener of its own, so a soak can take heap profiles
// of the running server. The default build has no profiling endpoint at all.

package main

import (
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof" // registers /debug/pprof/ on http.DefaultServeMux
	"os"
)

func init() {
	addr := os.Getenv("SAMLAB_PPROF_ADDR")
	if addr == "" {
		return
	}
	host, _, err := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); err != nil || (host != "localhost" && (ip == nil || !ip.IsLoopback())) {
		fmt.Fprintf(os.Stderr, "samlab: SAMLAB_PPROF_ADDR %q: use a loopback host:port, such as 127.0.0.1:6060\n", addr)
		os.Exit(exitUsage)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "samlab: SAMLAB_PPROF_ADDR: %v\n", err)
		os.Exit(exitUsage)
	}
	fmt.Fprintf(os.Stderr, "samlab: pprof on http://%s/debug/pprof/\n", ln.Addr())
	go func() { _ = http.Serve(ln, nil) }() // lives as long as the process
}
