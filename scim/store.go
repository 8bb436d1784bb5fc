package scim

import (
	"context"
	"errors"
	"time"
)

// Sentinel errors a Store returns; the server turns them into IdC's error
// bodies (404 ResourceNotFoundException, 409 ConflictException).
var (
	ErrNotFound = errors.New("scim: resource not found")
	ErrConflict = errors.New("scim: resource already exists")
	// ErrBadCursor: a ListUsers/ListGroups cursor this store did not issue
	// (the server answers 400 ValidationException).
	ErrBadCursor = errors.New("scim: invalid cursor")
)

// User is a user as IAM Identity Center's identity store keeps it: only the
// attributes IdC accepts (AWS-SCIM-007), each multi-valued list holding at
// most one item (AWS-SCIM-004). Empty strings are absent attributes.
type User struct {
	ID                string       `json:"id"`
	ExternalID        string       `json:"externalId,omitempty"`
	UserName          string       `json:"userName"`
	Name              Name         `json:"name"`
	DisplayName       string       `json:"displayName,omitempty"`
	NickName          string       `json:"nickName,omitempty"`
	ProfileURL        string       `json:"profileUrl,omitempty"`
	Title             string       `json:"title,omitempty"`
	UserType          string       `json:"userType,omitempty"`
	PreferredLanguage string       `json:"preferredLanguage,omitempty"`
	Locale            string       `json:"locale,omitempty"`
	Timezone          string       `json:"timezone,omitempty"`
	Active            bool         `json:"active"`
	Emails            []MultiValue `json:"emails,omitempty"`
	PhoneNumbers      []MultiValue `json:"phoneNumbers,omitempty"`
	Roles             []MultiValue `json:"roles,omitempty"`
	Addresses         []Address    `json:"addresses,omitempty"`
	Enterprise        *Enterprise  `json:"enterprise,omitempty"`
	Created           time.Time    `json:"created"`
	LastModified      time.Time    `json:"lastModified"`
}

// Name is the SCIM name complex attribute.
type Name struct {
	Formatted       string `json:"formatted,omitempty"`
	FamilyName      string `json:"familyName,omitempty"`
	GivenName       string `json:"givenName,omitempty"`
	MiddleName      string `json:"middleName,omitempty"`
	HonorificPrefix string `json:"honorificPrefix,omitempty"`
	HonorificSuffix string `json:"honorificSuffix,omitempty"`
}

// MultiValue is one item of emails, phoneNumbers or roles.
type MultiValue struct {
	Value   string `json:"value,omitempty"`
	Type    string `json:"type,omitempty"`
	Primary bool   `json:"primary,omitempty"`
}

// Address is one item of addresses.
type Address struct {
	Formatted     string `json:"formatted,omitempty"`
	StreetAddress string `json:"streetAddress,omitempty"`
	Locality      string `json:"locality,omitempty"`
	Region        string `json:"region,omitempty"`
	PostalCode    string `json:"postalCode,omitempty"`
	Country       string `json:"country,omitempty"`
	Type          string `json:"type,omitempty"`
	Primary       bool   `json:"primary,omitempty"`
}

// Enterprise is the enterprise extension
// (urn:ietf:params:scim:schemas:extension:enterprise:2.0:User).
type Enterprise struct {
	EmployeeNumber string `json:"employeeNumber,omitempty"`
	CostCenter     string `json:"costCenter,omitempty"`
	Organization   string `json:"organization,omitempty"`
	Division       string `json:"division,omitempty"`
	Department     string `json:"department,omitempty"`
	Manager        string `json:"manager,omitempty"` // manager.value
}

// Group is a group as IdC keeps it. Members are user ids.
type Group struct {
	ID           string    `json:"id"`
	ExternalID   string    `json:"externalId,omitempty"`
	DisplayName  string    `json:"displayName"`
	Members      []string  `json:"members,omitempty"`
	Created      time.Time `json:"created"`
	LastModified time.Time `json:"lastModified"`
}

// UserQuery selects users for ListUsers. Every non-empty field must match
// (IdC's filters are eq joined by and, AWS-SCIM-009). userName matches
// case-insensitively, as in IdC.
type UserQuery struct {
	UserName   string
	ExternalID string
	ID         string
	GroupID    string // groups.value eq: users who are members of that group
	ManagerID  string // manager eq
	Count      int    // page size, 1..100
	Cursor     string // opaque cursor from a previous page; "" = first page
}

// GroupQuery selects groups for ListGroups, like UserQuery.
type GroupQuery struct {
	DisplayName string
	ExternalID  string
	ID          string
	MemberID    string // members eq: groups that have that user as a member
	Count       int
	Cursor      string
}

// LogEntry is one SCIM request as the provisioning log keeps it.
type LogEntry struct {
	Seq       int64     `json:"seq"`
	Time      time.Time `json:"time"`
	RequestID string    `json:"requestId"` // exceptionRequestId of the answer
	Client    string    `json:"client"`    // remote address and token label; never the token
	Method    string    `json:"method"`
	Path      string    `json:"path"`
	Status    int       `json:"status"`
	Request   string    `json:"request,omitempty"` // body, bounded
	Response  string    `json:"response,omitempty"`
	Error     string    `json:"error,omitempty"` // IdC's detail for a failure
}

// Token is a bearer token as kept: only a hash, never the token.
type Token struct {
	ID      string    `json:"id"`
	Hash    []byte    `json:"-"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
}

// Store persists provisioned users and groups, tokens and the request log.
// Every method is one transaction: it lands completely or not at all.
// Implementations: the embedded SQLite store (default) and PostgreSQL, for
// several replicas.
type Store interface {
	CreateUser(ctx context.Context, u *User) error // ErrConflict: userName or primary email taken
	GetUser(ctx context.Context, id string) (*User, error)
	// UpdateUser reads the user, lets fn change it and writes it back in
	// one transaction (PATCH, PUT). An error from fn aborts the change.
	UpdateUser(ctx context.Context, id string, fn func(*User) error) (*User, error)
	DeleteUser(ctx context.Context, id string) error // also drops its memberships
	ListUsers(ctx context.Context, q UserQuery) (users []User, nextCursor string, err error)
	CountUsers(ctx context.Context) (int, error)

	CreateGroup(ctx context.Context, g *Group) error // ErrConflict: displayName taken
	GetGroup(ctx context.Context, id string) (*Group, error)
	// UpdateGroup is UpdateUser for groups; member ids that name no user
	// make the update fail with ErrNotFound.
	UpdateGroup(ctx context.Context, id string, fn func(*Group) error) (*Group, error)
	DeleteGroup(ctx context.Context, id string) error
	ListGroups(ctx context.Context, q GroupQuery) (groups []Group, nextCursor string, err error)

	AddToken(ctx context.Context, t Token) error
	Tokens(ctx context.Context) ([]Token, error)
	DeleteToken(ctx context.Context, id string) error

	AppendLog(ctx context.Context, e LogEntry) error
	// Log returns up to limit entries, newest first, with Seq < before
	// (before <= 0: from the newest).
	Log(ctx context.Context, limit int, before int64) ([]LogEntry, error)

	Close() error
}

// LogBatcher is implemented by a store that can append several log entries
// in one transaction. The server's log writer uses it to write a burst of
// requests with one commit instead of one commit per request.
type LogBatcher interface {
	AppendLogs(ctx context.Context, es []LogEntry) error
}
