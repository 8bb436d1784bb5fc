package saml

import (
	"fmt"
	"time"
)

// HumanDuration formats a duration for a message people read. Under a
// second: milliseconds ("250ms"); under two days: Go's form rounded to the
// second ("3m20s", "26h5m0s"); from two days on: days, with the hours while
// under a week ("3 days 4h", "1121 days"), because "26914h45m30s" says
// nothing at a glance. Negative durations keep their sign.
func HumanDuration(d time.Duration) string {
	if d < 0 {
		return "-" + HumanDuration(-d)
	}
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < 48*time.Hour:
		return d.Round(time.Second).String()
	}
	days := int64(d / (24 * time.Hour))
	if hours := int64(d%(24*time.Hour)) / int64(time.Hour); days < 7 && hours > 0 {
		return fmt.Sprintf("%d days %dh", days, hours)
	}
	return fmt.Sprintf("%d days", days)
}

// IsLongDuration reports whether HumanDuration writes d in days: a message
// then gives the date too ("expired 1121 days ago, on 2023-12-01 10:00:00
// UTC").
func IsLongDuration(d time.Duration) bool { return d >= 48*time.Hour || d <= -48*time.Hour }

// HumanTime is the date form those messages use: "2023-12-01 10:00:00 UTC".
func HumanTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") }
