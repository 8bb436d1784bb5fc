package provision

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/samlab/samlab/aws"
	"github.com/samlab/samlab/scim"
)

// maxResponse bounds a SCIM response body read.
const maxResponse = 4 << 20

// Exchange is one request the job made (or, in a dry run, would make) and
// its answer.
type Exchange struct {
	Method string          `json:"method"`
	Path   string          `json:"path"` // relative to the target URL
	Body   json.RawMessage `json:"body,omitempty"`
	// Status is the HTTP status; 0 when the request was not sent (dry
	// run) or did not get an answer.
	Status   int             `json:"status,omitempty"`
	Response json.RawMessage `json:"response,omitempty"`
	// Error is the SCIM error detail of a failed answer (IdC's "detail"),
	// or the transport error.
	Error string `json:"error,omitempty"`
	// Findings are the AWS lint's findings on the body (dry run only).
	Findings []aws.Finding `json:"findings,omitempty"`
}

// Failed says the exchange did not succeed.
func (x *Exchange) Failed() bool { return x.Error != "" || x.Status >= 300 }

// Reason is what a failure says, as Entra's provisioning log shows the
// target's answer: the status and the detail.
func (x *Exchange) Reason() string {
	if x.Status == 0 {
		return x.Error
	}
	if x.Error != "" {
		return fmt.Sprintf("%d %s", x.Status, x.Error)
	}
	return fmt.Sprintf("%d %s", x.Status, http.StatusText(x.Status))
}

// Client sends SCIM requests to a target, as Entra's provisioning service
// does: bearer token, application/scim+json.
type Client struct {
	// BaseURL is the SCIM endpoint ("Tenant URL"), such as
	// https://scim.us-east-1.amazonaws.com/<tenant>/scim/v2.
	BaseURL string
	// Token is the bearer token ("Secret Token").
	Token string
	// HTTP is the client used; nil means http.DefaultClient.
	HTTP *http.Client
}

// Do sends one request; body (nil for none) is marshalled as JSON. A
// transport error is returned as the error and recorded in the exchange;
// an error status is not an error (look at Exchange.Failed).
func (c *Client) Do(ctx context.Context, method, path string, body any) (*Exchange, error) {
	x := &Exchange{Method: method, Path: path}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return x, fmt.Errorf("provision: %w", err)
		}
		x.Body = b
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(c.BaseURL, "/")+path, rd)
	if err != nil {
		x.Error = err.Error()
		return x, fmt.Errorf("provision: %w", err)
	}
	req.Header.Set("Accept", "application/scim+json")
	if body != nil {
		req.Header.Set("Content-Type", "application/scim+json")
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		x.Error = err.Error()
		return x, fmt.Errorf("provision: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	x.Status = resp.StatusCode
	if err != nil {
		x.Error = err.Error()
		return x, fmt.Errorf("provision: %s %s: reading the answer: %w", method, path, err)
	}
	if len(data) > 0 && json.Valid(data) {
		x.Response = data
	} else if len(data) > 0 {
		b, _ := json.Marshal(string(data))
		x.Response = b
	}
	if resp.StatusCode >= 300 {
		x.Error = errorDetail(data)
		// samlab's own server explains IdC's generic 400 in a header.
		if why := resp.Header.Get(scim.ExplanationHeader); why != "" && why != x.Error {
			x.Error += " (samlab: " + why + ")"
		}
	}
	return x, nil
}

// errorDetail reads the detail of a SCIM error body.
func errorDetail(data []byte) string {
	var e struct {
		Detail string `json:"detail"`
	}
	if json.Unmarshal(data, &e) == nil && e.Detail != "" {
		return e.Detail
	}
	s := strings.TrimSpace(string(data))
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

// filterPath is the list request that matches on attr eq value.
func filterPath(collection, attr, value string) string {
	f := fmt.Sprintf("%s eq %s", attr, quoteFilter(value))
	return "/" + collection + "?filter=" + url.QueryEscape(f)
}

func quoteFilter(v string) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// listResult reads a ListResponse: the first resource and the total.
func listResult(x *Exchange) (map[string]any, int, error) {
	var lr struct {
		TotalResults int              `json:"totalResults"`
		Resources    []map[string]any `json:"Resources"`
	}
	if err := json.Unmarshal(x.Response, &lr); err != nil {
		return nil, 0, fmt.Errorf("the target's list answer is not a SCIM ListResponse: %v", err)
	}
	if len(lr.Resources) == 0 {
		return nil, lr.TotalResults, nil
	}
	return lr.Resources[0], max(lr.TotalResults, len(lr.Resources)), nil
}

// resourceID reads "id" from a resource answer.
func resourceID(x *Exchange) (string, error) {
	var r struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(x.Response, &r); err != nil || r.ID == "" {
		return "", errors.New("the target's answer has no id")
	}
	return r.ID, nil
}
