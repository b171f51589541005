package engine

import (
	"fmt"

	"latentplay/core/analysis"
	"latentplay/wasm/engine/protocol"
)

func init() {
	handle(protocol.LayerViews, (*Engine).layerViews)
}

// layerViews shows what each stage of a classifier makes of the first N
// test digits (analysis.LayerViews).
func (e *Engine) layerViews(q protocol.LayerViewsArgs) (protocol.LayerViewSet, error) {
	c, err := e.classifier(q.Slot)
	if err != nil {
		return protocol.LayerViewSet{}, err
	}
	if q.N < 10 || q.N > 10000 {
		return protocol.LayerViewSet{}, fmt.Errorf("%d test digits, want 10..10000", q.N)
	}
	test, err := e.test()
	if err != nil {
		return protocol.LayerViewSet{}, err
	}
	if test.Dim() != c.Inputs() {
		return protocol.LayerViewSet{}, fmt.Errorf("a classifier of %d inputs cannot read %d-pixel digits", c.Inputs(), test.Dim())
	}
	x, ls := test.First(q.N)
	views, acc, err := analysis.LayerViews(c, x, ls, protocol.LayerNeighbours)
	if err != nil {
		return protocol.LayerViewSet{}, err
	}
	out := protocol.LayerViewSet{Labels: ints(ls), K: protocol.LayerNeighbours, Accuracy: acc}
	for _, v := range views {
		out.Layers = append(out.Layers, protocol.LayerView{
			Name: v.Name, Width: v.Width, Points: protocol.BatchOf(v.Points), Explained: v.Explained, Accuracy: v.Accuracy,
		})
	}
	return out, nil
}
