module github.com/trawl-dev/trawl

go 1.24

require (
	github.com/PuerkitoBio/goquery v1.10.1
	github.com/andybalholm/brotli v1.1.1
	github.com/andybalholm/cascadia v1.3.3
	github.com/creack/pty v1.1.24
	github.com/jimsmart/grobotstxt v1.0.3
	github.com/klauspost/compress v1.17.11
	github.com/schollz/progressbar/v3 v3.17.1
	github.com/spf13/cobra v1.8.1
	github.com/spf13/pflag v1.0.5
	golang.org/x/net v0.33.0
	golang.org/x/sync v0.10.0
	golang.org/x/term v0.27.0
	golang.org/x/text v0.21.0
	golang.org/x/time v0.8.0
	gopkg.in/yaml.v3 v3.0.1
)

require (
	github.com/cpuguy83/go-md2man/v2 v2.0.4 // indirect
	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	github.com/mitchellh/colorstring v0.0.0-20190213212951-d06e56a500db // indirect
	github.com/rivo/uniseg v0.4.7 // indirect
	github.com/russross/blackfriday/v2 v2.1.0 // indirect
	golang.org/x/sys v0.28.0 // indirect
)
