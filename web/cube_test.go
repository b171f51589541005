package web

import (
	"fmt"
	"math"
	"testing"
)

// At every turn of the cube, no label covers a corner's dot or another
// label, and all stay on the canvas.
func TestCubeLabelsNeverOverlap(t *testing.T) {
	for yaw := -math.Pi; yaw < math.Pi; yaw += math.Pi / 18 {
		for pitch := -1.4; pitch <= 1.4; pitch += 0.2 {
			v := cubeView{yaw: yaw, pitch: pitch, side: cubeSide}
			corners, axes := v.labels()
			all := append(corners[:], axes[:]...)
			at := fmt.Sprintf("yaw %.2f, pitch %.2f", yaw, pitch)
			for i, b := range all {
				if !b.inside(cubeSide) {
					t.Fatalf("%s: label %d leaves the canvas: %+v", at, i, b)
				}
				for r := range 8 {
					if b.hits(v.corner(r), dotRadius) {
						t.Fatalf("%s: label %d covers corner %03b", at, i, r)
					}
				}
				for j := i + 1; j < len(all); j++ {
					if b.overlaps(all[j]) {
						t.Fatalf("%s: labels %d and %d overlap", at, i, j)
					}
				}
			}
		}
	}
}

// The centred plane keeps the rule's w and sits halfway between the
// nearest go and stay corners; a table no plane with w separates has none.
func TestCentredBias(t *testing.T) {
	weather := []float32{0, 0, 0, 0, 1, 1, 1, 1}
	// The rule's answer for Y = x₁: w = (1, 0, 0), b = −1, the plane x₁ = 1
	// on the go corners' face. Centred: x₁ = ½.
	b, ok := centredBias([3]float64{1, 0, 0}, weather)
	if !ok || b != -0.5 {
		t.Fatalf("bias %v (%v), want −0.5", b, ok)
	}
	for r := range 8 {
		s := float64(r>>2&1) + b
		if (s > 0) != (weather[r] == 1) || math.Abs(s) != 0.5 {
			t.Errorf("corner %03b is %v from the plane", r, s)
		}
	}
	xor := []float32{0, 0, 1, 1, 1, 1, 0, 0}
	if _, ok := centredBias([3]float64{1, 1, 0}, xor); ok {
		t.Error("a plane separates XOR")
	}
	if _, ok := centredBias([3]float64{1, 0, 0}, []float32{1, 1, 1, 1, 1, 1, 1, 1}); ok {
		t.Error("a table without stay corners has a plane between the sets")
	}
}
