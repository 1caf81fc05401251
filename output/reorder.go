package output

import "context"

// Reorder holds records that completed ahead of their turn and releases them
// in input (Seq) order. Its memory is bounded by the Window that the input
// stage acquires before it reads an item, not by the list's length.
type Reorder struct {
	next    int64
	pending map[int64]*Record
	window  *Window
}

// NewReorder returns a Reorder that releases one slot of win (may be nil)
// per record it emits.
func NewReorder(win *Window) *Reorder {
	return &Reorder{pending: make(map[int64]*Record), window: win}
}

// Push adds r and emits, in order, every record that is now due.
func (o *Reorder) Push(r *Record, emit func(*Record) error) error {
	if r.Seq != o.next {
		o.pending[r.Seq] = r
		return nil
	}
	for {
		if err := o.emit(r, emit); err != nil {
			return err
		}
		var ok bool
		if r, ok = o.pending[o.next]; !ok {
			return nil
		}
		delete(o.pending, o.next)
	}
}

func (o *Reorder) emit(r *Record, emit func(*Record) error) error {
	o.next = r.Seq + 1
	o.window.Release()
	return emit(r)
}

// Drain emits what is left, in order, skipping the gaps of URLs that never
// completed (an interrupted run), so nothing completed is lost.
func (o *Reorder) Drain(emit func(*Record) error) error {
	for len(o.pending) > 0 {
		min := int64(-1)
		for s := range o.pending {
			if min < 0 || s < min {
				min = s
			}
		}
		r := o.pending[min]
		delete(o.pending, min)
		if err := o.emit(r, emit); err != nil {
			return err
		}
	}
	return nil
}

// Pending is the number of records held back.
func (o *Reorder) Pending() int { return len(o.pending) }

// Window bounds how far the input may run ahead of the oldest record not yet
// written: a counting semaphore of size n.
type Window struct{ slots chan struct{} }

// NewWindow returns a window of n slots.
func NewWindow(n int) *Window { return &Window{slots: make(chan struct{}, n)} }

// Acquire takes a slot, waiting until one is free or ctx ends.
func (w *Window) Acquire(ctx context.Context) error {
	if w == nil {
		return nil
	}
	select {
	case w.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Release frees a slot taken by Acquire.
func (w *Window) Release() {
	if w == nil {
		return
	}
	select {
	case <-w.slots:
	default:
	}
}
