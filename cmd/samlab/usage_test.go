package main

import (
	"regexp"
	"strings"
	"testing"
)

// Every flag a command registers is in its usage line: a newcomer reads
// the usage line first (lint's once left out --scim).
func TestUsageLineListsEveryFlag(t *testing.T) {
	// A flag line of flag.PrintDefaults and the indented line under it.
	flagLine := regexp.MustCompile(`(?m)^  -(\S+).*\n(?:\t.*|    .*)?`)
	for _, c := range commands {
		r := samlab(t, "", c.name, "--help")
		usage, _, _ := strings.Cut(r.stdout, "\n")
		if !strings.HasPrefix(usage, "Usage: samlab "+c.name) {
			t.Errorf("%s --help: first line %q is not the usage line", c.name, usage)
			continue
		}
		flags := flagLine.FindAllStringSubmatch(r.stdout, -1)
		if len(flags) == 0 && c.name != "config" && c.name != "import" {
			t.Errorf("%s --help lists no flags:\n%s", c.name, r.stdout)
		}
		for _, f := range flags {
			if strings.Contains(f[0], "accepted and ignored") {
				continue
			}
			if !regexp.MustCompile(`--` + regexp.QuoteMeta(f[1]) + `\b`).MatchString(usage) {
				t.Errorf("%s: flag --%s is missing from the usage line %q", c.name, f[1], usage)
			}
		}
	}
}
