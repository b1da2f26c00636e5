package snyk

import (
	"fmt"
	"slices"
	"strings"

	"github.com/secgate/secgate/pkg/config"
)

// product is one of the things Snyk tests.
type product struct {
	name    string   // as the config's product key names it
	command []string // the snyk subcommand
	// sarif reads --sarif instead of --json: Snyk Code's JSON is SARIF anyway,
	// and asking for SARIF says so.
	sarif bool
}

var products = []product{
	{name: "test", command: []string{"test"}},
	{name: "code", command: []string{"code", "test"}, sarif: true},
	{name: "container", command: []string{"container", "test"}},
	{name: "iac", command: []string{"iac", "test"}},
}

// productOf picks the product the config names; the default is test.
func productOf(cfg config.Scanner) (product, error) {
	name := cfg.Product
	if name == "" {
		name = "test"
	}
	i := slices.IndexFunc(products, func(p product) bool { return p.name == name })
	if i < 0 {
		return product{}, fmt.Errorf("scanners.%s.product: unknown snyk product %q", cfg.Name, name)
	}
	p := products[i]
	if p.name == "container" {
		switch {
		case cfg.Image == "":
			return p, fmt.Errorf("scanners.%s.image: snyk container test needs the image "+
				"to test", cfg.Name)
		case strings.HasPrefix(cfg.Image, "-"):
			return p, fmt.Errorf("scanners.%s.image: %q is not an image name", cfg.Name, cfg.Image)
		}
	}
	return p, nil
}

// arguments builds snyk's command line. The token is not among them, ever:
// the CLI reads it from SNYK_TOKEN. snyk runs in the target directory and
// tests it, so no path is passed.
func (p product) arguments(cfg config.Scanner) []string {
	args := slices.Clone(p.command)
	if p.name == "container" {
		args = append(args, cfg.Image)
	}
	if p.sarif {
		args = append(args, "--sarif")
	} else {
		args = append(args, "--json")
	}
	if cfg.AllProjects && p.name == "test" {
		args = append(args, "--all-projects")
	}
	return append(args, cfg.Args...)
}
