package claims

import (
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Tenant describes the Entra tenant the directory belongs to.
type Tenant struct {
	// ID is the tenant id (a GUID in Entra ID); required.
	ID string
	// Issuer is the IdP's issuer, used as identityprovider for members.
	// Default: "https://sts.windows.net/{ID}/", as Entra ID issues.
	Issuer string
	// VerifiedDomains are the tenant's verified domains; a NameID Join
	// transformation may only append one of them.
	VerifiedDomains []string
	// PairwiseSecret keys the pairwise NameID HMAC. Empty means the tenant
	// id is the key, which makes the ids predictable to anyone who knows the
	// tenant, app and user object ids: set a secret outside demos.
	PairwiseSecret []byte
}

// Directory is a validated, immutable set of users and groups with nested
// group membership resolved. It is safe for concurrent use.
type Directory struct {
	tenant    Tenant
	users     []*User
	groups    []*Group
	userByID  map[string]*userInfo
	groupByID map[string]*Group
	// groupIndex is each group's position in groups (directory order).
	groupIndex map[string]int
}

// userInfo is what the engine precomputes per user.
type userInfo struct {
	user     *User
	objectID string
	// direct and all (direct + nested) group memberships by group id.
	direct map[string]bool
	all    map[string]bool
	// allOrdered is all in directory order.
	allOrdered []*Group
}

// NewDirectory validates the users and groups, fills defaults and resolves
// nested group membership. Inputs are copied; the caller may reuse them.
//
// Defaults: a group's ObjectID defaults to its ID; a user without an
// "objectid" attribute gets a UUID derived from the tenant and user ids
// (see [DerivedObjectID]). Every problem found is reported, joined with
// [errors.Join].
func NewDirectory(t Tenant, users []User, groups []Group) (*Directory, error) {
	var errs []error
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("claims: directory: "+format, args...))
	}
	if t.ID == "" {
		fail("tenant id is empty")
	}
	if err := checkXMLText(t.ID); err != nil {
		fail("tenant id: %w", err)
	}
	if t.Issuer == "" {
		t.Issuer = "https://sts.windows.net/" + t.ID + "/"
	}
	if err := checkXMLText(t.Issuer); err != nil {
		fail("tenant issuer: %w", err)
	}
	t.VerifiedDomains = append([]string(nil), t.VerifiedDomains...)
	t.PairwiseSecret = append([]byte(nil), t.PairwiseSecret...)
	for i, d := range t.VerifiedDomains {
		if d == "" || strings.ContainsAny(d, "@/ ") {
			fail("verified domain %d: %q is not a domain name", i+1, d)
		}
		t.VerifiedDomains[i] = strings.ToLower(d)
	}

	d := &Directory{
		tenant:     t,
		userByID:   make(map[string]*userInfo, len(users)),
		groupByID:  make(map[string]*Group, len(groups)),
		groupIndex: make(map[string]int, len(groups)),
	}
	objectIDs := map[string]string{}

	for i := range groups {
		g := groups[i]
		g.MemberOf = append([]string(nil), g.MemberOf...)
		g.AssignedTo = append([]string(nil), g.AssignedTo...)
		where := fmt.Sprintf("group %q", g.ID)
		if g.ID == "" {
			where = fmt.Sprintf("group #%d", i+1)
			fail("%s: id is empty", where)
		}
		if _, dup := d.groupByID[g.ID]; dup {
			fail("%s: duplicate group id", where)
			continue
		}
		if g.ObjectID == "" {
			g.ObjectID = g.ID
		}
		switch g.Kind {
		case "", Security, Distribution:
		default:
			fail("%s: unknown kind %q (want security or distribution)", where, g.Kind)
		}
		for field, v := range map[string]string{"id": g.ID, "object_id": g.ObjectID, "display_name": g.DisplayName,
			"samaccountname": g.SAMAccountName, "netbios_domain": g.NetBIOSDomain, "dns_domain": g.DNSDomain, "sid": g.SID} {
			if err := checkXMLText(v); err != nil {
				fail("%s: %s: %w", where, field, err)
			}
		}
		if other, dup := objectIDs[g.ObjectID]; dup {
			fail("%s: object id %q already used by %s", where, g.ObjectID, other)
		} else {
			objectIDs[g.ObjectID] = where
		}
		gp := &g
		d.groupIndex[g.ID] = len(d.groups)
		d.groups = append(d.groups, gp)
		d.groupByID[g.ID] = gp
	}
	groupIDs := sortedKeys(d.groupByID)
	for _, g := range d.groups {
		for _, p := range g.MemberOf {
			if _, ok := d.groupByID[p]; !ok {
				fail("group %q: member_of: unknown group %q%s", g.ID, p, didYouMean(p, groupIDs))
			}
		}
	}

	ancestors := d.resolveNesting()

	for i := range users {
		u := users[i]
		where := fmt.Sprintf("user %q", u.ID)
		if u.ID == "" {
			where = fmt.Sprintf("user #%d", i+1)
			fail("%s: id is empty", where)
		}
		if _, dup := d.userByID[u.ID]; dup {
			fail("%s: duplicate user id", where)
			continue
		}
		if err := checkXMLText(u.ID); err != nil {
			fail("%s: id: %w", where, err)
		}
		switch u.Type {
		case "", Member, AADGuest, ExternalGuest:
		default:
			fail("%s: unknown type %q (want member, aad_guest or external_guest)%s", where, u.Type,
				didYouMean(string(u.Type), []string{string(Member), string(AADGuest), string(ExternalGuest)}))
		}
		u.Groups = append([]string(nil), u.Groups...)
		u.DirectoryRoles = append([]string(nil), u.DirectoryRoles...)
		for _, r := range u.DirectoryRoles {
			if err := checkXMLText(r); err != nil {
				fail("%s: directory role %q: %w", where, r, err)
			}
		}
		roles := make(map[string][]string, len(u.AppRoles))
		for app, vs := range u.AppRoles {
			for _, v := range vs {
				if err := checkXMLText(v); err != nil {
					fail("%s: app role for %q: %w", where, app, err)
				}
			}
			roles[app] = append([]string(nil), vs...)
		}
		u.AppRoles = roles
		attrs := make(map[string]Values, len(u.Attributes)+1)
		// Entra attribute ids are case-insensitive, and the engine reads
		// them by their lower-case id; free-form names stay as written.
		builtinKey := map[string]string{}
		for _, k := range sortedKeys(u.Attributes) {
			vs := u.Attributes[k]
			if IsUserAttribute(k) {
				lk := strings.ToLower(k)
				if other, dup := builtinKey[lk]; dup {
					fail("%s: attributes %q and %q are both the Entra attribute %q (attribute ids are case-insensitive); keep one", where, other, k, lk)
					continue
				}
				builtinKey[lk] = k
				k = lk
			}
			if k == "" {
				fail("%s: attribute with an empty name", where)
			}
			if err := checkXMLText(k); err != nil {
				fail("%s: attribute name %q: %w", where, k, err)
			}
			for j, v := range vs {
				if err := checkXMLText(v); err != nil {
					fail("%s: attribute %q value %d: %w", where, k, j+1, err)
				}
			}
			attrs[k] = append(Values(nil), vs...)
		}
		if len(attrs["objectid"]) == 0 || attrs["objectid"][0] == "" {
			attrs["objectid"] = Values{DerivedObjectID(t.ID, u.ID)}
		}
		u.Attributes = attrs
		info := &userInfo{user: &u, objectID: attrs["objectid"][0],
			direct: make(map[string]bool, len(u.Groups)), all: map[string]bool{}}
		if other, dup := objectIDs[info.objectID]; dup {
			fail("%s: object id %q already used by %s", where, info.objectID, other)
		} else {
			objectIDs[info.objectID] = where
		}
		for _, gid := range u.Groups {
			if _, ok := d.groupByID[gid]; !ok {
				fail("%s: groups: unknown group %q%s", where, gid, didYouMean(gid, groupIDs))
				continue
			}
			info.direct[gid] = true
			info.all[gid] = true
			for a := range ancestors[gid] {
				info.all[a] = true
			}
		}
		for _, g := range d.groups {
			if info.all[g.ID] {
				info.allOrdered = append(info.allOrdered, g)
			}
		}
		d.users = append(d.users, &u)
		d.userByID[u.ID] = info
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return d, nil
}

// resolveNesting returns, per group id, the ids of every group it is nested
// in, directly or not. Cycles are tolerated (a group is then in itself).
func (d *Directory) resolveNesting() map[string]map[string]bool {
	out := make(map[string]map[string]bool, len(d.groups))
	for _, g := range d.groups {
		seen := map[string]bool{}
		stack := append([]string(nil), g.MemberOf...)
		for len(stack) > 0 {
			id := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			p, ok := d.groupByID[id]
			if !ok || seen[id] {
				continue
			}
			seen[id] = true
			stack = append(stack, p.MemberOf...)
		}
		out[g.ID] = seen
	}
	return out
}

// Tenant returns the tenant with defaults filled.
func (d *Directory) Tenant() Tenant { return d.tenant }

// User returns the user with the given id. The returned user must not be
// modified.
func (d *Directory) User(id string) (*User, bool) {
	info, ok := d.userByID[id]
	if !ok {
		return nil, false
	}
	return info.user, true
}

// Group returns the group with the given id. The returned group must not be
// modified.
func (d *Directory) Group(id string) (*Group, bool) {
	g, ok := d.groupByID[id]
	return g, ok
}

// Users returns all users in the order they were given.
func (d *Directory) Users() []*User { return append([]*User(nil), d.users...) }

// Groups returns all groups in the order they were given.
func (d *Directory) Groups() []*Group { return append([]*Group(nil), d.groups...) }

// MemberOf returns the groups the user belongs to, directly or through
// nesting, in directory order.
func (d *Directory) MemberOf(userID string) []*Group {
	info, ok := d.userByID[userID]
	if !ok {
		return nil
	}
	return append([]*Group(nil), info.allOrdered...)
}

// objectIDNamespace is the RFC 4122 URL namespace, used for derived ids.
var objectIDNamespace = [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}

// DerivedObjectID is the object id given to a user without an "objectid"
// attribute: the RFC 4122 version 5 UUID (SHA-1, URL namespace) of the name
// "urn:samlab:tenant:{tenantID}:user:{userID}". It is stable across runs, so
// pairwise NameIDs stay the same.
func DerivedObjectID(tenantID, userID string) string {
	h := sha1.New()
	h.Write(objectIDNamespace[:])
	h.Write([]byte("urn:samlab:tenant:" + tenantID + ":user:" + userID))
	sum := h.Sum(nil)
	sum[6] = (sum[6] & 0x0f) | 0x50
	sum[8] = (sum[8] & 0x3f) | 0x80
	var b [36]byte
	hex.Encode(b[0:8], sum[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], sum[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], sum[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], sum[8:10])
	b[23] = '-'
	hex.Encode(b[24:], sum[10:16])
	return string(b[:])
}
