package analysis

import (
	"math/rand/v2"
	"slices"
	"testing"

	"latentplay/core/data"
	"latentplay/core/tensor"
)

// noise is n images of pure noise, labelled i mod 10: their pixels say
// nothing of the class.
func noise(n int) *data.Set {
	rng := rand.New(rand.NewPCG(8, 8))
	s := &data.Set{N: n, Rows: 4, Cols: 4, Pixels: make([]float32, n*16), Labels: make([]uint8, n)}
	for i := range s.Pixels {
		s.Pixels[i] = rng.Float32()
	}
	for i := range s.Labels {
		s.Labels[i] = uint8(i % data.Classes)
	}
	return s
}

// oracle is an encoder that knows each image's class (by its first pixel,
// which is different in every image) and codes it one-hot: a code far
// better than the pixels.
type oracle map[float32]uint8

func (o oracle) Codes(x *tensor.Mat, _ []uint8) (mu, sigma *tensor.Mat) {
	mu = tensor.New(x.Rows, data.Classes)
	for i := range x.Rows {
		mu.Set(i, int(o[x.Row(i)[0]]), 1)
	}
	return mu, tensor.New(x.Rows, data.Classes)
}

// The split takes perClass of each class, all from the second half, the
// same for a seed and different for another; it holds out the first half.
func TestFewLabelSplit(t *testing.T) {
	s := noise(400)
	pick, held, err := FewLabelSplit(s.Labels, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	count := make([]int, data.Classes)
	for _, i := range pick {
		if i < 200 || i >= 400 {
			t.Fatalf("labelled digit %d is not in the second half", i)
		}
		count[s.Labels[i]]++
	}
	for c, n := range count {
		if n != 3 {
			t.Errorf("class %d: %d labelled, want 3", c, n)
		}
	}
	if len(held) != 200 || held[0] != 0 || held[199] != 199 {
		t.Errorf("held out %d digits, %v…", len(held), held[:min(3, len(held))])
	}
	again, _, _ := FewLabelSplit(s.Labels, 3, 1)
	other, _, _ := FewLabelSplit(s.Labels, 3, 2)
	if !slices.Equal(pick, again) || slices.Equal(pick, other) {
		t.Error("the seed does not name the split")
	}
	sevens := slices.Clone(s.Labels)
	for i := 200; i < 400; i++ {
		sevens[i] = 7
	}
	if _, _, err := FewLabelSplit(sevens, 3, 1); err == nil {
		t.Error("a second half of sevens gave no error")
	}
	if _, _, err := FewLabelSplit(s.Labels[:30], 2, 1); err == nil {
		t.Error("15 digits a half gave 20 labelled ones")
	}
}

// Codes that know the class win outright over pixels that do not.
func TestFewLabelsCodesBeatNoise(t *testing.T) {
	s := noise(600)
	o := oracle{}
	for i := range s.N {
		o[s.Image(i)[0]] = s.Labels[i]
	}
	if len(o) != s.N {
		t.Fatal("two images share a first pixel")
	}
	f, err := FewLabels(o, s, 10, 1)
	if err != nil {
		t.Fatal(err)
	}
	if f.Labelled != 100 || f.HeldOut != 300 || f.CodeWidth != data.Classes || f.PixelWidth != 16 {
		t.Errorf("figures %+v", f)
	}
	if f.CodeAccuracy != 1 || !(f.PixelAccuracy < 0.25) {
		t.Errorf("codes %.3f, pixels %.3f: want 1 and about chance (0.1)", f.CodeAccuracy, f.PixelAccuracy)
	}
}
