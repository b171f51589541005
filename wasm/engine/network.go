package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/core/nn"
	"latentplay/core/tensor"
	"latentplay/wasm/engine/protocol"
)

// netLab is the network lab's run: its points, its network and where
// training is.
type netLab struct {
	key         string // the settings it was built from
	cfg         protocol.Network
	train, test *data.Points
	model       *models.Planar
	opt         nn.Optimizer
	rng         *rand.Rand
	epoch       int
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
		if len(q.Points)%3 != 0 || len(q.Points)/3 > maxLabPoints {
			return nil, fmt.Errorf("%d values are not up to %d points of x, y, class", len(q.Points), maxLabPoints)
		}
		if len(q.Points) < 6 {
			return nil, errors.New("place at least two points to train on")
		}
		p := &data.Points{Classes: q.Classes}
		for i := 0; i < len(q.Points); i += 3 {
			x, y, c := q.Points[i], q.Points[i+1], q.Points[i+2]
			if !finite(x, y) || c != float32(int(c)) || int(c) < 0 || int(c) >= q.Classes {
				return nil, fmt.Errorf("point %d: (%g, %g) of class %g, want finite and a class 0..%d", i/3, x, y, c, q.Classes-1)
			}
			p.X = append(p.X, x, y)
			p.Label = append(p.Label, int(c))
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
	train, test := all.Split(q.TestFrac, rng)
	if train.Len() == 0 {
		return nil, errors.New("no points left to train on")
	}
	m, err := models.NewPlanar(models.PlanarConfig{Hidden: q.Hidden, Acts: q.Acts, Classes: all.Classes, Loss: q.Loss, L1: q.L1, L2: q.L2, Features: q.Features}, rng)
	if err != nil {
		return nil, err
	}
	opt, err := nn.NewOptimizer(q.Opt, float32(q.LR))
	if err != nil {
		return nil, err
	}
	return &netLab{key: runKey(q), cfg: q, train: train, test: test, model: m, opt: opt, rng: rng}, nil
}

// network answers OpNetwork.
func (e *Engine) network(req protocol.Request) ([]float32, map[string]float64, error) {
	q := req.Network
	if q == nil {
		return nil, nil, errors.New("no network given")
	}
	if err := checkNetwork(q); err != nil {
		return nil, nil, err
	}
	if e.lab == nil || q.Restart || e.lab.key != runKey(*q) {
		lab, err := newNetLab(*q)
		if err != nil {
			return nil, nil, err // the last run stays
		}
		e.lab = lab
	}
	lab := e.lab
	if q.Edit != nil {
		if err := lab.edit(*q.Edit); err != nil {
			return nil, nil, err
		}
	}
	if err := lab.trainEpochs(q.Epochs); err != nil {
		return nil, nil, err
	}
	trainLoss, trainAcc := lab.model.Evaluate(lab.train)
	testLoss, testAcc := lab.model.Evaluate(lab.test)
	figures := map[string]float64{
		"epoch": float64(lab.epoch), "train_loss": trainLoss, "test_loss": testLoss,
		"train_acc": trainAcc, "test_acc": testAcc,
		"train_n": float64(lab.train.Len()), "test_n": float64(lab.test.Len()),
	}
	return lab.pictures(q.Grid, q.Unit), figures, nil
}

// trainEpochs trains in shuffled mini-batches. If the loss or a weight
// stops being a number, the weights go back to where this request found
// them and the answer says why.
func (l *netLab) trainEpochs(epochs int) error {
	if epochs == 0 {
		return nil
	}
	ps := l.model.Net.Params()
	saved := make([][]float32, len(ps))
	for i, p := range ps {
		saved[i] = append([]float32(nil), p.Value.Data...)
	}
	startEpoch := l.epoch
	for range epochs {
		perm := l.rng.Perm(l.train.Len())
		for i := 0; i < len(perm); i += l.cfg.Batch {
			loss := l.model.Step(l.train, perm[i:min(i+l.cfg.Batch, len(perm))], l.opt)
			if math.IsNaN(loss) || math.IsInf(loss, 0) || loss > 1e6 {
				for j, p := range ps {
					copy(p.Value.Data, saved[j])
				}
				l.epoch = startEpoch
				l.opt, _ = nn.NewOptimizer(l.cfg.Opt, float32(l.cfg.LR)) // its state blew up too
				return fmt.Errorf("the loss blew up (%g) in epoch %d: the learning rate %g is too high for this network. The last good weights are kept", loss, l.epoch+1, l.cfg.LR)
			}
		}
		l.epoch++
	}
	if !nn.AllFinite(ps) {
		for j, p := range ps {
			copy(p.Value.Data, saved[j])
		}
		l.epoch = startEpoch
		return errors.New("a weight stopped being a number: the last good weights are kept; lower the learning rate")
	}
	return nil
}

func (l *netLab) edit(w protocol.WeightEdit) error {
	d := l.model.Dense
	if w.Layer < 0 || w.Layer >= len(d) || !finite(w.Value) {
		return fmt.Errorf("no weight layer %d (there are %d), or the value is not a number", w.Layer, len(d))
	}
	in, out := d[w.Layer].In(), d[w.Layer].Out()
	if w.From < -1 || w.From >= in || w.To < 0 || w.To >= out {
		return fmt.Errorf("layer %d joins %d inputs to %d units; no weight from %d to %d", w.Layer, in, out, w.From, w.To)
	}
	if w.From == -1 {
		d[w.Layer].B.Value.Data[w.To] = w.Value
	} else {
		d[w.Layer].W.Value.Set(w.From, w.To, w.Value)
	}
	return nil
}

// gridPoints is an n×n raster of [−1.2, 1.2]², rows from the top.
func gridPoints(n int) *tensor.Mat {
	const r = 1.2
	return models.BoxGrid(n, [2]float32{-r, -r}, [2]float32{r, r})
}

// pictures lays out the answer as protocol.NetworkLayout says.
func (l *netLab) pictures(grid, unit int) []float32 {
	var out []float32
	for _, pts := range []*data.Points{l.train, l.test} {
		for i := range pts.Len() {
			out = append(out, pts.X[2*i], pts.X[2*i+1], float32(pts.Label[i]))
		}
	}
	probs := l.model.Probabilities(gridPoints(grid))
	for i := range probs.Rows {
		row := probs.Row(i)
		best := models.Argmax(row)
		out = append(out, float32(best), row[best])
	}
	// Each hidden unit's output over the plane: run the raster through the
	// layers and keep what each activation gives.
	x := l.model.Inputs(gridPoints(unit))
	var maps [][]float32 // per hidden layer, cells × units
	for _, layer := range l.model.Net.Layers {
		x = layer.Forward(x)
		if _, ok := layer.(*nn.Act); ok {
			maps = append(maps, append([]float32(nil), x.Data...))
		}
	}
	for li, m := range maps {
		width := l.model.Cfg.Hidden[li]
		for j := range width {
			for c := range unit * unit {
				out = append(out, m[c*width+j])
			}
		}
	}
	for _, d := range l.model.Dense {
		out = append(out, d.W.Value.Data...)
		out = append(out, d.B.Value.Data...)
	}
	return out
}
