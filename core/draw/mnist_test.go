package draw_test

import (
	"math"
	"testing"

	"latentplay/core/data"
	"latentplay/core/draw"
)

// mnistTest loads the MNIST test digits; not finding them is a failure
// (`make test` points LATENTPLAY_MNIST_DIR at them for the wasm run too).
func mnistTest(t *testing.T) *data.Set {
	t.Helper()
	if testing.Short() {
		t.Skip("loads MNIST")
	}
	dir, err := data.MNISTDir()
	if err != nil {
		t.Fatal(err)
	}
	_, test, err := data.LoadMNIST(dir)
	if err != nil {
		t.Fatal(err)
	}
	return test
}

// mnistOrNil is the MNIST test set, or nil if it cannot be found.
func mnistOrNil() *data.Set {
	dir, err := data.MNISTDir()
	if err != nil {
		return nil
	}
	_, test, err := data.LoadMNIST(dir)
	if err != nil {
		return nil
	}
	return test
}

// MNIST's own digits are the reference for Centre and Box: their centres of
// mass lie within half a pixel of (14.5, 14.5) in pixel-centre coordinates,
// not of (14, 14), and their ink above 0.1 spans 20 pixels.
func TestMNISTConvention(t *testing.T) {
	test := mnistTest(t)
	const n = 2000
	var sx, sy float64
	for i := range n {
		img := test.Image(i)
		x, y, _ := draw.CentreOfMass(img, draw.Size, draw.Size)
		if math.Abs(x-draw.Centre) > 0.5+1e-4 || math.Abs(y-draw.Centre) > 0.5+1e-4 {
			t.Errorf("MNIST test digit %d: centre of mass (%.3f, %.3f), not within 0.5 of %v", i, x, y, draw.Centre)
		}
		sx += x
		sy += y
		x0, y0, x1, y1 := bbox(img, 0.1)
		if side := max(x1-x0, y1-y0); side < 18 || side > draw.Box {
			t.Errorf("MNIST test digit %d: ink > 0.1 spans %d pixels", i, side)
		}
	}
	t.Logf("mean centre of mass of %d MNIST test digits: (%.3f, %.3f)", n, sx/n, sy/n)
}

// Normalising a digit MNIST has already normalised should give it back, up
// to the sub-pixel placement (MNIST's whole-pixel shift left it up to half a
// pixel from Centre, Normalize puts it on Centre) and the crop at Threshold.
func TestNormalizeReproducesMNIST(t *testing.T) {
	test := mnistTest(t)
	const n = 2000
	var sum float64
	clamped := 0
	for i := range n {
		img := test.Image(i)
		out, err := draw.Normalize(img, draw.Size, draw.Size)
		if err != nil {
			t.Fatalf("digit %d: %v", i, err)
		}
		x, y, _ := draw.CentreOfMass(out, draw.Size, draw.Size)
		if x0, y0, x1, y1 := bbox(out, 0); x0 == 0 || y0 == 0 || x1 == draw.Size || y1 == draw.Size {
			clamped++ // moved only as far as it fits (a long top bar on a 5, say)
		} else if math.Abs(x-draw.Centre) > 0.2 || math.Abs(y-draw.Centre) > 0.2 {
			t.Errorf("digit %d: centre of mass (%.3f, %.3f)", i, x, y)
		}
		sum += pearson(img, out)
	}
	mean := sum / n
	t.Logf("mean correlation of %d renormalised MNIST digits with the originals: %.4f; %d touch the field's edge", n, mean, clamped)
	if mean < 0.95 {
		t.Errorf("mean correlation %.4f, want ≥ 0.95", mean)
	}
}
