package cmd

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// The exit codes of SPEC.md.
const (
	ExitOK          = 0
	ExitError       = 1
	ExitTooManyFail = 2
	ExitSIGINT      = 130
	ExitSIGTERM     = 143
)

// UsageError is a bad flag or argument: exit 1, before any request.
type UsageError struct {
	Flag string
	Err  error
}

func (e *UsageError) Error() string {
	if e.Flag == "" {
		return e.Err.Error()
	}
	return fmt.Sprintf("--%s: %v", e.Flag, e.Err)
}

func (e *UsageError) Unwrap() error { return e.Err }

func usageErr(flag, format string, args ...any) error {
	return &UsageError{Flag: flag, Err: fmt.Errorf(format, args...)}
}

// TooManyFailuresError ends a run that finished with more failed URLs than
// --max-failures allows. Its one line is printed even under -q: a cron
// mail must say why the job failed.
type TooManyFailuresError struct {
	Failed, Max int64
}

func (e *TooManyFailuresError) Error() string {
	return fmt.Sprintf("%d URLs failed, more than --max-failures %d", e.Failed, e.Max)
}

// InterruptedError is a run ended by a signal.
type InterruptedError struct{ Signal os.Signal }

func (e *InterruptedError) Error() string { return "interrupted by " + e.Signal.String() }

// errBrokenPipe is a closed stdout: the reader has what it wanted.
var errBrokenPipe = errors.New("broken pipe")

// ExitCode maps a command's error to its exit code: the one table of them.
func ExitCode(err error) int {
	var (
		tooMany *TooManyFailuresError
		intr    *InterruptedError
	)
	switch {
	case err == nil, errors.Is(err, errBrokenPipe):
		return ExitOK
	case errors.As(err, &tooMany):
		return ExitTooManyFail
	case errors.As(err, &intr):
		if intr.Signal == syscall.SIGTERM {
			return ExitSIGTERM
		}
		return ExitSIGINT
	}
	return ExitError
}

// report prints err once, prefixed trawl:, unless it needs no words.
func report(ios *IOStreams, err error) {
	var intr *InterruptedError
	if err == nil || errors.Is(err, errBrokenPipe) || errors.As(err, &intr) {
		return
	}
	fmt.Fprintf(ios.ErrOut, "trawl: %v\n", err)
}
