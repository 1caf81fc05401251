package cmd

import (
	"bytes"
	"io"
	"os"

	"golang.org/x/term"
)

// IOStreams are the process's streams, passed to every command and never
// reached for: records go only to Out; progress, the summary and logs only
// to ErrOut.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	InTTY, OutTTY, ErrTTY bool
	// Getenv reads the environment (NO_COLOR); tests give their own.
	Getenv func(string) string
}

// System returns the streams of the running process.
func System() *IOStreams {
	return &IOStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		InTTY:  term.IsTerminal(int(os.Stdin.Fd())),
		OutTTY: term.IsTerminal(int(os.Stdout.Fd())),
		ErrTTY: term.IsTerminal(int(os.Stderr.Fd())),
		Getenv: os.Getenv,
	}
}

// Test returns in-memory streams: stdin from in, and buffers for stdout and
// stderr. None of them is a terminal.
func Test(in string) (ios *IOStreams, out, errOut *bytes.Buffer) {
	out, errOut = &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{
		In: bytes.NewBufferString(in), Out: out, ErrOut: errOut,
		Getenv: func(string) string { return "" },
	}, out, errOut
}
