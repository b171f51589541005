package analysis

import (
	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/core/tensor"
)

// Confusion is a classifier's confusion matrix on a labelled set.
type Confusion struct {
	// Counts[t][p] is how many images of true class t were read as p.
	Counts [][]int
	// Examples[t][p] are the indices of the first of them (up to the
	// number asked for).
	Examples [][][]int
	Accuracy float64
}

// ConfusionOf reads every image of set with c, keeping up to examples
// indices per cell.
func ConfusionOf(c *models.Classifier, set *data.Set, examples int) Confusion {
	k := c.Cfg.Classes
	out := Confusion{Counts: make([][]int, k), Examples: make([][][]int, k)}
	for t := range k {
		out.Counts[t] = make([]int, k)
		out.Examples[t] = make([][]int, k)
	}
	pred := make([]int, evalChunk)
	right := 0
	Batches(set, func(lo int, x *tensor.Mat, labels []uint8) {
		c.Predict(x, pred[:len(labels)])
		for i, l := range labels {
			t, p := int(l), pred[i]
			out.Counts[t][p]++
			if len(out.Examples[t][p]) < examples {
				out.Examples[t][p] = append(out.Examples[t][p], lo+i)
			}
			if t == p {
				right++
			}
		}
	})
	out.Accuracy = float64(right) / float64(set.N)
	return out
}
