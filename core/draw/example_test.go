package draw_test

import (
	"fmt"

	"latentplay/core/draw"
)

// A drawing pad keeps its ink in Go, paints pointer moves with Stroke, and
// hands the ink to Normalize for the model (or, with a canvas's own pixels,
// calls FromRGBA).
func Example() {
	const w, h = 280, 280
	ink := make([]float32, w*h)
	// A "7" drawn small in the top-left corner with a 10-px brush.
	draw.Stroke(ink, w, h, 20, 20, 80, 20, 10)
	draw.Stroke(ink, w, h, 80, 20, 40, 110, 10)

	input, err := draw.Normalize(ink, w, h)
	if err != nil {
		fmt.Println(err)
		return
	}
	x, y, _ := draw.CentreOfMass(input, draw.Size, draw.Size)
	fmt.Printf("%d values, centre of mass (%.1f, %.1f)\n", len(input), x, y)

	pix := make([]byte, 4*len(input)) // for putImageData on a 28×28 canvas
	draw.ToRGBA(input, pix)

	_, err = draw.FromRGBA(make([]byte, 4*w*h), w, h) // an untouched, transparent canvas
	fmt.Println(err)
	// Output:
	// 784 values, centre of mass (14.5, 14.5)
	// draw: the drawing is blank
}
