package models

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"latentplay/core/data"
	"latentplay/core/nn"
	"latentplay/core/tensor"
)

// PlanarRange is the half-width of the square the network lab draws: its
// maps cover [−PlanarRange, PlanarRange]², which holds every toy set.
const PlanarRange = 1.2

// PlanarGrid is an n×n raster of the lab's square, rows from the top
// (large x₂), x₁ rising along each row, every cell at its centre: one row
// of x₁, x₂ per cell.
func PlanarGrid(n int) *tensor.Mat {
	const r = PlanarRange
	return BoxGrid(n, [2]float32{-r, -r}, [2]float32{r, r})
}

// Decide gives each point (a row of x₁, x₂) the class the network picks
// and that class's probability.
func (p *Planar) Decide(points *tensor.Mat) (class []int, prob []float32) {
	probs := p.Probabilities(points)
	class, prob = make([]int, probs.Rows), make([]float32, probs.Rows)
	for i := range probs.Rows {
		row := probs.Row(i)
		class[i] = Argmax(row)
		prob[i] = row[class[i]]
	}
	return class, prob
}

// UnitOutputs gives what every hidden unit outputs at the points (rows of
// x₁, x₂): one matrix per hidden layer, a row per unit and a column per
// point.
func (p *Planar) UnitOutputs(points *tensor.Mat) []*tensor.Mat {
	x := p.Inputs(points)
	var out []*tensor.Mat
	for _, layer := range p.Net.Layers {
		x = layer.Forward(x)
		if _, ok := layer.(*nn.Act); ok {
			units := tensor.New(x.Cols, x.Rows)
			for i := range x.Rows {
				for j, v := range x.Row(i) {
					units.Set(j, i, v)
				}
			}
			out = append(out, units)
		}
	}
	return out
}

// SetWeight sets the weight from input from of weight layer layer to its
// output unit to (layer 0 reads the features); from = −1 is to's bias.
func (p *Planar) SetWeight(layer, from, to int, v float32) error {
	d := p.Dense
	if layer < 0 || layer >= len(d) || !(v >= -1e6 && v <= 1e6) {
		return fmt.Errorf("no weight layer %d (there are %d), or the value is not a number", layer, len(d))
	}
	in, out := d[layer].In(), d[layer].Out()
	if from < -1 || from >= in || to < 0 || to >= out {
		return fmt.Errorf("layer %d joins %d inputs to %d units; no weight from %d to %d", layer, in, out, from, to)
	}
	if from == -1 {
		d[layer].B.Value.Data[to] = v
	} else {
		d[layer].W.Value.Set(from, to, v)
	}
	return nil
}

// PlanarRunConfig is how a network lab's run is built and trained.
type PlanarRunConfig struct {
	Net      PlanarConfig // its Classes are the points'
	Opt      string       // sgd, momentum or adam
	LR       float64
	Batch    int     // points per step
	TestFrac float64 // the fraction of the points held out, 0..1
}

// PlanarRun is a network lab's run: its points, split into training and
// held-out ones, its network and optimiser, and how far training has
// gone. The same points, settings and generator state give the same run.
type PlanarRun struct {
	Train, Test *data.Points
	Model       *Planar
	Epoch       int // epochs trained

	cfg PlanarRunConfig
	opt nn.Optimizer
	rng *rand.Rand
}

// NewPlanarRun splits the points, then builds the network and optimiser,
// drawing from rng, which the run keeps for shuffling.
func NewPlanarRun(all *data.Points, cfg PlanarRunConfig, rng *rand.Rand) (*PlanarRun, error) {
	if !(cfg.TestFrac >= 0 && cfg.TestFrac <= 1) || cfg.Batch < 1 {
		return nil, fmt.Errorf("models: test fraction %g and batch %d, want 0..1 and at least 1", cfg.TestFrac, cfg.Batch)
	}
	train, test := all.Split(cfg.TestFrac, rng)
	if train.Len() == 0 {
		return nil, errors.New("no points left to train on")
	}
	cfg.Net.Classes = all.Classes
	m, err := NewPlanar(cfg.Net, rng)
	if err != nil {
		return nil, err
	}
	opt, err := nn.NewOptimizer(cfg.Opt, float32(cfg.LR))
	if err != nil {
		return nil, err
	}
	return &PlanarRun{Train: train, Test: test, Model: m, cfg: cfg, opt: opt, rng: rng}, nil
}

// TrainEpochs trains epochs more epochs in shuffled mini-batches. If the
// loss or a weight stops being a number, the weights, the epoch and the
// optimiser go back to where they were and the error says why.
func (r *PlanarRun) TrainEpochs(epochs int) error {
	if epochs == 0 {
		return nil
	}
	ps := r.Model.Net.Params()
	saved := make([][]float32, len(ps))
	for i, p := range ps {
		saved[i] = append([]float32(nil), p.Value.Data...)
	}
	startEpoch := r.Epoch
	restore := func() {
		for j, p := range ps {
			copy(p.Value.Data, saved[j])
		}
		r.Epoch = startEpoch
	}
	for range epochs {
		perm := r.rng.Perm(r.Train.Len())
		for i := 0; i < len(perm); i += r.cfg.Batch {
			loss := r.Model.Step(r.Train, perm[i:min(i+r.cfg.Batch, len(perm))], r.opt)
			if math.IsNaN(loss) || math.IsInf(loss, 0) || loss > 1e6 {
				epoch := r.Epoch + 1
				restore()
				r.opt, _ = nn.NewOptimizer(r.cfg.Opt, float32(r.cfg.LR)) // its state blew up too
				return fmt.Errorf("the loss blew up (%g) in epoch %d: the learning rate %g is too high for this network. The last good weights are kept", loss, epoch, r.cfg.LR)
			}
		}
		r.Epoch++
	}
	if !nn.AllFinite(ps) {
		restore()
		return errors.New("a weight stopped being a number: the last good weights are kept; lower the learning rate")
	}
	return nil
}
