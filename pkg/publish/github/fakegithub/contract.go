// Package fakegithub is a GitHub REST API for tests: an HTTP server on the
// loopback interface that checks every request against GitHub's OpenAPI
// description, keeps the state secgate reads back (comments, reviews, check
// runs, statuses, code scanning uploads) and can answer the way GitHub does
// when things go wrong: pagination, 422 for a line outside the diff, 403 for
// a read-only token or a secondary rate limit, 401 and 5xx.
//
// It is for tests only; nothing in secgate's binary imports it.
package fakegithub

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// supplement adds the few operations secgate calls that the trimmed
// description leaves out; see its x-provenance.
//
//go:embed openapi-supplement.json
var supplement []byte

// Contract checks requests against the OpenAPI description: method and path
// template, path and query parameters, and the request body's required
// fields, types, enums and limits. Beyond the description, it refuses body
// fields the schema does not declare, which catches a misspelt field that
// GitHub would silently ignore.
type Contract struct {
	doc    *openapi3.T
	router routers.Router
}

// LoadContract reads the trimmed description at path, merges the supplement
// into it and serves it at base (the fake's URL, with /api/v3 for GHES).
func LoadContract(path, base string) (*Contract, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read the OpenAPI description: %w", err)
	}
	merged, err := mergeSupplement(data)
	if err != nil {
		return nil, err
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(merged)
	if err != nil {
		return nil, fmt.Errorf("load the OpenAPI description: %w", err)
	}
	doc.Servers = openapi3.Servers{{URL: base}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("route the OpenAPI description: %w", err)
	}
	return &Contract{doc: doc, router: router}, nil
}

func mergeSupplement(data []byte) ([]byte, error) {
	var doc, sup map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("the OpenAPI description is not JSON: %w", err)
	}
	if err := json.Unmarshal(supplement, &sup); err != nil {
		return nil, fmt.Errorf("the OpenAPI supplement is not JSON: %w", err)
	}
	paths, _ := doc["paths"].(map[string]any)
	for p, ops := range sup["paths"].(map[string]any) {
		existing, _ := paths[p].(map[string]any)
		if existing == nil {
			existing = map[string]any{}
			paths[p] = existing
		}
		for method, op := range ops.(map[string]any) {
			existing[method] = op
		}
	}
	return json.Marshal(doc)
}

// Check validates one request and returns every problem found, or nil. The
// request body is read and put back.
func (c *Contract) Check(req *http.Request) []string {
	body, _ := io.ReadAll(req.Body)
	req.Body = io.NopCloser(bytes.NewReader(body))
	defer func() { req.Body = io.NopCloser(bytes.NewReader(body)) }()

	route, params, err := c.router.FindRoute(req)
	if err != nil {
		return []string{fmt.Sprintf("%s %s: no such operation in the description: %v",
			req.Method, req.URL.Path, err)}
	}
	in := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{
			AuthenticationFunc:                openapi3filter.NoopAuthenticationFunc,
			RejectWhenRequestBodyNotSpecified: true,
			MultiError:                        true,
		},
	}
	var problems []string
	if err := openapi3filter.ValidateRequest(req.Context(), in); err != nil {
		problems = append(problems, fmt.Sprintf("%s %s: %v", req.Method,
			route.Operation.OperationID, err))
	}
	if len(body) > 0 && route.Operation.RequestBody != nil {
		problems = append(problems, c.undeclared(route, body)...)
	}
	return problems
}

func (c *Contract) undeclared(route *routers.Route, body []byte) []string {
	media := route.Operation.RequestBody.Value.Content.Get("application/json")
	if media == nil || media.Schema == nil {
		return nil
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return []string{route.Operation.OperationID + ": body is not JSON"}
	}
	var out []string
	walkUndeclared(media.Schema.Value, v, route.Operation.OperationID, &out)
	return out
}

// walkUndeclared reports object keys that the schema (with its anyOf, oneOf
// and allOf branches) does not declare, where it declares properties and
// does not allow others.
func walkUndeclared(s *openapi3.Schema, v any, at string, out *[]string) {
	if s == nil {
		return
	}
	switch x := v.(type) {
	case map[string]any:
		props := declared(s)
		if len(props) == 0 || s.AdditionalProperties.Schema != nil ||
			(s.AdditionalProperties.Has != nil && *s.AdditionalProperties.Has) {
			return
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p, ok := props[k]
			if !ok {
				*out = append(*out, fmt.Sprintf("%s: field %s.%s is not in the description",
					strings.SplitN(at, ".", 2)[0], at, k))
				continue
			}
			walkUndeclared(p, x[k], at+"."+k, out)
		}
	case []any:
		if s.Items != nil {
			for _, item := range x {
				walkUndeclared(s.Items.Value, item, at+"[]", out)
			}
		}
	}
}

func declared(s *openapi3.Schema) map[string]*openapi3.Schema {
	props := map[string]*openapi3.Schema{}
	for k, p := range s.Properties {
		props[k] = p.Value
	}
	for _, group := range []openapi3.SchemaRefs{s.AnyOf, s.OneOf, s.AllOf} {
		for _, ref := range group {
			for k, p := range declared(ref.Value) {
				if _, ok := props[k]; !ok {
					props[k] = p
				}
			}
		}
	}
	return props
}
