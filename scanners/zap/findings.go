package zap

import (
	"fmt"
	"html"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/secgate/secgate/pkg/config"
	"github.com/secgate/secgate/pkg/finding"
	"github.com/secgate/secgate/scanners"
)

// toolName is how findings name ZAP, and so what policy rules match ("zap:10021").
const toolName = "zap"

// maxParams is how many parameter names a finding's message lists.
const maxParams = 5

// options are what the config adds to reading alerts.
type options struct {
	// zap holds the rules file's OUTOFSCOPE lines; nil means none.
	zap *config.ZAP
	// countFalsePositives leaves alerts of confidence 0 unsuppressed.
	countFalsePositives bool
}

func optionsOf(z *config.ZAP) options {
	if z == nil {
		return options{}
	}
	return options{zap: z, countFalsePositives: z.CountFalsePositives}
}

// result turns a decoded report into the adapter's result.
func (rep *report) result(opts options) *scanners.Result {
	program := rep.Program
	if program == "" {
		program = "ZAP"
	}
	res := &scanners.Result{
		Tool: scanners.ToolInfo{Name: toolName, DisplayName: program, Version: rep.Version,
			InformationURI: "https://www.zaproxy.org/"},
		Findings: findings(rep.Alerts, rep.Version, opts),
	}
	instances := 0
	for _, a := range rep.Alerts {
		instances += max(1, len(a.Instances))
	}
	res.Stats.Notes = append(res.Stats.Notes, fmt.Sprintf(
		"zap: %s, %s, %s; %s after merging instances per URL", plural(rep.Sites, "site"),
		plural(len(rep.Alerts), "alert"), plural(instances, "instance"),
		plural(len(res.Findings), "finding")))
	return res
}

func plural(n int, noun string) string {
	if n != 1 {
		noun += "s"
	}
	return strconv.Itoa(n) + " " + noun
}

// group collects the instances of one alert on one URL, which become one
// finding: a scan that saw the same missing header on a page through GET and
// HEAD, or in five parameters, reports one problem at one place.
type group struct {
	alert      *alert
	url        string
	risk       Risk
	confidence Confidence
	methods    []string
	params     []string
	inScope    bool
	scope      *config.ZAPScope
}

func findings(alerts []alert, version string, opts options) []finding.Finding {
	var order []*group
	groups := map[string]*group{}
	for i := range alerts {
		a := &alerts[i]
		insts := a.Instances
		if len(insts) == 0 {
			insts = []instance{{URI: a.Site}}
		}
		for _, in := range insts {
			loc := location(in.URI, a.Site)
			key := a.PluginID + "\x00" + a.Name + "\x00" + loc
			g := groups[key]
			if g == nil {
				g = &group{alert: a, url: loc, risk: a.Risk, confidence: a.Confidence}
				groups[key] = g
				order = append(order, g)
			}
			g.add(a, in, opts)
		}
	}

	out := make([]finding.Finding, 0, len(order))
	for _, g := range order {
		out = append(out, g.finding(version, opts))
	}
	return out
}

// add merges one instance into the group. The group keeps the highest risk
// and confidence its instances state, and is out of scope only when every
// instance is, so that merging never hides anything.
func (g *group) add(a *alert, in instance, opts options) {
	g.risk = max(g.risk, a.Risk)
	g.confidence = max(g.confidence, a.Confidence)
	g.methods = appendNew(g.methods, strings.ToUpper(strings.TrimSpace(in.Method)))
	g.params = appendNew(g.params, strings.TrimSpace(in.Param))

	inScope, scope := true, (*config.ZAPScope)(nil)
	if opts.zap != nil {
		raw := strings.TrimSpace(in.URI)
		if raw == "" {
			raw = a.Site
		}
		inScope, scope = opts.zap.InScope(a.PluginID, a.AlertRef, raw)
	}
	if inScope {
		g.inScope = true
	} else if g.scope == nil {
		g.scope = scope
	}
}

func appendNew(list []string, s string) []string {
	if s == "" || slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

func (g *group) finding(version string, opts options) finding.Finding {
	a := g.alert
	f := finding.Finding{
		Tool:         toolName,
		ToolVersion:  version,
		Rule:         rule(a),
		Severity:     g.risk.Severity(),
		ToolSeverity: g.risk.String(),
		Message:      g.message(),
		Location:     finding.Location{Logical: g.url},
	}
	switch {
	case !g.inScope && g.scope != nil:
		f.Suppressions = []finding.Suppression{{Kind: "external", Justification: fmt.Sprintf(
			"out of scope: %s:%d marks %s OUTOFSCOPE on URLs matching %s",
			g.scope.File, g.scope.Line, strings.Join(g.scope.IDs, ","),
			strings.TrimSuffix(strings.TrimPrefix(g.scope.Pattern.String(), "^(?:"), ")"))}}
	case g.confidence == FalsePositive && !opts.countFalsePositives:
		f.Suppressions = []finding.Suppression{{Kind: "external", Justification: "ZAP rated " +
			"this alert a false positive (confidence 0); count_false_positives: true counts it"}}
	}
	return f
}

// message names the alert and how ZAP saw it, never what it saw: no attack
// and no evidence, which may be a secret.
func (g *group) message() string {
	var parts []string
	if len(g.methods) > 0 {
		parts = append(parts, strings.Join(slices.Sorted(slices.Values(g.methods)), ", "))
	}
	if n := len(g.params); n > 0 {
		params := slices.Sorted(slices.Values(g.params))
		noun := "parameter"
		if n > 1 {
			noun = "parameters"
		}
		list := strings.Join(params[:min(n, maxParams)], ", ")
		if n > maxParams {
			list += fmt.Sprintf(" and %d more", n-maxParams)
		}
		parts = append(parts, noun+" "+list)
	}
	parts = append(parts, "confidence "+strings.ToLower(g.confidence.String()))
	return fmt.Sprintf("%s (%s)", g.alert.Name, strings.Join(parts, "; "))
}

// rule describes ZAP's scan rule. CWE ids become the rule's CWE, WASC ids a
// tag; ZAP writes -1 or 0 for "none".
func rule(a *alert) finding.Rule {
	r := finding.Rule{ID: a.PluginID, Name: a.Name, Security: true,
		HelpURI: "https://www.zaproxy.org/docs/alerts/" + docID(a) + "/"}
	r.Description = plain(a.Desc)
	if s := plain(a.Solution); s != "" {
		r.Description = strings.TrimSpace(r.Description + "\n\nSolution: " + s)
	}
	if n, err := strconv.Atoi(a.CWE); err == nil && n > 0 {
		r.CWE = []string{"CWE-" + strconv.Itoa(n)}
	}
	if n, err := strconv.Atoi(a.WASC); err == nil && n > 0 {
		r.Tags = []string{"WASC-" + strconv.Itoa(n)}
	}
	return r
}

// docID is the id of ZAP's page for the alert: the sub-rule's own page when
// the alertRef names one (10055-4), else the scan rule's.
func docID(a *alert) string {
	if strings.HasPrefix(a.AlertRef, a.PluginID+"-") {
		return a.AlertRef
	}
	return a.PluginID
}

var tags = regexp.MustCompile(`<[^>]*>`)

// plain turns ZAP's HTML descriptions ("<p>...</p>") into plain text.
func plain(s string) string {
	s = strings.ReplaceAll(s, "</p>", "\n")
	s = html.UnescapeString(tags.ReplaceAllString(s, ""))
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// location turns an instance URI into the finding's logical location, one
// per endpoint: the scheme and host in lower case, no default port, no user
// or password, no fragment, and of the query only the parameter names, in
// order. Query values are left out because they may carry a token, and
// because an attack varies them on every request: the scan of one search
// page must not become a hundred findings. net/url reads single-label hosts
// ("http://app:8080/login") and IPv6 literals as well as any other.
func location(raw, site string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		raw = strings.TrimSpace(site)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		// Not a URL ZAP would request; keep it, less any query.
		before, _, _ := strings.Cut(raw, "?")
		return before
	}

	scheme, host, port := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), u.Port()
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	hostport := host
	if port != "" {
		hostport = net.JoinHostPort(host, port)
	} else if strings.Contains(host, ":") {
		hostport = "[" + host + "]"
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	out := scheme + "://" + hostport + path
	if names := queryNames(u.RawQuery); len(names) > 0 {
		out += "?" + strings.Join(names, "&")
	}
	return out
}

// queryNames returns the distinct parameter names of a raw query, sorted,
// as they were written.
func queryNames(q string) []string {
	var names []string
	for _, part := range strings.Split(q, "&") {
		name, _, _ := strings.Cut(part, "=")
		names = appendNew(names, name)
	}
	slices.Sort(names)
	return names
}
