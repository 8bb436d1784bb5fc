package provision

import "github.com/samlab/samlab/claims"

type (
	userT  = claims.User
	groupT = claims.Group
)
