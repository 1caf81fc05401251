package cmd

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"

	"github.com/trawl-dev/trawl/input"
	"github.com/trawl-dev/trawl/output"
)

// namedFile is a file the command line names, with the flag that names it.
type namedFile struct {
	flag string // "output", "stats", "rules", "seeds", or "" for an input FILE
	path string
}

func (f namedFile) String() string {
	if f.flag == "" {
		return fmt.Sprintf("input %s", f.path)
	}
	return fmt.Sprintf("--%s %s", f.flag, f.path)
}

// checkDistinct refuses two of files that are one file: the same device
// and inode, so that links and "./x" against "x" count; a path that does
// not exist yet is compared by its directory's identity and its name. It
// runs before anything is opened for writing: `-o list.txt list.txt`
// would otherwise empty the list it reads.
func checkDistinct(files []namedFile) error {
	type id struct {
		info os.FileInfo
		dir  os.FileInfo
		base string
	}
	ids := make([]id, len(files))
	for i, f := range files {
		if fi, err := os.Stat(f.path); err == nil {
			ids[i].info = fi
			continue
		}
		dir, err := os.Stat(filepath.Dir(f.path))
		if err == nil {
			ids[i].dir, ids[i].base = dir, filepath.Base(f.path)
		}
	}
	for i := range files {
		for k := i + 1; k < len(files); k++ {
			if files[i].flag == "" && files[k].flag == "" {
				// Reading one list twice is the user's choice.
				continue
			}
			a, b := ids[i], ids[k]
			same := a.info != nil && b.info != nil && os.SameFile(a.info, b.info) ||
				a.dir != nil && b.dir != nil && a.base == b.base && os.SameFile(a.dir, b.dir)
			if same {
				flag := files[k].flag
				if flag == "" {
					flag = files[i].flag
				}
				return usageErr(flag, "%s and %s are the same file", files[i], files[k])
			}
		}
	}
	return nil
}

// openSources opens the input FILEs ("-" or none: stdin) and returns them
// with a function that closes them. A directory, or anything but a file,
// a pipe or a device, is refused now, before the output is touched.
func openSources(ios *IOStreams, files []string) ([]input.Source, func(), error) {
	if len(files) == 0 {
		files = []string{"-"}
	}
	srcs := make([]input.Source, 0, len(files))
	var opened []*os.File
	closeAll := func() {
		for _, f := range opened {
			f.Close()
		}
	}
	for _, f := range files {
		if f == "-" {
			srcs = append(srcs, input.Source{Name: "stdin", R: ios.In})
			continue
		}
		fh, err := os.Open(f)
		if err == nil {
			var st os.FileInfo
			if st, err = fh.Stat(); err == nil && st.IsDir() {
				err = fmt.Errorf("%s is a directory, not a URL list", f)
			}
			if err != nil {
				fh.Close()
			}
		}
		if err != nil {
			closeAll()
			return nil, nil, fmt.Errorf("open input: %w", err)
		}
		opened = append(opened, fh)
		srcs = append(srcs, input.Source{Name: f, R: fh})
	}
	return srcs, closeAll, nil
}

// outputFile is where records go: stdout, or -o FILE.
type outputFile struct {
	ios      *IOStreams
	path     string
	appendTo bool
}

// blocks reports whether opening the output may wait for someone else: a
// FIFO blocks until a reader opens it. Such an output is opened by the
// writer, where an interrupt can still end the run.
func (o *outputFile) blocks() bool {
	if o.path == "" || o.path == "-" {
		return false
	}
	st, err := os.Stat(o.path)
	return err == nil && st.Mode()&os.ModeNamedPipe != 0
}

// open opens the output, truncating a file (or appending to it, for
// --resume). It is called only once every check has passed.
func (o *outputFile) open() (io.Writer, func() error, error) {
	if o.path == "" || o.path == "-" {
		return o.ios.Out, func() error { return nil }, nil
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if o.appendTo {
		flags = os.O_WRONLY | os.O_CREATE | os.O_APPEND
	}
	f, err := os.OpenFile(o.path, flags, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("open output: %w", err)
	}
	return f, f.Close, nil
}

// checkWritable fails now when the output could not be created later: its
// directory missing or not writable, or the file itself not writable. It
// changes nothing on disk.
func (o *outputFile) checkWritable() error {
	if o.path == "" || o.path == "-" {
		return nil
	}
	if st, err := os.Stat(o.path); err == nil {
		if st.IsDir() {
			return fmt.Errorf("open output %s: it is a directory", o.path)
		}
		if err := syscall.Access(o.path, 2 /* W_OK */); err != nil {
			return fmt.Errorf("open output %s: %w", o.path, err)
		}
		return nil
	}
	return checkDirWritable(o.path, "open output")
}

// checkDirWritable fails when file cannot be created in its directory.
func checkDirWritable(file, what string) error {
	dir := filepath.Dir(file)
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("%s %s: directory %s: %w", what, file, dir, errors.Unwrap(err))
	}
	if !st.IsDir() {
		return fmt.Errorf("%s %s: %s is not a directory", what, file, dir)
	}
	if err := syscall.Access(dir, 2|1 /* W_OK|X_OK */); err != nil {
		return fmt.Errorf("%s %s: directory %s: %w", what, file, dir, err)
	}
	return nil
}

// outputErr names a failed output; a closed pipe is errBrokenPipe.
func outputErr(path string, err error) error {
	if errors.Is(err, syscall.EPIPE) || errors.Is(err, errBrokenPipe) {
		return errBrokenPipe
	}
	var pe *os.PathError
	if path == "" || errors.As(err, &pe) {
		return fmt.Errorf("write output: %w", err)
	}
	return fmt.Errorf("write %s: %w", path, err)
}

// writeStatsFile writes s to path through a temporary file in the same
// directory renamed into place, so the file is never torn: a monitor reads
// the old one or the new one.
func writeStatsFile(path string, s *output.Stats) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("stats: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write stats: %w", err)
	}
	_, werr := f.Write(append(b, '\n'))
	merr := f.Chmod(0o644)
	cerr := f.Close()
	if err := errors.Join(werr, merr, cerr); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("write stats: %w", err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("write stats: %w", err)
	}
	return nil
}
