package models

import (
	"fmt"
	"math"
	"slices"
)

// PlanarFeatures are the inputs a planar network may read from a point
// (x₁, x₂), as TensorFlow Playground offers them: the coordinates, their
// squares and product, and a sine of each. The plane here spans ±1.2, so
// the sines are of πx: about a period across it, as Playground's sin x is
// across its ±6.
var PlanarFeatures = []string{"x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"}

// planarFeature computes one feature of a point.
func planarFeature(name string) (func(x1, x2 float64) float64, error) {
	switch name {
	case "x1":
		return func(x1, _ float64) float64 { return x1 }, nil
	case "x2":
		return func(_, x2 float64) float64 { return x2 }, nil
	case "x1sq":
		return func(x1, _ float64) float64 { return x1 * x1 }, nil
	case "x2sq":
		return func(_, x2 float64) float64 { return x2 * x2 }, nil
	case "x1x2":
		return func(x1, x2 float64) float64 { return x1 * x2 }, nil
	case "sinx1":
		return func(x1, _ float64) float64 { return math.Sin(math.Pi * x1) }, nil
	case "sinx2":
		return func(_, x2 float64) float64 { return math.Sin(math.Pi * x2) }, nil
	}
	return nil, fmt.Errorf("models: no input feature %q (there are %v)", name, PlanarFeatures)
}

// planarFeatures checks a feature list (nil means x₁ and x₂) and returns
// its functions.
func planarFeatures(names []string) ([]func(x1, x2 float64) float64, error) {
	if len(names) == 0 {
		names = PlanarFeatures[:2]
	}
	var fs []func(x1, x2 float64) float64
	for i, name := range names {
		if slices.Contains(names[:i], name) {
			return nil, fmt.Errorf("models: input feature %q twice", name)
		}
		f, err := planarFeature(name)
		if err != nil {
			return nil, err
		}
		fs = append(fs, f)
	}
	return fs, nil
}
