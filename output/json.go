package output

// appendNullable appends s as a JSON string, or null when it is empty.
func appendNullable(b []byte, s string) []byte {
	if s == "" {
		return append(b, "null"...)
	}
	return appendString(b, s)
}

// appendInput appends the input object, its fields in input order.
func appendInput(b []byte, in []InputField) []byte {
	b = append(b, '{')
	for i, f := range in {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, f.Key)
		b = append(b, ':')
		if len(f.Raw) == 0 {
			b = append(b, "null"...)
		} else {
			b = appendValidJSON(b, f.Raw)
		}
	}
	return append(b, '}')
}

// appendStrings appends a JSON array of strings.
func appendStrings(b []byte, ss []string) []byte {
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

// appendExtracted appends the extracted object, one key per extractor.
func appendExtracted(b []byte, xs []Extracted) []byte {
	b = append(b, '{')
	for i, x := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, x.Name)
		b = append(b, ':')
		if len(x.JSON) == 0 {
			b = append(b, "null"...)
		} else {
			b = appendCleanJSON(b, x.JSON)
		}
	}
	return append(b, '}')
}

// appendFields appends fields as the record's JSON object, in their order.
func appendFields(b []byte, fields []Field) []byte {
	b = append(b, '{')
	for i, f := range fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, f.Name)
		b = append(b, ':')
		b = appendValue(b, f.Value)
	}
	return append(b, '}')
}

// appendValue appends a --select value, which is text.
func appendValue(b []byte, v Value) []byte {
	if !v.IsList {
		if v.Str == nil {
			return append(b, "null"...)
		}
		return appendText(b, *v.Str)
	}
	b = append(b, '[')
	for i, s := range v.List {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendText(b, s)
	}
	return append(b, ']')
}

func appendStrPtr(b []byte, s *string) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	return appendString(b, *s)
}
