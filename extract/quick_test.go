package extract

import (
	"bytes"
	"os"
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
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		// Bodies reach extraction decoded, as valid UTF-8 (fetch/sniff).
		body = bytes.ToValidUTF8(body, []byte("\uFFFD"))
		title, desc, ok := quickHead(body)
		if !ok {
			return
		}
		ref := viaTree(body)
		if !same(title, ref.Title) || !same(desc, ref.Description) {
			t.Fatalf("quick %q/%q, tree %q/%q", str(title), str(desc), str(ref.Title), str(ref.Description))
		}
	})
}
