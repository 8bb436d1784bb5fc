package provision

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// StateVersion is the version of the state file format.
const StateVersion = 1

// maxStateSize bounds the state file read (10,000 users are about 5 MiB).
const maxStateSize = 256 << 20

// State is what the provisioning job remembers between cycles, like
// Entra's watermark and its cache of target ids: for each object the
// target's id and the attribute values the target holds as far as the job
// knows (what it last sent or found), so an incremental cycle sends only
// differences. It also holds the job's quarantine.
type State struct {
	Version int `json:"version"`
	// Target is the SCIM base URL the state belongs to; a state of
	// another target is not used (the next cycle is an initial one).
	Target string `json:"target"`
	// Cycles counts completed cycles; 0 means the next is the initial one.
	Cycles    int                     `json:"cycles"`
	LastCycle time.Time               `json:"lastCycle,omitzero"`
	Users     map[string]*ObjectState `json:"users"`
	Groups    map[string]*ObjectState `json:"groups"`
	// Escrows counts failures of the current quarantine evaluation series
	// (Entra's escrows), reset when a cycle has no failures.
	Escrows    int         `json:"escrows,omitempty"`
	Quarantine *Quarantine `json:"quarantine,omitempty"`
}

// ObjectState is one provisioned user or group.
type ObjectState struct {
	TargetID string `json:"targetId,omitempty"`
	// Attrs are the values the target holds at the mapped paths.
	Attrs Attrs `json:"attrs,omitempty"`
	// Members are the target ids of a group's members.
	Members []string `json:"members,omitempty"`
	// Disabled says the job set active to false.
	Disabled bool `json:"disabled,omitempty"`
	// Stale lists paths whose source value was removed but which the
	// target keeps (Entra does not clear them).
	Stale []string `json:"stale,omitempty"`
	// Failures counts consecutive failed exports; LastError is IdC's
	// detail of the last one.
	Failures  int    `json:"failures,omitempty"`
	LastError string `json:"lastError,omitempty"`
}

// Quarantine is the job's quarantine, as Graph's synchronizationQuarantine.
type Quarantine struct {
	// Reason is EncounteredQuarantineException (credentials, 404 and
	// other errors that fail every call), EncounteredEscrowProportionThreshold,
	// EncounteredTotalEscrowThreshold or TooManyDeletes.
	Reason       string    `json:"reason"`
	Detail       string    `json:"detail,omitempty"`
	SeriesBegan  time.Time `json:"seriesBegan"`
	CurrentBegan time.Time `json:"currentBegan"`
	NextAttempt  time.Time `json:"nextAttempt"`
	// Disabled says the job stayed in quarantine for four weeks and
	// stopped running.
	Disabled bool `json:"disabled,omitempty"`
}

// NewState returns the empty state of a job that has not run.
func NewState(target string) *State {
	return &State{Version: StateVersion, Target: target, Users: map[string]*ObjectState{}, Groups: map[string]*ObjectState{}}
}

// ReadState decodes a state file. Unknown fields, a newer version and
// trailing data are errors: the file is written by samlab only.
func ReadState(r io.Reader) (*State, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxStateSize+1))
	if err != nil {
		return nil, fmt.Errorf("provision: reading state: %w", err)
	}
	if len(data) > maxStateSize {
		return nil, fmt.Errorf("provision: state file is larger than %d MiB", maxStateSize>>20)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s State
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("provision: state file is not valid: %w (delete it to run an initial cycle)", err)
	}
	if dec.More() {
		return nil, errors.New("provision: state file has data after its JSON object (delete it to run an initial cycle)")
	}
	if s.Version != StateVersion {
		return nil, fmt.Errorf("provision: state file version %d, this samlab reads version %d (delete it to run an initial cycle)", s.Version, StateVersion)
	}
	if s.Users == nil {
		s.Users = map[string]*ObjectState{}
	}
	if s.Groups == nil {
		s.Groups = map[string]*ObjectState{}
	}
	for id, o := range s.Users {
		if o == nil {
			return nil, fmt.Errorf("provision: state file: user %q is null", id)
		}
	}
	for id, o := range s.Groups {
		if o == nil {
			return nil, fmt.Errorf("provision: state file: group %q is null", id)
		}
	}
	return &s, nil
}

// LoadState reads the state file at path; a missing file is the empty
// state of target (an initial cycle).
func LoadState(path, target string) (*State, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return NewState(target), nil
	}
	if err != nil {
		return nil, fmt.Errorf("provision: %w", err)
	}
	defer f.Close()
	s, err := ReadState(f)
	if err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	if s.Target != target {
		// Another target: its ids mean nothing here.
		return NewState(target), nil
	}
	return s, nil
}

// Save writes the state to path atomically: a temporary file in the same
// directory (mode 0600), synced, then renamed over path.
func (s *State) Save(path string) error {
	data, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("provision: %w", err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("provision: %w", err)
	}
	f, err := os.CreateTemp(dir, ".provision-*.tmp")
	if err != nil {
		return fmt.Errorf("provision: %w", err)
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		return fmt.Errorf("provision: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("provision: writing state: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("provision: writing state: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("provision: writing state: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("provision: %w", err)
	}
	ok = true
	return nil
}

// StateFile is the state file name of app's job under dir.
func StateFile(dir, app string) string {
	return filepath.Join(dir, "provision-"+app+".json")
}
