package azurepolicy

import (
	"encoding/json"
	"fmt"
	"strings"
)

// envelope is where the policy definition was found.
type envelope struct {
	policy      *object // the object inside "ClaimsMappingPolicy"; its where is its path
	displayName string
	notes       []string
}

// maxNesting bounds how deep definitions may be wrapped (a list holding
// an object holding a definition string holding the policy).
const maxNesting = 4

// locate finds the ClaimsMappingPolicy object in any of the shapes Graph and
// PowerShell produce.
func locate(raw json.RawMessage, where string, depth int) (*envelope, error) {
	if depth > maxNesting {
		return nil, fmt.Errorf("%w: definitions nested too deeply at %s", ErrNotPolicy, orInput(where))
	}
	prefix := where
	if prefix != "" {
		prefix += "."
	}
	switch kind(raw) {
	case "an array":
		// PowerShell's ConvertTo-Json writes an array when the cmdlet
		// returned several policies.
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, fmt.Errorf("azurepolicy: %s: %w", orInput(where), err)
		}
		return one(items, strings.TrimSuffix(prefix, "."), depth)
	case "an object":
	default:
		return nil, fmt.Errorf("%w: %s is %s; want {\"ClaimsMappingPolicy\":{...}}, a Graph claimsMappingPolicy object with \"definition\", or a PowerShell export with \"Definition\"", ErrNotPolicy, orInput(where), kind(raw))
	}
	obj, err := newObject(raw, orInput(where))
	if err != nil {
		return nil, fmt.Errorf("azurepolicy: %w", err)
	}
	var errs []error
	name, _ := obj.str(&errs, "displayName")

	if v, key, ok := obj.get("ClaimsMappingPolicy"); ok {
		p, err := newObject(v, prefix+key)
		if err != nil {
			return nil, fmt.Errorf("azurepolicy: %w", err)
		}
		return &envelope{policy: p, displayName: name}, nil
	}
	if v, key, ok := obj.get("definition"); ok {
		env, err := fromDefinition(v, prefix+key, depth)
		if err != nil {
			return nil, err
		}
		if env.displayName == "" {
			env.displayName = name
		}
		return env, nil
	}
	if v, key, ok := obj.get("value"); ok && kind(v) == "an array" {
		// A Graph list response: {"@odata.context":..., "value":[...]}.
		var items []json.RawMessage
		if err := json.Unmarshal(v, &items); err != nil {
			return nil, fmt.Errorf("azurepolicy: %s%s: %w", prefix, key, err)
		}
		return one(items, prefix+key, depth)
	}
	if obj.has("ClaimsSchema", "IncludeBasicClaimSet", "ClaimsTransformations") {
		// The inner object without its wrapper, as some scripts keep it.
		return &envelope{policy: obj, displayName: name,
			notes: []string{orInput(where) + ": no \"ClaimsMappingPolicy\" wrapper; read as the policy itself"}}, nil
	}
	return nil, fmt.Errorf("%w in %s: want {\"ClaimsMappingPolicy\":{...}}, a Graph claimsMappingPolicy object with \"definition\", or a PowerShell export with \"Definition\"", ErrNotPolicy, orInput(where))
}

// fromDefinition reads a Graph/PowerShell "definition": an array of JSON
// strings (what Graph returns), a single JSON string, or the object itself.
func fromDefinition(v json.RawMessage, where string, depth int) (*envelope, error) {
	switch kind(v) {
	case "a string":
		var text string
		if err := json.Unmarshal(v, &text); err != nil {
			return nil, fmt.Errorf("azurepolicy: %s: %w", where, err)
		}
		raw, err := parseJSON([]byte(text), where)
		if err != nil {
			return nil, err
		}
		return locate(raw, where, depth+1)
	case "an array":
		var items []json.RawMessage
		if err := json.Unmarshal(v, &items); err != nil {
			return nil, fmt.Errorf("azurepolicy: %s: %w", where, err)
		}
		var nonEmpty []int
		for i, it := range items {
			if s, err := scalar(it); err == nil && strings.TrimSpace(s) == "" {
				continue
			}
			nonEmpty = append(nonEmpty, i)
		}
		switch len(nonEmpty) {
		case 0:
			return nil, fmt.Errorf("%w: %s is empty", ErrNotPolicy, where)
		case 1:
			i := nonEmpty[0]
			return fromDefinition(items[i], fmt.Sprintf("%s[%d]", where, i), depth+1)
		}
		return nil, fmt.Errorf("%w: %s holds %d definitions; Entra ID reads one per policy", ErrNotPolicy, where, len(nonEmpty))
	case "an object":
		return locate(v, where, depth+1)
	}
	return nil, fmt.Errorf("%w: %s is %s; want an array of JSON strings", ErrNotPolicy, where, kind(v))
}

// one picks the single policy of a list.
func one(items []json.RawMessage, where string, depth int) (*envelope, error) {
	var found []*envelope
	var firstErr error
	for i, it := range items {
		env, err := locate(it, fmt.Sprintf("%s[%d]", where, i), depth+1)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		found = append(found, env)
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		if firstErr != nil {
			return nil, firstErr
		}
		return nil, fmt.Errorf("%w: %s is an empty list", ErrNotPolicy, orInput(where))
	}
	names := make([]string, len(found))
	for i, f := range found {
		names[i] = fmt.Sprintf("%q", f.displayName)
	}
	return nil, fmt.Errorf("%w: %s holds %d policies (%s); export the one to import", ErrNotPolicy, orInput(where), len(found), strings.Join(names, ", "))
}
