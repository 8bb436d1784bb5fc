package idp

import "errors"

// Errors callers test with errors.Is.
var (
	ErrUnknownApp       = errors.New("idp: unknown app")
	ErrUnknownUser      = errors.New("idp: unknown user")
	ErrNotAssigned      = errors.New("idp: user is not assigned to the app")
	ErrACSNotRegistered = errors.New("idp: ACS URL is not registered for the app")
	ErrBlocked          = errors.New("idp: lint found errors; response not issued")
	ErrBadCredentials   = errors.New("idp: wrong user name or password")
)
