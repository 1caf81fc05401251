// Command mangen writes trawl's man pages (cobra's doc package) into the
// folder given as its argument: `make man`.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra/doc"

	"github.com/trawl-dev/trawl/cmd"
)

func main() {
	dir := "man"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "mangen:", err)
		os.Exit(1)
	}
	ios, _, _ := cmd.Test("")
	root := cmd.NewCmdRoot(&cmd.Env{IO: ios, Build: cmd.BuildInfo{Version: "dev"}})
	root.DisableAutoGenTag = true
	header := &doc.GenManHeader{Title: "TRAWL", Section: "1", Source: "trawl", Manual: "trawl manual"}
	if err := doc.GenManTree(root, header, dir); err != nil {
		fmt.Fprintln(os.Stderr, "mangen:", err)
		os.Exit(1)
	}
}
