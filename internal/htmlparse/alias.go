package htmlparse

import "golang.org/x/net/html"

// trawl: the forked files name x/net/html's types and constants unqualified,
// as upstream does inside package html. These aliases keep their text as
// upstream's (so x/net updates merge) while every node built is a real
// *html.Node that goquery, cascadia and html.Render take as is.

type (
	Node      = html.Node
	NodeType  = html.NodeType
	Attribute = html.Attribute
	Token     = html.Token
	TokenType = html.TokenType
	Tokenizer = html.Tokenizer
)

const (
	ErrorNode    = html.ErrorNode
	TextNode     = html.TextNode
	DocumentNode = html.DocumentNode
	ElementNode  = html.ElementNode
	CommentNode  = html.CommentNode
	DoctypeNode  = html.DoctypeNode
	RawNode      = html.RawNode

	ErrorToken          = html.ErrorToken
	TextToken           = html.TextToken
	StartTagToken       = html.StartTagToken
	EndTagToken         = html.EndTagToken
	SelfClosingTagToken = html.SelfClosingTagToken
	CommentToken        = html.CommentToken
	DoctypeToken        = html.DoctypeToken
)

// NewTokenizer is html.NewTokenizer.
var NewTokenizer = html.NewTokenizer
