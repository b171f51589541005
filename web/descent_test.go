package web

import (
	"strings"
	"testing"

	worker "latentplay/wasm/engine"
	"latentplay/wasm/engine/protocol"
)

// The lab keeps the raster of the surface it asked one for, each method's
// run by name, and the box the engine gives.
func TestDescentTakesTheAnswer(t *testing.T) {
	d := &Descent{}
	d.OnInit()
	q := d.q
	q.Grid = descentSide
	res, err := worker.Do(worker.New(), protocol.CompareDescent, q)
	if err != nil {
		t.Fatal(err)
	}
	d.take(q, res)
	if d.grid.Rows != descentSide || d.grid.Cols != descentSide || d.gridOf != "neuron" {
		t.Errorf("a %d×%d raster of %q", d.grid.Rows, d.grid.Cols, d.gridOf)
	}
	for _, m := range descentMethods {
		if r, ok := d.runs[m.id]; !ok || r.Path.Rows < 1 {
			t.Errorf("no run of %s", m.id)
		}
	}
	if l := d.mapLabel(); !strings.Contains(l, "x from -6 to 6 and y from -6 to 6") {
		t.Errorf("the map's label: %q", l)
	}
	// A comparison without a raster keeps the one shown.
	q.Grid, q.Seed = 0, 2
	if res, err = worker.Do(worker.New(), protocol.CompareDescent, q); err != nil {
		t.Fatal(err)
	}
	d.take(q, res)
	if d.grid.Rows != descentSide || d.shown.Seed != 2 {
		t.Errorf("after a comparison without a raster: a %d-row raster, seed %d shown", d.grid.Rows, d.shown.Seed)
	}
}
