package provision

import (
	"strings"

	"github.com/samlab/samlab/claims"
)

// Source is one user or group as the provisioning service reads it from
// the directory: its attributes by Entra name, looked up case-insensitively.
// It is the expression evaluator's input.
type Source struct {
	// Kind is ObjectUser or ObjectGroup.
	Kind string
	// ID is the tenant's id of the object (the user's login name, the
	// group's id): the key of the state file.
	ID    string
	attrs map[string][]string // lower-case name -> values
}

// Attribute returns the values of the named attribute.
func (s *Source) Attribute(name string) ([]string, bool) {
	v, ok := s.attrs[strings.ToLower(name)]
	if !ok || len(v) == 0 {
		return nil, false
	}
	return v, true
}

// SoftDeleted says whether the user is disabled or soft-deleted in the
// directory (accountEnabled false), Entra's IsSoftDeleted.
func (s *Source) SoftDeleted() bool {
	v, _ := s.Attribute("IsSoftDeleted")
	return len(v) == 1 && v[0] == "True"
}

// UserSource reads a tenant user as Entra's provisioning service does:
//   - userPrincipalName of a B2B guest ("alias_theirdomain#EXT#@yourdomain")
//     is the original alias@theirdomain; originalUserPrincipalName keeps
//     the full one (how-provisioning-works.md, B2B users);
//   - IsSoftDeleted is "True" when accountenabled is false;
//   - userType is "Member" or "Guest"; objectId defaults to the id.
func UserSource(u *claims.User) *Source {
	s := &Source{Kind: ObjectUser, ID: u.ID, attrs: map[string][]string{}}
	for k, v := range u.Attributes {
		if len(v) > 0 {
			s.attrs[strings.ToLower(k)] = append([]string(nil), v...)
		}
	}
	if upn, ok := s.attrs["userprincipalname"]; ok && len(upn) == 1 {
		s.attrs["originaluserprincipalname"] = upn
		if i := strings.Index(upn[0], "#EXT#"); i > 0 {
			alias := upn[0][:i]
			if j := strings.LastIndexByte(alias, '_'); j > 0 {
				alias = alias[:j] + "@" + alias[j+1:]
			}
			s.attrs["userprincipalname"] = []string{alias}
		}
	}
	soft := "False"
	if v, ok := s.attrs["accountenabled"]; ok && len(v) == 1 && strings.EqualFold(v[0], "false") {
		soft = "True"
	}
	s.attrs["issoftdeleted"] = []string{soft}
	if _, ok := s.attrs["objectid"]; !ok {
		s.attrs["objectid"] = []string{u.ID}
	}
	typ := "Member"
	if u.Type == claims.AADGuest || u.Type == claims.ExternalGuest {
		typ = "Guest"
	}
	s.attrs["usertype"] = []string{typ}
	return s
}

// GroupSource reads a tenant group: displayName, objectId (the object_id,
// or the id) and members (the ids of the users that are direct members,
// resolved to target ids by the cycle).
func GroupSource(g *claims.Group, members []string) *Source {
	s := &Source{Kind: ObjectGroup, ID: g.ID, attrs: map[string][]string{}}
	name := g.DisplayName
	if name == "" {
		name = g.ID
	}
	s.attrs["displayname"] = []string{name}
	oid := g.ObjectID
	if oid == "" {
		oid = g.ID
	}
	s.attrs["objectid"] = []string{oid}
	if len(members) > 0 {
		s.attrs["members"] = append([]string(nil), members...)
	}
	return s
}
