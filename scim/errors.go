package scim

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// Schema URNs.
const (
	UserSchema         = "urn:ietf:params:scim:schemas:core:2.0:User"
	GroupSchema        = "urn:ietf:params:scim:schemas:core:2.0:Group"
	EnterpriseSchema   = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	ErrorSchema        = "urn:ietf:params:scim:api:messages:2.0:Error"
	ListResponseSchema = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	PatchOpSchema      = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
)

// IdC's details for its common errors (AWS-SCIM-013).
const (
	DetailInvalid   = "Request is unparsable, syntactically incorrect, or violates schema."
	DetailDuplicate = "Refused to create a new, duplicate resource."
	DetailAuth      = "Authorization header is invalid or missing."
	DetailSingle    = "Currently list attributes only allow single item"
	DetailInternal  = "Service failed to process the request."
)

// apiError is a refusal the server answers in IdC's error shape. Rule names
// the AWS-SCIM rule behind it, for the provisioning log.
type apiError struct {
	Status int
	Detail string
	Rule   string
}

func (e *apiError) Error() string {
	if e.Rule != "" {
		return e.Rule + ": " + e.Detail
	}
	return e.Detail
}

func invalid(rule, detail string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Detail: detail, Rule: rule}
}

// errorBody is IdC's error shape: the non-standard singular "schema" next to
// "schemas", status as a string, a request id and a timestamp without zone
// (AWS-SCIM-013). The field order is IdC's.
type errorBody struct {
	Schema             []string `json:"schema"`
	Schemas            []string `json:"schemas"`
	Detail             string   `json:"detail"`
	Status             string   `json:"status"`
	ExceptionRequestID string   `json:"exceptionRequestId"`
	TimeStamp          string   `json:"timeStamp"`
}

// IdCTimeStamp formats t as IdC's error timeStamp: "2006-01-02 15:04:05.000", UTC.
func IdCTimeStamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.000") }

func marshalError(status int, detail, requestID string, now time.Time) []byte {
	b, _ := json.Marshal(errorBody{
		Schema:             []string{ErrorSchema},
		Schemas:            []string{ErrorSchema},
		Detail:             detail,
		Status:             strconv.Itoa(status),
		ExceptionRequestID: requestID,
		TimeStamp:          IdCTimeStamp(now),
	})
	return b
}
