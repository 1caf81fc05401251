// Command gen writes trawl's main-text test set: article pages wrapped in
// the chrome of common site templates, each with a JSON file of segments
// that must and must not be extracted. Run from the repository root:
//
//	go run ./extract/testdata/articles/gen
//
// The Go documentation pages are read from $(go env GOROOT)/doc.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

type page struct {
	URL     string   `json:"url"`
	Source  string   `json:"source"`
	With    []string `json:"with"`
	Without []string `json:"without"`
}

func find(name string) body {
	for _, b := range bodies {
		if b.name == name {
			return b
		}
	}
	panic(name)
}

var templates = map[string]template{
	"wordpress":  {"wordpress", wordpress(3), wordpressWithout},
	"wordpress6": {"wordpress", wordpress(6), append(wordpressWithout, "the ticket machine at the island landing only takes coins", "designed for the bigger boat that arrives next year")},
	"drupal":     {"drupal", drupal, drupalWithout},
	"ghost":      {"ghost", ghost, ghostWithout},
	"medium":     {"medium", medium, mediumWithout},
	"news":       {"news", news, newsWithout},
	"news2":      {"news2", news2, news2Without},
	"nosemantic": {"nosemantic", nosemantic, nosemanticWithout},
	"docs":       {"docs", docs, docsWithout},
	"shop":       {"shop", shop, shopWithout},
	"blogspot":   {"blogspot", blogspot, blogspotWithout},
	"elementor":  {"elementor", elementor, elementorWithout},
	"minimal":    {"minimal", minimal, minimalWithout},
}

// pairs are the generated pages: template and article.
var pairs = [][2]string{
	{"wordpress", "chain"}, {"wordpress6", "ferry"}, {"drupal", "packing"}, {"drupal", "rathaus"},
	{"ghost", "sourdough"}, {"ghost", "gotimeout"}, {"medium", "remote"}, {"medium", "interview"},
	{"news", "ferry"}, {"news", "budget"}, {"news", "rathaus"}, {"nosemantic", "lighthouse"},
	{"nosemantic", "faq"}, {"docs", "faq"}, {"shop", "kettle"}, {"blogspot", "crumble"},
	{"blogspot", "marche"}, {"elementor", "garden"}, {"elementor", "pyretry"}, {"wordpress", "packing"},
	{"ghost", "ferry"}, {"medium", "pyretry"}, {"nosemantic", "kettle"}, {"minimal", "budget"},
	{"news2", "remote"}, {"news2", "ferry"}, {"drupal", "gotimeout"}, {"news", "interview"},
}

func main() {
	dir := "extract/testdata/articles"
	if _, err := os.Stat(dir); err != nil {
		fmt.Fprintln(os.Stderr, "run from the repository root")
		os.Exit(1)
	}
	n := 0
	write := func(name, html string, p page) {
		n++
		base := fmt.Sprintf("%02d-%s", n, name)
		must(os.WriteFile(filepath.Join(dir, base+".html"), []byte(html), 0o644))
		j, err := json.MarshalIndent(p, "", "  ")
		must(err)
		must(os.WriteFile(filepath.Join(dir, base+".json"), append(j, '\n'), 0o644))
	}
	for _, pr := range pairs {
		t, b := templates[pr[0]], find(pr[1])
		write(t.name+"-"+b.name, t.render(b), page{
			URL:     "https://" + t.name + ".example/" + b.name + "/",
			Source:  "generated: template " + t.name + ", article " + b.name,
			With:    b.with,
			Without: t.without,
		})
	}
	for _, s := range specials {
		write(s.name, s.html, page{URL: "https://" + s.name + ".example/page.html", Source: "generated: " + s.name, With: s.with, Without: s.without})
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	must(err)
	for _, d := range goDocs {
		raw, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(goroot)), "doc", d.file))
		must(err)
		title := regexp.MustCompile(`"Title": "([^"]*)"`).FindStringSubmatch(string(raw))[1]
		b := body{name: d.name, title: title, lang: "en", html: string(raw)}
		write("docs-"+d.name, docs(b), page{
			URL:     "https://docs.example/ref/" + d.name,
			Source:  "Go distribution doc/" + d.file + " (BSD-3-Clause, see SOURCES.md) in the docs template",
			With:    d.with,
			Without: docsWithout,
		})
	}
	fmt.Println(n, "pages")
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

type goDoc struct {
	name, file string
	with       []string
}

var goDocs = []goDoc{
	{"mem", "go_mem.html", []string{
		"The Go memory model specifies the conditions under which reads of a variable in one goroutine",
		"If you must read the rest of this document to understand the behavior of your program, you are being too clever.",
		"Don't be clever.",
	}},
	{"asm", "asm.html", []string{
		"The assembler is based on the input style of the Plan 9 assemblers",
		"There are four predeclared symbols that refer to pseudo-registers.",
		"println(3)",
	}},
}

type special struct {
	name, html    string
	with, without []string
}

var specials = []special{
	{
		name: "letter-br",
		html: `<html><head><title>Letters from the allotment</title></head><body>
<div id="head"><a href="/">Home</a> - <a href="/letters/">All letters</a> - <a href="/guestbook.php">Guestbook</a></div>
<div id="text">
<b>Letters from the allotment, No. 14</b><br><br>
Dear Hannah,<br><br>
The frost finally came on Tuesday night and took the last of the dahlias, so I spent the morning lifting the tubers and laying them out in the shed to dry.
They smell of earth and something sweeter, like old apples.<br><br>
Mr. Okoye from plot 9 has built a hedgehog house out of pallets and roofing felt, and he checks it every morning with a torch, although he swears he is only looking at the compost.<br><br>
I have saved you a jar of the green tomato chutney. It needs another month in the dark before it is worth eating, which is the hardest instruction in any recipe.<br><br>
With love,<br>Edith
</div>
<div id="foot">Letters are posted as they arrive. Page last changed 3 December.<br>Visitors since 2004: 88213</div>
</body></html>`,
		with:    []string{"took the last of the dahlias", "built a hedgehog house out of pallets and roofing felt", "which is the hardest instruction in any recipe."},
		without: []string{"Letters are posted as they arrive.", "Visitors since 2004", "Guestbook"},
	},
	{
		name: "table-layout",
		html: `<html><head><title>Gerald's Model Railway Pages</title></head>
<body bgcolor="#ffffff"><center><table width="760" border="0" cellpadding="4">
<tr><td colspan="2"><img src="banner.gif" width="760" height="80"><br><font size="1">Welcome to Gerald's Model Railway Pages! Please sign my guestbook before you leave.</font></td></tr>
<tr><td width="150" valign="top" bgcolor="#eeeecc"><font size="2"><a href="index.htm">Home</a><br><a href="layouts.htm">Layouts</a><br><a href="guest.htm">Guestbook</a><br><a href="links.htm">Links</a><br><br>You are visitor number 004711 since March 1998.</font></td>
<td valign="top"><font face="Arial" size="3"><b>Building a turntable from scrap</b><br><br>
The turntable on the Ashcombe layout started life as the lid of a biscuit tin and the motor from a broken cassette player. The bridge is cut from a strip of aluminium angle and rides on a single ball bearing taken from a roller skate.<br><br>
Indexing was the hard part. After several failures I glued a ring of drawing pins around the pit wall, and a phosphor bronze wiper on the bridge clicks into place at each road, which also picks up the current for the rails.<br><br>
The whole job cost less than a new coupling and took three winter evenings. Photographs of the finished turntable are on the layouts page.</font></td></tr>
<tr><td colspan="2" align="center"><font size="1">Best viewed with Netscape Navigator at 800x600. Last updated 14.2.1999</font></td></tr>
</table></center></body></html>`,
		with:    []string{"started life as the lid of a biscuit tin", "I glued a ring of drawing pins around the pit wall", "took three winter evenings"},
		without: []string{"You are visitor number 004711", "Best viewed with Netscape Navigator", "Please sign my guestbook"},
	},
}
