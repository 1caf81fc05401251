//go:build !race

package extract

// raceSlowdown is how much slower code runs under the race detector, for
// tests with a time bound.
const raceSlowdown = 1
