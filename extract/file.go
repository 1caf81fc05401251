package extract

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// ParseRulesFile reads a --rules file: one mapping of NAME (NAME[] for a
// list) to SELECTOR[@attr], in YAML or JSON (YAML reads both). The rules
// keep the file's order.
func ParseRulesFile(data []byte) ([]string, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: want a mapping of name to selector", m.Line)
	}
	specs := make([]string, 0, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode || v.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("line %d: want name: selector, as strings", k.Line)
		}
		specs = append(specs, k.Value+"="+v.Value)
	}
	return specs, nil
}

// Merge puts the flag rules after the file's; a flag rule whose name the
// file has too replaces the file's rule in its place ("flags last").
func Merge(file, flags []string) ([]string, error) {
	pos := make(map[string]int, len(file))
	out := append([]string(nil), file...)
	for i, s := range file {
		r, err := ParseRule(s)
		if err != nil {
			return nil, err
		}
		pos[r.Name] = i
	}
	for _, s := range flags {
		r, err := ParseRule(s)
		if err != nil {
			return nil, err
		}
		if i, ok := pos[r.Name]; ok {
			out[i] = s
			delete(pos, r.Name)
			continue
		}
		out = append(out, s)
	}
	return out, nil
}
