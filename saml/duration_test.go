package saml

import (
	"testing"
	"time"
)

func TestHumanDuration(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"},
		{250*time.Millisecond + 400*time.Microsecond, "250ms"},
		{3*time.Minute + 20*time.Second + 300*time.Millisecond, "3m20s"},
		{-(3*time.Minute + 20*time.Second), "-3m20s"},
		{26*time.Hour + 5*time.Minute, "26h5m0s"},
		{48*time.Hour - time.Second, "47h59m59s"},
		{48 * time.Hour, "2 days"},
		{3*24*time.Hour + 4*time.Hour + 59*time.Minute, "3 days 4h"},
		{8*24*time.Hour + 4*time.Hour, "8 days"},
		{26914*time.Hour + 45*time.Minute + 30*time.Second, "1121 days"},
		{-26914 * time.Hour, "-1121 days"},
	} {
		if got := HumanDuration(tc.d); got != tc.want {
			t.Errorf("HumanDuration(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
	if got := HumanTime(time.Date(2023, 12, 1, 11, 0, 0, 0, time.FixedZone("CET", 3600))); got != "2023-12-01 10:00:00 UTC" {
		t.Errorf("HumanTime = %q", got)
	}
}
