package extract

// Tuning tools for the main-text extractor, all skipped unless their
// environment variable is set: MAINTEXT_DEBUG=FILE (candidates and the
// chosen root), MAINTEXT_WHY=DIR (why each must segment was missed),
// MAINTEXT_LEAKS=DIR (where each leaked must-not segment sits),
// MAINTEXT_SHOW=FILE (the rendered output). DIR holds eval.json as for
// TestMainTextExternal.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func describe(m []mnode, i int32) string {
	if i < 0 {
		return "-"
	}
	n := m[i].n
	c, _ := attrOK(n, "class")
	id, _ := attrOK(n, "id")
	if len(c) > 60 {
		c = c[:60]
	}
	return fmt.Sprintf("#%d <%s id=%q class=%q> text=%d link=%d raw=%d mass=%d flags=%x", i, n.Data, id, c, m[i].text, m[i].link, m[i].raw, m[i].mass, m[i].flags)
}

func TestMainTextDebug(t *testing.T) {
	f := os.Getenv("MAINTEXT_DEBUG")
	if f == "" {
		t.Skip("MAINTEXT_DEBUG not set")
	}
	body, _ := os.ReadFile(f)
	root, _ := html.Parse(bytes.NewReader(body))
	m := buildMirror(root)
	best := bestMarker(m)
	protect(m, best)
	measure(m)
	fmt.Println("best marker:", describe(m, best))
	var cands []int32
	for i := range m {
		if m[i].mass > 0 && m[i].flags&fUnder == 0 {
			cands = append(cands, int32(i))
		}
	}
	sort.Slice(cands, func(a, b int) bool { return m[cands[a]].mass > m[cands[b]].mass })
	for _, c := range cands[:min(6, len(cands))] {
		fmt.Println("cand:", describe(m, c))
	}
	for _, r := range chooseContent(m, best) {
		fmt.Println("root:", describe(m, r))
	}
	var path []string
	if len(cands) > 0 {
		for p := cands[0]; p >= 0; p = m[p].parent {
			path = append(path, describe(m, p))
		}
	}
	fmt.Println(strings.Join(path, "\n  ^ "))
}

// junkWord names what flagged element i as boilerplate.
func junkWord(n *html.Node) string {
	if junkTags[n.DataAtom] || skipTags[n.DataAtom] || n.DataAtom.String() == "header" {
		return "<" + n.Data + ">"
	}
	var out []string
	for _, a := range n.Attr {
		switch a.Key {
		case "class", "id":
			s := strings.ToLower(a.Val)
			for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') }) {
				if junkWords[w]&(fJunk|fHeader) != 0 {
					out = append(out, a.Key+":"+w)
				}
			}
			for _, c := range strings.Fields(s) {
				if hiddenClasses[c] {
					out = append(out, "hidden:"+c)
				}
			}
		case "role", "hidden", "aria-hidden", "style", "itemprop", "itemtype":
			out = append(out, a.Key+"="+a.Val)
		}
	}
	return strings.Join(out, ",")
}

func TestMainTextWhy(t *testing.T) {
	dir := os.Getenv("MAINTEXT_WHY")
	if dir == "" {
		t.Skip("MAINTEXT_WHY not set")
	}
	b, _ := os.ReadFile(dir + "/eval.json")
	var pages []evalPage
	json.Unmarshal(b, &pages)
	reasons := map[string]int{}
	for _, p := range pages {
		body, err := os.ReadFile(dir + "/" + p.File)
		if err != nil {
			continue
		}
		root, _ := html.Parse(bytes.NewReader(body))
		text := mainText(body, p.URL)
		m := buildMirror(root)
		best := bestMarker(m)
		protect(m, best)
		measure(m)
		roots := chooseContent(m, best)
		for _, w := range p.With {
			if strings.Contains(text, w) {
				continue
			}
			key := w
			if len(key) > 12 {
				key = key[:12]
			}
			found := int32(-1)
			for i := range m {
				if m[i].flags&fText != 0 && strings.Contains(m[i].n.Data, key) {
					found = int32(i)
					break
				}
			}
			reason := "not-found-in-tree"
			var hit *html.Node
			var find func(n *html.Node)
			find = func(n *html.Node) {
				for c := n.FirstChild; c != nil && hit == nil; c = c.NextSibling {
					if c.Type == html.TextNode && strings.Contains(c.Data, key) {
						hit = c
					}
					find(c)
				}
			}
			find(root)
			if hit != nil {
				reason = "skipped"
				for q := hit.Parent; q != nil; q = q.Parent {
					if f, _ := classify(q); f&fSkip != 0 {
						reason = "skipped <" + q.Data + "> " + junkWord(q)
						break
					}
				}
			}
			if found >= 0 {
				reason = ""
				for q := m[found].parent; q >= 0; q = m[q].parent {
					if m[q].flags&fSkip != 0 || m[q].flags&(fJunk|fHeader) != 0 && m[q].flags&fKeep == 0 {
						reason = "junk " + junkWord(m[q].n)
						break
					}
				}
				if reason == "" {
					in := false
					for _, r := range roots {
						if contains(m, r, found) {
							in = true
						}
					}
					if in {
						reason = "in-root-filtered"
					} else {
						reason = "outside-root"
						if os.Getenv("V") == "2" {
							var path []string
							for q, k := m[found].parent, 0; q >= 0 && k < 5; q, k = m[q].parent, k+1 {
								c, _ := attrOK(m[q].n, "class")
								id, _ := attrOK(m[q].n, "id")
								if len(c) > 30 {
									c = c[:30]
								}
								path = append(path, fmt.Sprintf("%s.%s#%s(%d)", m[q].n.Data, c, id, m[q].mass))
							}
							var rs []string
							for _, r := range roots {
								rs = append(rs, describe(m, r))
							}
							fmt.Printf("   %q\n   in %s\n   root %s best %v\n", w, strings.Join(path, " < "), strings.Join(rs, ";"), best >= 0)
						}
					}
				}
			}
			reasons[reason]++
			if os.Getenv("V") != "" {
				fmt.Printf("%s: %q %s\n", p.File, w, reason)
			}
		}
	}
	type kv struct {
		k string
		v int
	}
	var kvs []kv
	for k, v := range reasons {
		kvs = append(kvs, kv{k, v})
	}
	sort.Slice(kvs, func(i, j int) bool { return kvs[i].v > kvs[j].v })
	for _, e := range kvs[:min(40, len(kvs))] {
		fmt.Println(e.v, e.k)
	}
}

func TestMainTextLeaks(t *testing.T) {
	dir := os.Getenv("MAINTEXT_LEAKS")
	if dir == "" {
		t.Skip("MAINTEXT_LEAKS not set")
	}
	b, _ := os.ReadFile(dir + "/eval.json")
	var pages []evalPage
	json.Unmarshal(b, &pages)
	for _, p := range pages {
		body, err := os.ReadFile(dir + "/" + p.File)
		if err != nil {
			continue
		}
		text := mainText(body, p.URL)
		root, _ := html.Parse(bytes.NewReader(body))
		m := buildMirror(root)
		for _, w := range p.Without {
			if text == "" || !strings.Contains(text, w) {
				continue
			}
			var path []string
			for i := range m {
				if m[i].flags&fText != 0 && strings.Contains(m[i].n.Data, w) {
					for q, k := m[i].parent, 0; q >= 0 && k < 4; q, k = m[q].parent, k+1 {
						c, _ := attrOK(m[q].n, "class")
						id, _ := attrOK(m[q].n, "id")
						path = append(path, m[q].n.Data+"."+c+"#"+id)
					}
					break
				}
			}
			fmt.Printf("%s: %q %s\n", p.File, w, strings.Join(path, " < "))
		}
	}
}

// TestMainTextShow prints a page's Markdown and text: MAINTEXT_SHOW=FILE.
func TestMainTextShow(t *testing.T) {
	f := os.Getenv("MAINTEXT_SHOW")
	if f == "" {
		t.Skip("MAINTEXT_SHOW not set")
	}
	body, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	text, md := render(t, body, "https://example.org/a/b.html")
	fmt.Printf("%s\n===== text\n%s\n", md, text)
}
