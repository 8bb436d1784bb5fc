package main

import (
	"regexp"
	"strings"
	"testing"
)

// A response captured long ago: verify, lint and inspect say days (with the
// date), never "26914h45m30s".
func TestLongDurationsAreHumanised(t *testing.T) {
	as := samlab(t, "", "assert", "--user", "alice", "--app", "aws", "--now", "2023-12-01T09:55:00Z", "--format", "base64", "--force")
	if as.code != exitOK {
		t.Fatalf("assert: %d %s", as.code, as.stderr)
	}
	md := writeFile(t, "idp.xml", samlab(t, "", "metadata").stdout)
	hours := regexp.MustCompile(`\d{3,}h\d+m`)
	v := samlab(t, as.stdout, "verify", "--metadata", md)
	if v.code != exitFindings || !regexp.MustCompile(`assertion Conditions expired \d+ days ago, on 2023-12-01 10:00:00 UTC`).MatchString(v.stdout) {
		t.Errorf("verify: exit %d\n%s", v.code, v.stdout)
	}
	l := samlab(t, as.stdout, "lint", "--now", "2026-12-07T01:00:00Z")
	if !strings.Contains(l.stdout, "1101 days before 2026-12-07T01:00:00Z") {
		t.Errorf("lint:\n%s", l.stdout)
	}
	i := samlab(t, as.stdout, "inspect")
	if !regexp.MustCompile(`NotOnOrAfter +2023-12-01T10:00:00.000Z \(\d+ days ago\)`).MatchString(i.stdout) {
		t.Errorf("inspect:\n%s", i.stdout)
	}
	for name, out := range map[string]string{"verify": v.stdout, "lint": l.stdout, "inspect": i.stdout} {
		if m := hours.FindString(out); m != "" {
			t.Errorf("%s prints %q", name, m)
		}
	}
}
