package web

import (
	"strings"
	"testing"

	"latentplay/wasm/engine/protocol"
)

func layerSet(acc ...float64) protocol.LayerViewSet {
	names := []string{"input", "hidden 1", "hidden 2", "output"}
	widths := []int{784, 512, 256, 10}
	v := protocol.LayerViewSet{K: 5, Accuracy: 0.986}
	for i, a := range acc {
		v.Layers = append(v.Layers, protocol.LayerView{Name: names[i], Width: widths[i], Accuracy: a})
	}
	return v
}

// The caption states the figures as measured, and explains the output's
// only when it is below the last hidden layer's.
func TestLayerCaption(t *testing.T) {
	dip := layerCaption(layerSet(0.392, 0.507, 0.847, 0.788))
	for _, want := range []string{"rises from 39% at the pixels to 51% after hidden layer 1 and 85% after hidden layer 2", "At the output it is 79%", "no picture of two can show them all", "right for 98.6%"} {
		if !strings.Contains(dip, want) {
			t.Errorf("caption %q lacks %q", dip, want)
		}
	}
	rise := layerCaption(layerSet(0.4, 0.5, 0.6, 0.9))
	if !strings.Contains(rise, "At the output it reaches 90%") || strings.Contains(rise, "no picture of two") {
		t.Errorf("caption %q", rise)
	}
}

func TestStageTitles(t *testing.T) {
	v := layerSet(0.1, 0.2, 0.3, 0.4)
	want := []string{"Input: 784 pixels", "Hidden layer 1: 512 ReLU units", "Hidden layer 2: 256 ReLU units", "Output: 10 logits"}
	for i, s := range v.Layers {
		if got := stageTitle(s); got != want[i] {
			t.Errorf("%q, want %q", got, want[i])
		}
	}
	good := v
	good.Labels = []int{3, 7}
	for i := range good.Layers {
		good.Layers[i].Points = protocol.RowsOf(2, []float32{0, 1, 2, 3})
	}
	if !wellFormed(good) {
		t.Error("two points a picture for two digits refused")
	}
	good.Labels = []int{1}
	if wellFormed(good) {
		t.Error("two points a picture for one digit accepted")
	}
}
