package saml

import "time"

// Clock tells the current time. The builder asks it once per response, so
// every timestamp in one response derives from a single instant. A nil Clock
// in [Issuer] means the system clock.
type Clock interface {
	Now() time.Time
}

// FixedClock is a [Clock] that always returns the same instant: for tests,
// golden files and `samlab assert --now`.
type FixedClock time.Time

// Now returns the fixed instant.
func (c FixedClock) Now() time.Time { return time.Time(c) }

// buildSystemClock is the default Clock.
type buildSystemClock struct{}

func (buildSystemClock) Now() time.Time { return time.Now() }
