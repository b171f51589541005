package protocol

// TrainGAN runs the GAN lab. The engine keeps one GAN run: it builds it
// afresh from GAN2D's settings (and seed) when they differ from the last
// call's, trains Steps more steps and answers with where the run is.
var TrainGAN = NewOp[GAN2D, GAN2DState]("gan2d")

// GAN2D is the GAN lab's run: its data, its two networks and how they
// train. Everything but Restart, Steps, Grid and Show defines the run, so
// the same settings give the same run.
type GAN2D struct {
	Data   string       `json:"data"`             // ring, moons, line, spiral or custom
	Points [][2]float32 `json:"points,omitempty"` // custom: the points placed, inside [−2, 2]²
	Noise  int          `json:"noise"`            // dimensions of G's input z
	Hidden int          `json:"hidden"`           // units in each of G's and D's two hidden layers
	Batch  int          `json:"batch"`            // real and generated points per step
	LRG    float64      `json:"lr_g"`             // Adam's step size for G
	LRD    float64      `json:"lr_d"`             // Adam's step size for D
	Remedy string       `json:"remedy,omitempty"` // "" or minibatch-std
	Seed   uint64       `json:"seed"`             // draws the first weights, the batches and z

	Restart bool `json:"restart,omitempty"` // build the run afresh even if the settings are the same
	Steps   int  `json:"steps"`             // to train now (each a D step then a G step)
	Grid    int  `json:"grid"`              // D's heat map, cells per side
	Show    int  `json:"show"`              // real and generated points drawn
}

// GAN2DState is where the GAN lab's run is. Every picture covers the
// square [−2, 2]², the heat map's rows from the top (large y), x rising
// along each row, each cell at its centre.
type GAN2DState struct {
	Step int `json:"step"` // steps trained since the run was built
	// LossD and LossG are the mean losses over this request's steps (the
	// last step's when it trained none): L_D = BCE(D(x), 1) + BCE(D(G(z)),
	// 0) and the non-saturating L_G = −mean log σ(D(G(z))).
	LossD float64 `json:"loss_d"`
	LossG float64 `json:"loss_g"`
	Real  Batch   `json:"real"` // Show×2 points of the data, the same draw every time
	Fake  Batch   `json:"fake"` // Show×2 points of G, for the same z every time
	// Push is, for each generated point, −∂L_G/∂x: where G's loss moves it.
	Push Batch `json:"push"`
	Heat Batch `json:"heat"` // Grid×Grid: σ(D(x)), D's belief that x is real
	// Modes is 8 on the ring and 0 elsewhere; Covered counts the modes
	// that at least 1% of 2,000 generated points fall within 2σ of
	// (gan2d.Coverage), and Share is each mode's fraction.
	Modes   int       `json:"modes"`
	Covered int       `json:"covered"`
	Share   []float64 `json:"share,omitempty"`
}
