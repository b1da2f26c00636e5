package sbom

import (
	"encoding/json"
	"strings"
)

// grypeJSON names the parts of `grype -o json` that the gate reads.
type grypeJSON struct {
	Matches []grypeMatch `json:"matches"`
	Source  struct {
		Type string `json:"type"`
	} `json:"source"`
	Descriptor struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	} `json:"descriptor"`
}

type grypeMatch struct {
	Vulnerability grypeVuln     `json:"vulnerability"`
	Related       []grypeVuln   `json:"relatedVulnerabilities"`
	Artifact      grypeArtifact `json:"artifact"`
}

type grypeArtifact struct {
	Name      string `json:"name"`
	Version   string `json:"version"`
	Type      string `json:"type"`
	PURL      string `json:"purl"`
	Locations []struct {
		Path string `json:"path"`
	} `json:"locations"`
}

type grypeVuln struct {
	ID          string `json:"id"`
	Severity    string `json:"severity"`
	Description string `json:"description"`
	CVSS        []struct {
		Metrics struct {
			BaseScore looseNumber `json:"baseScore"`
		} `json:"metrics"`
	} `json:"cvss"`
	Fix struct {
		Versions []string `json:"versions"`
		State    string   `json:"state"`
	} `json:"fix"`
}

// decodeGrypeJSON reads a Grype JSON report: one match per vulnerability and
// package. The related vulnerabilities Grype lists (the CVE behind a GHSA, the
// NVD record behind a distribution's) are the match's aliases.
//
// Locations: for an image, Grype's paths are inside the image and name no
// file of the repository, so the finding names the package only. For a
// directory or an SBOM of one, a path is relative to the scanned directory,
// with or without a leading slash depending on the Grype version.
func decodeGrypeJSON(data []byte, source string) (*Report, error) {
	if err := requireKey(data, source, "matches", "Grype"); err != nil {
		return nil, err
	}
	var doc grypeJSON
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, jsonError(source, data, err)
	}

	rep := &Report{Format: FormatGrypeJSON, Tool: "grype", Version: doc.Descriptor.Version}
	inImage := strings.EqualFold(doc.Source.Type, "image")
	for _, m := range doc.Matches {
		a := m.Artifact
		p := Package{Name: a.Name, Version: a.Version, PURL: a.PURL,
			Type: PackageType(a.PURL, a.Type)}
		for _, l := range a.Locations {
			if !inImage {
				p.Locations = appendUnique(p.Locations, strings.TrimPrefix(l.Path, "/"))
			}
		}
		rep.Matches = append(rep.Matches, Match{
			Vulnerability: grypeVulnerability(m.Vulnerability, m.Related),
			Package:       p,
		})
	}
	return rep, nil
}

// grypeVulnerability takes the severity Grype states for the match, else the
// first one a related record states (Grype leaves it out for some NVD-only
// matches), and the highest CVSS base score of either as the fallback.
func grypeVulnerability(v grypeVuln, related []grypeVuln) Vulnerability {
	out := Vulnerability{
		ID:          v.ID,
		Severity:    strings.TrimSpace(v.Severity),
		Score:       maxScore(v),
		Description: v.Description,
	}
	if v.Fix.State == "fixed" {
		for _, f := range v.Fix.Versions {
			out.FixedVersions = appendUnique(out.FixedVersions, f)
		}
	}
	for _, r := range related {
		out.Aliases = appendAlias(out.Aliases, out.ID, r.ID)
		out.Severity = firstWord(out.Severity, r.Severity)
		out.Score = max(out.Score, maxScore(r))
		if out.Description == "" {
			out.Description = r.Description
		}
	}
	return out
}

func maxScore(v grypeVuln) float64 {
	var best float64
	for _, c := range v.CVSS {
		if c.Metrics.BaseScore.Set {
			best = max(best, c.Metrics.BaseScore.Value)
		}
	}
	return best
}
