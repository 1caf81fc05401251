//go:build race

package extract

// raceEnabled says the race detector is on; raceSlowdown is how much
// slower code runs under it, for tests with a time bound.
const (
	raceEnabled  = true
	raceSlowdown = 10
)
