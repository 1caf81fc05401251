package extract

import (
	"bytes"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/trawl-dev/trawl/internal/htmlparse"
)

// viaTree is the reference: a full parse and the tree walk.
func viaTree(body []byte) Result {
	root, _ := htmlparse.Parse(bytes.NewReader(body))
	return Rules(nil).Node(root, nil)
}

func same(a, b *string) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

// FuzzQuickHead holds the tokenizer path to the full parse: for any bytes,
// when quickHead answers, it answers what the tree says.
func FuzzQuickHead(f *testing.F) {
	for _, name := range []string{"malformed.html", "page16k.html"} {
		b, _ := os.ReadFile("../testdata/html/" + name)
		f.Add(b)
	}
	for _, s := range []string{
		"<title>a</title><title>b</title>",
		"<meta name=description content=x><meta name=DESCRIPTION content=y>",
		"<body><p><title>late</title>",
		"<title>unterminated",
		"<svg><title>svg</title></svg><title>real</title>",
		"<noscript><meta name=description content=ns></noscript>",
		"<template><title>t</title></template>",
		"<textarea><title>no</title></textarea><title>yes</title>",
		"<title>a &amp; b\x00 c</title>",
		"<meta name=description content=a content=b>",
		"<table><title>in table</title></table>",
		"<!-- <title>c</title> --><title>d</title>",
		"<base href=/x/><a href=y>y</a><a href='#f'>f</a><a href=/y>again</a><meta name=robots content=nofollow>",
		"<a href=mailto:x@y><a href=a><a href=b></a>",
		"<meta name=TRAWL content=none><a href=//h.example/p>",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		// Bodies reach extraction decoded, as valid UTF-8 (fetch/sniff).
		body = bytes.ToValidUTF8(body, []byte("\uFFFD"))
		ref := viaTree(body)
		if title, desc, ok := quickHead(body); ok && (!same(title, ref.Title) || !same(desc, ref.Description)) {
			t.Fatalf("quick %q/%q, tree %q/%q", str(title), str(desc), str(ref.Title), str(ref.Description))
		}
		// A crawl's one pass finds the same title and description, and
		// the links the tree's a[href] give.
		u, _ := url.Parse("https://fuzz.example/d/p")
		tp, ok := pageTokens(body, u, "trawl")
		if !ok {
			return
		}
		if !same(tp.title, ref.Title) || !same(tp.desc, ref.Description) {
			t.Fatalf("pageTokens %q/%q, tree %q/%q", str(tp.title), str(tp.desc), str(ref.Title), str(ref.Description))
		}
		root, _ := htmlparse.Parse(bytes.NewReader(body))
		tree := Rules(nil).node(root, u, "trawl")
		follow, _ := ParseFollow(nil)
		if want := followTree(root, tree.Base, follow); strings.Join(tp.links, " ") != strings.Join(want, " ") {
			t.Fatalf("pageTokens links %q, tree %q", tp.links, want)
		}
		if strings.Join(tp.robots, "|") != strings.Join(tree.Robots, "|") {
			t.Fatalf("pageTokens robots %q, tree %q", tp.robots, tree.Robots)
		}
	})
}
