package output

import "strconv"

// uniqueInputNames renames, in place, the input columns whose name is
// already a column of the CSV, so that no column name repeats: a taken
// NAME becomes input.NAME, and when that is taken too, input.NAME.2,
// input.NAME.3 and so on, the first that is free. Columns are renamed from
// left to right, each against every name before it (taken, and the input
// columns already named), so the header depends only on the names and their
// order. JSON's input object keeps the original keys.
func uniqueInputNames(taken, cols []string) {
	used := make(map[string]bool, len(taken)+len(cols))
	for _, n := range taken {
		used[n] = true
	}
	for i, n := range cols {
		if used[n] {
			alt := "input." + n
			for k := 2; used[alt]; k++ {
				alt = "input." + n + "." + strconv.Itoa(k)
			}
			n = alt
		}
		used[n] = true
		cols[i] = n
	}
}

// inputIndex places a record's input fields in the CSV's input columns.
type inputIndex struct {
	// keys are the input columns' original names, in column order.
	keys []string
	// cols is each name's columns, in order: several when a name repeats
	// (a CSV header or a JSON Lines object may repeat one).
	cols map[string][]int
}

func newInputIndex(keys []string) *inputIndex {
	x := &inputIndex{keys: keys, cols: make(map[string][]int, len(keys))}
	for i, k := range keys {
		x.cols[k] = append(x.cols[k], i)
	}
	return x
}

// fill sets the cells of in's fields in row, which has one cell per input
// column. The n-th field of a name goes to that name's n-th column; fields
// of no column are left out.
func (x *inputIndex) fill(in []InputField, row []string) {
	if x.same(in) { // every CSV row, and JSON Lines with the same keys
		for i, f := range in {
			row[i] = inputCell(f.Raw)
		}
		return
	}
	var seen map[string]int
	for _, f := range in {
		cols := x.cols[f.Key]
		n := 0
		if len(cols) > 1 {
			if seen == nil {
				seen = make(map[string]int)
			}
			n = seen[f.Key]
			seen[f.Key]++
		}
		if n < len(cols) {
			row[cols[n]] = inputCell(f.Raw)
		}
	}
}

// same reports whether in's keys are the columns, in order.
func (x *inputIndex) same(in []InputField) bool {
	if len(in) != len(x.keys) {
		return false
	}
	for i, f := range in {
		if f.Key != x.keys[i] {
			return false
		}
	}
	return true
}

func inputCell(raw []byte) string { return cleanUTF8(rawCell(raw)) }
