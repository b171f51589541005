package engine

import (
	"os"
	"testing"

	"latentplay/wasm/engine/protocol"
)

// The shipped classifier's stages on 2,000 test digits: every picture has
// a point a digit; the classes stand further apart after each hidden
// layer than before it, and further at the output than at the pixels.
func TestLayerViews(t *testing.T) {
	e, _ := mnistEngine(t)
	b, err := os.ReadFile("../../static/models/mlp.lpm")
	if err != nil {
		t.Fatal(err)
	}
	load(t, e, "mlp", b)
	const n = 2000
	v := must[protocol.LayerViewSet](t)(Do(e, protocol.LayerViews, protocol.LayerViewsArgs{Slot: "mlp", N: n}))
	if len(v.Labels) != n || v.K != protocol.LayerNeighbours {
		t.Fatalf("%d labels, k = %d", len(v.Labels), v.K)
	}
	names := []string{"input", "hidden 1", "hidden 2", "output"}
	widths := []int{784, 512, 256, 10}
	if len(v.Layers) != len(names) {
		t.Fatalf("%d stages of a 784-512-256-10 network", len(v.Layers))
	}
	for i, l := range v.Layers {
		t.Logf("%-8s %3d wide: %d-NN accuracy %.3f in its 2-D picture (%.0f%% of its variance)", l.Name, l.Width, v.K, l.Accuracy, 100*l.Explained)
		if l.Name != names[i] || l.Width != widths[i] || l.Points.Rows != n || l.Points.Cols != 2 {
			t.Errorf("stage %d: %q, %d wide, %d×%d points", i, l.Name, l.Width, l.Points.Rows, l.Points.Cols)
		}
		if i > 0 && i < len(v.Layers)-1 && !(l.Accuracy > v.Layers[i-1].Accuracy) {
			t.Errorf("%s: %.3f, not above %s's %.3f", l.Name, l.Accuracy, v.Layers[i-1].Name, v.Layers[i-1].Accuracy)
		}
	}
	t.Logf("the classifier's own accuracy on them: %.3f", v.Accuracy)
	if in, out := v.Layers[0].Accuracy, v.Layers[len(v.Layers)-1].Accuracy; !(in < 0.5 && out > 0.7) || !(v.Accuracy > 0.95) {
		t.Errorf("accuracy %.3f at the input, %.3f at the output; the classifier's %.3f", in, out, v.Accuracy)
	}
	for _, bad := range []protocol.LayerViewsArgs{{Slot: "mlp", N: 5}, {Slot: "mlp", N: 10001}, {Slot: "nope", N: 100}} {
		if _, err := Do(e, protocol.LayerViews, bad); err == nil {
			t.Errorf("%+v gave no error", bad)
		}
	}
}
