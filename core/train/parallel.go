package train

import (
	"fmt"

	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/core/tensor"
)

// A Peer is another worker holding a Replica of the same model, built
// from the same seed: it computes the gradient of its shard of each batch
// and applies the averaged gradient the leader sends back.
type Peer interface {
	// Gradient starts the peer on rows [lo, hi) of the batch idx at step t,
	// once it has applied step t-1's gradient (which Apply may have given
	// it just before).
	Gradient(t int, idx []int, lo, hi int) error
	// Wait returns that shard's gradient, laid out as nn.Grads lays it out,
	// and the shard's mean losses.
	Wait() (grad []float32, loss models.Losses, err error)
	// Apply gives the peer the averaged gradient of step t to apply; grad
	// is the leader's own, read during the call only.
	Apply(t int, grad []float32) error
}

// Parallel prepares a data-parallel run: every batch is split into
// len(peers)+1 shards of nearly equal size, the first computed by r while
// the peers compute theirs; the shards' mean gradients, weighted by their
// rows, average to the batch's, which every worker applies. The model
// follows the one-worker run up to float rounding (Model with the same
// settings): the shards draw the same images, shifts and noise.
//
// A peer is asked for its shard of the next batch of the epoch together
// with this step's gradient, so it goes from applying the one to
// computing the other at once, while r applies the same step.
func Parallel(r *Replica, set *data.Set, s Settings, peers []Peer) (*Loop, error) {
	l := &Loop{N: set.N, Batch: s.Batch, Epochs: s.Epochs, Seed: s.Seed, Params: r.params}
	if err := l.Validate(); err != nil {
		return nil, err
	}
	n := len(peers) + 1
	start := func(idx []int, w int) int { return w * len(idx) / n } // shard w of batch idx is [start(w), start(w+1))
	t, asked := 0, -1                                               // the step, and the last step the peers were asked for
	ask := func(t int, idx []int) error {
		for w, p := range peers {
			if err := p.Gradient(t, idx, start(idx, w+1), start(idx, w+2)); err != nil {
				return fmt.Errorf("train: worker %d: %w", w+1, err)
			}
		}
		asked = t
		return nil
	}
	l.Step = func(idx []int) (models.Losses, error) {
		if asked != t {
			if err := ask(t, idx); err != nil {
				return models.Losses{}, err
			}
		}
		bound := func(w int) int { return start(idx, w) }
		weight := func(w int) float64 { return float64(bound(w+1)-bound(w)) / float64(len(idx)) }
		own := r.Gradient(t, idx, bound(0), bound(1))
		sum := r.grads // summed in place: what r.Apply applies
		tensor.Scale(sum, float32(weight(0)))
		loss := scaled(own, weight(0))
		for w, p := range peers {
			g, pl, err := p.Wait()
			if err != nil {
				return models.Losses{}, fmt.Errorf("train: worker %d: %w", w+1, err)
			}
			if len(g) != len(sum) {
				return models.Losses{}, fmt.Errorf("train: worker %d sent %d gradient values, want %d", w+1, len(g), len(sum))
			}
			tensor.AddScaled(sum, g, float32(weight(w+1)))
			l := scaled(pl, weight(w+1))
			loss.Total, loss.Recon, loss.KL = loss.Total+l.Total, loss.Recon+l.Recon, loss.KL+l.KL
		}
		for w, p := range peers {
			if err := p.Apply(t, sum); err != nil {
				return models.Losses{}, fmt.Errorf("train: worker %d: %w", w+1, err)
			}
		}
		if next := l.upcoming(); next != nil {
			if err := ask(t+1, next); err != nil {
				return models.Losses{}, err
			}
		}
		r.Apply(t)
		t++
		return loss, nil
	}
	return l, nil
}

func scaled(l models.Losses, w float64) models.Losses {
	return models.Losses{Total: l.Total * w, Recon: l.Recon * w, KL: l.KL * w}
}
