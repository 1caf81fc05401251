package ratelimit

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"golang.org/x/time/rate"
)

// minRate is the least rate there is: one request an hour.
const minRate = 1.0 / 3600

// ParseRate parses a rate: "20/s", "300/m", "5000/h", or a bare number per
// second ("2.5"). "0" means no limit and returns 0.
func ParseRate(s string) (rate.Limit, error) {
	t := strings.TrimSpace(s)
	num, unit, hasUnit := strings.Cut(t, "/")
	per := 1.0
	if hasUnit {
		switch strings.ToLower(strings.TrimSpace(unit)) {
		case "s", "sec", "second":
			per = 1
		case "m", "min", "minute":
			per = 60
		case "h", "hour":
			per = 3600
		default:
			return 0, fmt.Errorf("rate %q: unit %q is not s, m or h", s, unit)
		}
	}
	num = strings.TrimSpace(num)
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || num == "" || strings.ContainsAny(num, "xXpPnN_") {
		return 0, fmt.Errorf("rate %q: want a number per second, or N/s, N/m, N/h", s)
	}
	if f < 0 || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, fmt.Errorf("rate %q: must be a finite number >= 0", s)
	}
	r := f / per
	if r < minRate && (f != 0 || strings.Trim(num, "0.") != "") {
		// A rate so small it would hang the run (or round to zero, which
		// would mean "no limit").
		return 0, fmt.Errorf("rate %q: too small; the least is 1/h", s)
	}
	return rate.Limit(r), nil
}
