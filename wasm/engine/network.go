package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"

	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/wasm/engine/protocol"
)

func init() {
	handle(protocol.TrainNetwork, (*Engine).network)
}

// netLab is the network lab's run and the settings it was built from.
type netLab struct {
	key string
	run *models.PlanarRun
}

// The lab's limits: enough for any 2-D picture, small enough that a chunk
// of training stays a fraction of a second.
const (
	maxLabPoints = 2000
	maxLabEpochs = 1000 // per request
)

// runKey is what defines a run: the settings without this request's
// epochs, pictures and edit.
func runKey(q protocol.Network) string {
	q.Restart, q.Epochs, q.Grid, q.Unit, q.Edit = false, 0, 0, 0, nil
	b, _ := json.Marshal(q)
	return string(b)
}

// checkNetwork refuses settings out of range and fixes the class count of
// the two-class sets.
func checkNetwork(q *protocol.Network) error {
	if q.Dataset != "blobs" && q.Dataset != "custom" {
		q.Classes = 2
	}
	switch {
	case q.Epochs < 0 || q.Epochs > maxLabEpochs:
		return fmt.Errorf("%d epochs in one request, want 0..%d", q.Epochs, maxLabEpochs)
	case q.Grid < 2 || q.Grid > 128 || q.Unit < 2 || q.Unit > 64:
		return fmt.Errorf("maps of %d and %d cells a side, want 2..128 and 2..64", q.Grid, q.Unit)
	case !(q.Noise >= 0 && q.Noise <= 1):
		return fmt.Errorf("noise %g, want 0..1", q.Noise)
	case !(q.TestFrac >= 0 && q.TestFrac <= 0.9):
		return fmt.Errorf("test fraction %g, want 0..0.9", q.TestFrac)
	case q.Batch < 1 || q.Batch > maxLabPoints:
		return fmt.Errorf("batch size %d, want 1..%d", q.Batch, maxLabPoints)
	case q.Dataset != "custom" && (q.N < 10 || q.N > maxLabPoints):
		return fmt.Errorf("%d points, want 10..%d", q.N, maxLabPoints)
	}
	return nil
}

// labPoints makes the run's data set from its seed.
func labPoints(q protocol.Network, rng *rand.Rand) (*data.Points, error) {
	switch q.Dataset {
	case "xor":
		return data.XOR(q.N, q.Noise, rng), nil
	case "circles":
		return data.Circles(q.N, q.Noise, rng), nil
	case "spirals":
		return data.Spirals(q.N, q.Noise, rng), nil
	case "blobs":
		if q.Classes < 2 || q.Classes > 8 {
			return nil, fmt.Errorf("%d blobs, want 2..8", q.Classes)
		}
		// Noise 0 would stack each blob on one point: the spread starts at 0.1.
		return data.Blobs(q.N, q.Classes, 0.1+q.Noise, rng), nil
	case "custom":
		if len(q.Points) > maxLabPoints {
			return nil, fmt.Errorf("%d points, want up to %d", len(q.Points), maxLabPoints)
		}
		if len(q.Points) < 2 {
			return nil, errors.New("place at least two points to train on")
		}
		p := &data.Points{Classes: q.Classes}
		for i, pt := range q.Points {
			if !finite(pt.X, pt.Y) || pt.Class < 0 || pt.Class >= q.Classes {
				return nil, fmt.Errorf("point %d: (%g, %g) of class %d, want finite and a class 0..%d", i, pt.X, pt.Y, pt.Class, q.Classes-1)
			}
			p.X = append(p.X, pt.X, pt.Y)
			p.Label = append(p.Label, pt.Class)
		}
		return p, nil
	}
	return nil, fmt.Errorf("unknown data set %q", q.Dataset)
}

func newNetLab(q protocol.Network) (*netLab, error) {
	rng := rand.New(rand.NewPCG(q.Seed, 0x1ab))
	all, err := labPoints(q, rng)
	if err != nil {
		return nil, err
	}
	run, err := models.NewPlanarRun(all, models.PlanarRunConfig{
		Net:      models.PlanarConfig{Hidden: q.Hidden, Acts: q.Acts, Loss: q.Loss, L1: q.L1, L2: q.L2, Features: q.Features},
		Opt:      q.Opt,
		LR:       q.LR,
		Batch:    q.Batch,
		TestFrac: q.TestFrac,
	}, rng)
	if err != nil {
		return nil, err
	}
	return &netLab{key: runKey(q), run: run}, nil
}

func (e *Engine) network(q protocol.Network) (protocol.NetworkState, error) {
	if err := checkNetwork(&q); err != nil {
		return protocol.NetworkState{}, err
	}
	if e.lab == nil || q.Restart || e.lab.key != runKey(q) {
		lab, err := newNetLab(q)
		if err != nil {
			return protocol.NetworkState{}, err // the last run stays
		}
		e.lab = lab
	}
	run := e.lab.run
	if w := q.Edit; w != nil {
		if err := run.Model.SetWeight(w.Layer, w.From, w.To, w.Value); err != nil {
			return protocol.NetworkState{}, err
		}
	}
	if err := run.TrainEpochs(q.Epochs); err != nil {
		return protocol.NetworkState{}, err
	}
	return networkState(run, q.Grid, q.Unit), nil
}

// networkState encodes where the run is, with maps of grid and unit
// cells a side.
func networkState(run *models.PlanarRun, grid, unit int) protocol.NetworkState {
	m := run.Model
	s := protocol.NetworkState{Epoch: run.Epoch, Train: labPointsOf(run.Train), Test: labPointsOf(run.Test)}
	s.TrainLoss, s.TrainAcc = m.Evaluate(run.Train)
	s.TestLoss, s.TestAcc = m.Evaluate(run.Test)
	class, prob := m.Decide(models.PlanarGrid(grid))
	s.Map = protocol.DecisionMap{Class: class, Prob: protocol.RowsOf(grid, prob)}
	for _, u := range m.UnitOutputs(models.PlanarGrid(unit)) {
		s.Units = append(s.Units, protocol.BatchOf(u))
	}
	for _, d := range m.Dense {
		s.Layers = append(s.Layers, protocol.LayerWeights{
			W: protocol.BatchOf(d.W.Value.Clone()),
			B: append([]float32(nil), d.B.Value.Data...),
		})
	}
	return s
}

func labPointsOf(p *data.Points) protocol.LabPoints {
	return protocol.LabPoints{XY: protocol.RowsOf(2, p.X), Class: p.Label}
}
