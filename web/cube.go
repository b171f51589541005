package web

import "math"

// The festival cube's geometry, apart from the canvas: where its corners
// and labels fall for a turn of the cube, and the plane drawn between the
// go and stay corners. Pure functions, tested natively.

// cubeView is the cube turned by yaw about the vertical axis x₃ and by
// pitch towards the viewer, on a canvas side pixels square.
type cubeView struct{ yaw, pitch, side float64 }

// project maps a point of the unit cube to canvas pixels.
func (v cubeView) project(x1, x2, x3 float64) (float64, float64) {
	x, y, z := x1-0.5, x2-0.5, x3-0.5
	// x₃ points up on the screen; x₁ and x₂ span the floor.
	cx, cy := x*math.Cos(v.yaw)-y*math.Sin(v.yaw), x*math.Sin(v.yaw)+y*math.Cos(v.yaw)
	up := z*math.Cos(v.pitch) - cy*math.Sin(v.pitch)
	scale := v.side * 0.5
	return v.side/2 + scale*cx, v.side/2 - scale*up
}

// corner is corner r's position (r's bits are x₁x₂x₃).
func (v cubeView) corner(r int) [2]float64 {
	x, y := v.project(float64(r>>2&1), float64(r>>1&1), float64(r&1))
	return [2]float64{x, y}
}

// box is a label's rectangle, centred on its point.
type box struct{ x, y, w, h float64 }

func (b box) hits(c [2]float64, r float64) bool {
	dx := math.Max(math.Abs(c[0]-b.x)-b.w/2, 0)
	dy := math.Max(math.Abs(c[1]-b.y)-b.h/2, 0)
	return dx*dx+dy*dy < r*r
}

func (b box) overlaps(o box) bool {
	return math.Abs(b.x-o.x) < (b.w+o.w)/2 && math.Abs(b.y-o.y) < (b.h+o.h)/2
}

func (b box) inside(side float64) bool {
	return b.x-b.w/2 >= 0 && b.x+b.w/2 <= side && b.y-b.h/2 >= 0 && b.y+b.h/2 <= side
}

// The sizes the labels take on the canvas (13 px type), and a corner's
// dot with its margin.
const (
	cornerLabelW, cornerLabelH = 28.0, 15.0
	axisLabelH                 = 15.0
	dotRadius                  = 14.0
)

// axisNames are the cube's axes, as the canvas writes them.
var axisNames = [3]string{"x₁ weather", "x₂ friend", "x₃ transport"}

// axisLabelW is the width of an axis name at 13 px (about 7 px a letter).
func axisLabelW(name string) float64 { return 7.2 * float64(len([]rune(name))) }

// labels places the eight corners' labels and the three axes' names so
// that none covers a corner's dot or another label: each tries positions
// round its anchor, nearest first, and takes the first that is clear.
func (v cubeView) labels() (corners [8]box, axes [3]box) {
	var dots [8][2]float64
	for r := range 8 {
		dots[r] = v.corner(r)
	}
	var placed []box
	clear := func(b box) bool {
		if !b.inside(v.side) {
			return false
		}
		for _, d := range dots {
			if b.hits(d, dotRadius) {
				return false
			}
		}
		for _, o := range placed {
			if b.overlaps(o) {
				return false
			}
		}
		return true
	}
	place := func(anchor [2]float64, w, h float64) box {
		cx, cy := v.side/2, v.side/2
		out := math.Atan2(anchor[1]-cy, anchor[0]-cx) // away from the cube's centre first
		first := box{anchor[0], anchor[1], w, h}
		for dist := 14.0; dist <= v.side/2; dist += 6 {
			for k := range 16 {
				// 0, +1, −1, +2, −2, … sixteenths of a turn from "outward"
				step := float64((k+1)/2) * math.Pi / 8
				if k%2 == 0 {
					step = -step
				}
				a := out + step
				b := box{anchor[0] + (dist+w/2)*math.Cos(a)*0.7, anchor[1] + (dist+h/2)*math.Sin(a), w, h}
				if dist == 14 && k == 0 {
					first = b
				}
				if clear(b) {
					placed = append(placed, b)
					return b
				}
			}
		}
		placed = append(placed, first)
		return first
	}
	for r := range 8 {
		corners[r] = place(dots[r], cornerLabelW, cornerLabelH)
	}
	for i, name := range axisNames {
		// The middle of the edge from 000 along axis i.
		e := [3]float64{}
		e[i] = 0.5
		x, y := v.project(e[0], e[1], e[2])
		axes[i] = place([2]float64{x, y}, axisLabelW(name), axisLabelH)
	}
	return corners, axes
}

// centredBias is the bias that puts the plane x·w + b = 0 halfway between
// the go corners nearest it and the stay corners nearest it, w kept: the
// plane the perceptron rule's answer stands for, which itself touches the
// go corners (the rule stops at step(0) = 1). ok is false unless the
// plane with w separates the two sets.
func centredBias(w [3]float64, targets []float32) (b float64, ok bool) {
	lowGo, highStay := math.Inf(1), math.Inf(-1)
	for r := range min(len(targets), 8) {
		s := w[0]*float64(r>>2&1) + w[1]*float64(r>>1&1) + w[2]*float64(r&1)
		if targets[r] == 1 {
			lowGo = math.Min(lowGo, s)
		} else {
			highStay = math.Max(highStay, s)
		}
	}
	if math.IsInf(lowGo, 0) || math.IsInf(highStay, 0) || !(lowGo > highStay) {
		return 0, false
	}
	return -(lowGo + highStay) / 2, true
}
