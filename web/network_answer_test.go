package web

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	worker "latentplay/wasm/engine"
	"latentplay/wasm/engine/protocol"
)

// The lab reads the engine's answer by its fields: each weight layer's
// weights and biases where the editor and the graph look for them, and
// the layer widths the answer has even where the settings say otherwise
// (a class count left over from the blobs).
func TestNetworkReadsTheAnswer(t *testing.T) {
	n := &Network{}
	n.OnInit()
	q := n.cfg
	q.Dataset, q.Classes, q.Hidden, q.Acts = "xor", 3, []int{3}, []string{"relu"}
	q.Grid, q.Unit = netMapCells, netUnitCells
	q.Edit = &protocol.WeightEdit{Layer: 0, From: 1, To: 2, Value: 2.5}
	e := worker.New()
	s, err := worker.Do(e, protocol.TrainNetwork, q)
	if err != nil {
		t.Fatal(err)
	}
	q.Edit = &protocol.WeightEdit{Layer: 1, From: -1, To: 1, Value: -4}
	if s, err = worker.Do(e, protocol.TrainNetwork, q); err != nil {
		t.Fatal(err)
	}
	n.state, n.shown = &s, q
	if w := n.widths(); !slices.Equal(w, []int{2, 3, 2}) {
		t.Errorf("widths %v, want 2 3 2 (XOR has two classes)", w)
	}
	lw, in, out := n.weights(0)
	if lw == nil || in != 2 || out != 3 || lw.W.Row(1)[2] != 2.5 {
		t.Fatalf("layer 0: %v, %d→%d", lw, in, out)
	}
	n.edit = protocol.WeightEdit{Layer: 1, From: -1, To: 1}
	if e := n.editTarget(); e != n.edit {
		t.Errorf("the editor's target moved to %+v", e)
	}
	if lw, _, _ := n.weights(1); lw == nil || lw.B[1] != -4 {
		t.Errorf("layer 1's bias reads %v", lw)
	}
	// What the pointer reads on the graph, and what a click there edits.
	desc, edit, ok := n.describeHit(netHit{kind: hitEdge, layer: 0, from: 1, to: 2})
	if !ok || desc != "x₂ → unit 1.3: w = 2.500" || edit != (protocol.WeightEdit{Layer: 0, From: 1, To: 2, Value: 2.5}) {
		t.Errorf("the edge x₂ → unit 1.3 reads %q and edits %+v", desc, edit)
	}
	desc, edit, ok = n.describeHit(netHit{kind: hitUnit, layer: 2, to: 1})
	if !ok || desc != "class 2: bias b = -4.000" || edit != (protocol.WeightEdit{Layer: 1, From: -1, To: 1, Value: -4}) {
		t.Errorf("the output class 2 reads %q and edits %+v", desc, edit)
	}
	if desc, _, ok := n.describeHit(netHit{kind: hitUnit, layer: 0, to: 0}); ok || !strings.HasPrefix(desc, "x₁: ") {
		t.Errorf("the input x₁ reads %q and edits a weight (%v)", desc, ok)
	}
	if n.epoch() != 0 || s.Train.Len()+s.Test.Len() != q.N {
		t.Errorf("epoch %d, %d + %d points of %d", n.epoch(), s.Train.Len(), s.Test.Len(), q.N)
	}
}

// Points placed by hand go into the address and come back from it.
func TestNetworkPointsInTheAddress(t *testing.T) {
	n := &Network{}
	n.OnInit()
	n.cfg.Dataset, n.cfg.Classes = "custom", 3
	n.cfg.Points = []protocol.Point{{X: -0.5, Y: 0.25, Class: 0}, {X: 1.1, Y: -1, Class: 2}}
	v, err := url.ParseQuery(n.query().Encode())
	if err != nil {
		t.Fatal(err)
	}
	m := &Network{}
	m.OnInit()
	m.fromQuery(v)
	if !slices.Equal(m.cfg.Points, n.cfg.Points) || m.cfg.Classes != 3 {
		t.Errorf("points %v of %d classes came back as %v of %d", n.cfg.Points, n.cfg.Classes, m.cfg.Points, m.cfg.Classes)
	}
	if i := nearestPoint(m.cfg.Points, 1.08, -0.98, netPick); i != 1 {
		t.Errorf("the point near (1.08, −0.98) is %d, want 1", i)
	}
	if i := nearestPoint(m.cfg.Points, 0, 0, netPick); i != -1 {
		t.Errorf("a point near the origin: %d", i)
	}
}
