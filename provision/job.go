package provision

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/samlab/samlab/claims"
)

// Scopes ("Scope" on Entra's provisioning blade).
const (
	ScopeAssigned = "assigned" // "Sync only assigned users and groups" (default)
	ScopeAll      = "all"      // "Sync all users and groups"
)

// Defaults, as Entra has them.
const (
	// DefaultInterval is the time between incremental cycles (about 40
	// minutes for the IdC gallery app).
	DefaultInterval = 40 * time.Minute
	// DefaultQuarantineThreshold is the number of failures from which
	// Entra starts to evaluate the escrow proportion (5,000).
	DefaultQuarantineThreshold = 5000
	// DefaultDeletionThreshold is the accidental-deletions threshold (500
	// disables and deletes per cycle).
	DefaultDeletionThreshold = 500
	// DefaultMemberBatch is the most member changes per group PATCH
	// (IdC's limit, AWS-SCIM-012).
	DefaultMemberBatch = 100
)

// Quarantine reasons (Graph's quarantineReason).
const (
	ReasonQuarantineException = "EncounteredQuarantineException"
	ReasonEscrowProportion    = "EncounteredEscrowProportionThreshold"
	ReasonTotalEscrow         = "EncounteredTotalEscrowThreshold"
	ReasonTooManyDeletes      = "TooManyDeletes"
)

// Escrow rules of Entra's quarantine (application-provisioning-quarantine-status.md).
const (
	escrowProportion = 0.40
	escrowTotal      = 40000
	escrowAbsolute   = 60000
	quarantineLimit  = 28 * 24 * time.Hour
)

// Job is one app's provisioning job: its mappings and settings. Build it
// with NewJob.
type Job struct {
	// App is the app's name.
	App string
	// Scope is ScopeAssigned or ScopeAll.
	Scope string
	// Dialect is DialectSCIM (default) or Dialect2017.
	Dialect string
	// QuarantineThreshold is the failure count from which the escrow
	// proportion is evaluated.
	QuarantineThreshold int
	// DeletionThreshold is the most disables and deletes one cycle may
	// send; a negative value turns the check off.
	DeletionThreshold int
	// SkipOutOfScopeDeletions leaves users that leave the scope as they are.
	SkipOutOfScopeDeletions bool
	// MemberBatch is the most member changes per group PATCH.
	MemberBatch int
	// Workers is how many users are exported at once (default 4).
	Workers int
	// PlainGroupMatch leaves excludedAttributes=members out of the GET that
	// matches a group; Entra sends it, and so does samlab by default.
	PlainGroupMatch bool
	// Clock returns the time; nil means time.Now.
	Clock func() time.Time

	mappings []mapping
	filters  []ScopingFilter
}

// Settings configure NewJob. Zero values take the defaults.
type Settings struct {
	App                     string
	Scope                   string
	Dialect                 string
	QuarantineThreshold     int
	DeletionThreshold       int
	SkipOutOfScopeDeletions bool
	MemberBatch             int
	Workers                 int
	PlainGroupMatch         bool
	// ScopingFilters narrow the users in scope (OR-ed; see ScopingFilter).
	ScopingFilters []ScopingFilter
	// Mappings are the attribute mappings; with none of an object kind,
	// the IdC gallery app's defaults for that kind.
	Mappings []Mapping
	Clock    func() time.Time
}

// EffectiveMappings returns ms completed with the gallery defaults: the
// default user mappings when ms has no user mapping, the default group
// mappings when it has no group mapping.
func EffectiveMappings(ms []Mapping) []Mapping {
	hasUser, hasGroup := false, false
	for _, m := range ms {
		if m.Object == ObjectGroup {
			hasGroup = true
		} else {
			hasUser = true
		}
	}
	out := append([]Mapping(nil), ms...)
	if !hasUser {
		out = append(out, DefaultUserMappings()...)
	}
	if !hasGroup {
		out = append(out, DefaultGroupMappings()...)
	}
	return out
}

// NewJob checks the settings and compiles the mappings.
func NewJob(s Settings) (*Job, error) {
	j := &Job{App: s.App, Scope: s.Scope, Dialect: s.Dialect, QuarantineThreshold: s.QuarantineThreshold,
		DeletionThreshold: s.DeletionThreshold, SkipOutOfScopeDeletions: s.SkipOutOfScopeDeletions,
		MemberBatch: s.MemberBatch, Workers: s.Workers, PlainGroupMatch: s.PlainGroupMatch, Clock: s.Clock}
	var errs []error
	if j.Scope == "" {
		j.Scope = ScopeAssigned
	}
	if j.Scope != ScopeAssigned && j.Scope != ScopeAll {
		errs = append(errs, fmt.Errorf("provision: scope %q: write %q or %q", j.Scope, ScopeAssigned, ScopeAll))
	}
	if j.Dialect == "" {
		j.Dialect = DialectSCIM
	}
	if j.Dialect != DialectSCIM && j.Dialect != Dialect2017 {
		errs = append(errs, fmt.Errorf("provision: patch dialect %q: write %q or %q", j.Dialect, DialectSCIM, Dialect2017))
	}
	if j.QuarantineThreshold <= 0 {
		j.QuarantineThreshold = DefaultQuarantineThreshold
	}
	if j.DeletionThreshold == 0 {
		j.DeletionThreshold = DefaultDeletionThreshold
	}
	if j.MemberBatch <= 0 || j.MemberBatch > DefaultMemberBatch {
		j.MemberBatch = DefaultMemberBatch
	}
	if j.Workers <= 0 {
		j.Workers = 4
	}
	if j.Clock == nil {
		j.Clock = time.Now
	}
	ms, err := compileMappings(EffectiveMappings(s.Mappings), func(i int) string {
		return fmt.Sprintf("provision: mapping %d", i+1)
	})
	if err != nil {
		errs = append(errs, err)
	}
	j.mappings = ms
	fs, err := compileScoping(s.ScopingFilters, func(i, k int) string {
		if k < 0 {
			return fmt.Sprintf("provision: scoping filter %d", i+1)
		}
		return fmt.Sprintf("provision: scoping filter %d clause %d", i+1, k+1)
	})
	if err != nil {
		errs = append(errs, err)
	}
	j.filters = fs
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return j, nil
}

// Tenant is the directory a cycle reads: its users and groups.
type Tenant struct {
	Users  []claims.User
	Groups []claims.Group
}

// scope returns the users and groups in the job's scope. Assigned users
// are those with app roles for the app or direct members of a group
// assigned to it (as Entra admits them); assigned groups are those
// assigned to the app. Users must also pass the scoping filters.
func (j *Job) scope(t *Tenant) (users map[string]bool, groups map[string]bool) {
	users, groups = map[string]bool{}, map[string]bool{}
	for _, g := range t.Groups {
		if j.Scope == ScopeAll || slices.Contains(g.AssignedTo, j.App) {
			groups[g.ID] = true
		}
	}
	for _, u := range t.Users {
		in := j.Scope == ScopeAll
		if _, ok := u.AppRoles[j.App]; ok {
			in = true
		}
		for _, g := range u.Groups {
			if groups[g] && j.Scope == ScopeAssigned {
				in = true
			}
		}
		if in && passes(j.filters, UserSource(&u)) {
			users[u.ID] = true
		}
	}
	return users, groups
}
