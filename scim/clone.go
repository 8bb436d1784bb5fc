package scim

// Clone returns a deep copy of u: changing the copy's slices or enterprise
// extension leaves u as it was. Stores hand out clones so that callers never
// share memory with what is kept.
func (u *User) Clone() *User {
	if u == nil {
		return nil
	}
	c := *u
	c.Emails = cloneSlice(u.Emails)
	c.PhoneNumbers = cloneSlice(u.PhoneNumbers)
	c.Roles = cloneSlice(u.Roles)
	c.Addresses = cloneSlice(u.Addresses)
	if u.Enterprise != nil {
		e := *u.Enterprise
		c.Enterprise = &e
	}
	return &c
}

// Clone returns a deep copy of g.
func (g *Group) Clone() *Group {
	if g == nil {
		return nil
	}
	c := *g
	c.Members = cloneSlice(g.Members)
	return &c
}

func cloneSlice[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}

// PrimaryEmail is the value of the email item marked primary, or "" when no
// item is (AWS-SCIM-005 requires the single item to be primary, so a valid
// user's only email is its primary email).
func (u *User) PrimaryEmail() string {
	for _, e := range u.Emails {
		if e.Primary {
			return e.Value
		}
	}
	return ""
}
