package train

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"latentplay/core/data"
	"latentplay/core/models"
)

// localPeer is a worker in the same process: enough to hold the
// arithmetic of data-parallel training to the one-worker run.
type localPeer struct {
	r    *Replica
	grad []float32
	loss models.Losses
	log  *[]string // the calls, if kept
}

func (p *localPeer) Gradient(t int, idx []int, lo, hi int) error {
	if p.log != nil {
		*p.log = append(*p.log, fmt.Sprintf("gradient %d", t))
	}
	p.loss = p.r.Gradient(t, idx, lo, hi)
	p.grad = append(p.grad[:0], p.r.Grads()...)
	return nil
}

func (p *localPeer) Wait() ([]float32, models.Losses, error) { return p.grad, p.loss, nil }

func (p *localPeer) Apply(t int, grad []float32) error {
	if p.log != nil {
		*p.log = append(*p.log, fmt.Sprintf("apply %d", t))
	}
	copy(p.r.Grads(), grad)
	p.r.Apply(t)
	return nil
}

func newTestVAE(t *testing.T) *models.VAE {
	v, err := models.NewVAE(models.VAEConfig{Inputs: 784, Hidden: []int{24}, Latent: 3}, rand.New(rand.NewPCG(4, 4)))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestParallelMatchesOneWorker trains the same VAE with one worker and
// with three (shards of 7, 7 and 6 rows, and a last batch of 2 that leaves
// one worker without rows), with random shifts, and finds the same
// weights and losses up to float rounding.
func TestParallelMatchesOneWorker(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	set := &data.Set{N: 42, Rows: 28, Cols: 28, Pixels: make([]float32, 42*784), Labels: make([]uint8, 42)}
	for i := range set.Pixels {
		if rng.Float64() < 0.2 {
			set.Pixels[i] = rng.Float32()
		}
	}
	s := Settings{Epochs: 3, Batch: 20, LR: 3e-3, Optimizer: "adam", Seed: 9, Beta: 1, Shift: 1, WarmupEpochs: 1}

	one := newTestVAE(t)
	single, err := Model(one, set, s)
	if err != nil {
		t.Fatal(err)
	}
	lead := newTestVAE(t)
	r, err := NewReplica(lead, set, s)
	if err != nil {
		t.Fatal(err)
	}
	var peers []Peer
	for range 2 {
		pr, err := NewReplica(newTestVAE(t), set, s)
		if err != nil {
			t.Fatal(err)
		}
		peers = append(peers, &localPeer{r: pr})
	}
	multi, err := Parallel(r, set, s, peers)
	if err != nil {
		t.Fatal(err)
	}
	for step := 0; ; step++ {
		done1, err1 := single.Next()
		done3, err3 := multi.Next()
		if err1 != nil || err3 != nil {
			t.Fatal(err1, err3)
		}
		l1, l3 := single.Progress().Loss, multi.Progress().Loss
		if math.Abs(l1.Total-l3.Total) > 1e-4*math.Abs(l1.Total) {
			t.Fatalf("step %d: loss %v with one worker, %v with three", step, l1, l3)
		}
		if done1 != done3 {
			t.Fatalf("step %d: done %v with one worker, %v with three", step, done1, done3)
		}
		if done1 {
			break
		}
	}
	for i, p := range one.Params() {
		q := lead.Params()[i]
		for j, v := range p.Value.Data {
			if d := math.Abs(float64(v - q.Value.Data[j])); d > 1e-4*(1+math.Abs(float64(v))) {
				t.Fatalf("%s[%d] = %v with one worker, %v with three", p.Name, j, v, q.Value.Data[j])
			}
		}
	}
	// The peers hold the leader's model too.
	for _, p := range peers {
		for i, q := range p.(*localPeer).r.params {
			for j, v := range q.Value.Data {
				if v != lead.Params()[i].Value.Data[j] {
					t.Fatalf("a peer's %s[%d] = %v, the leader's %v", q.Name, j, v, lead.Params()[i].Value.Data[j])
				}
			}
		}
	}
}

// TestParallelAsksAhead: a peer gets each step's update and then, within
// an epoch, its shard of the next batch before the leader's step is over
// (so it computes while the leader applies); across an epoch's end, once
// the next shuffle is drawn.
func TestParallelAsksAhead(t *testing.T) {
	set := &data.Set{N: 10, Rows: 28, Cols: 28, Pixels: make([]float32, 10*784), Labels: make([]uint8, 10)}
	s := Settings{Epochs: 2, Batch: 4, LR: 1e-3, Optimizer: "adam", Seed: 1, Beta: 1}
	lead, err := NewReplica(newTestVAE(t), set, s)
	if err != nil {
		t.Fatal(err)
	}
	helper, err := NewReplica(newTestVAE(t), set, s)
	if err != nil {
		t.Fatal(err)
	}
	var log []string
	l, err := Parallel(lead, set, s, []Peer{&localPeer{r: helper, log: &log}})
	if err != nil {
		t.Fatal(err)
	}
	for done := false; !done; {
		if done, err = l.Next(); err != nil {
			t.Fatal(err)
		}
		log = append(log, "|")
	}
	// Three batches an epoch (4, 4, 2 images): steps 0-2, then 3-5.
	want := []string{
		"gradient 0", "apply 0", "gradient 1", "|", "apply 1", "gradient 2", "|", "apply 2", "|",
		"gradient 3", "apply 3", "gradient 4", "|", "apply 4", "gradient 5", "|", "apply 5", "|",
	}
	if !slices.Equal(log, want) {
		t.Errorf("the peer's calls, steps apart by |:\n%v\nwant\n%v", log, want)
	}
}
