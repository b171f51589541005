package web

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/core/models"
	"latentplay/core/train"
	"latentplay/wasm/edge/shareapi"
	"latentplay/wasm/engine/protocol"
)

// probeDigits is how many fixed test digits the Train view watches.
const probeDigits = 8

// lossPoint is one progress event's losses, for the plot.
type lossPoint struct {
	samples          float64
	total, recon, kl float64
	test             float64
	d, g             float64 // a GAN's two players' losses
}

// isGANKind reports whether kind names a GAN, plain or conditional.
func isGANKind(kind string) bool { return kind == "gan" || kind == "cgan" }

// samplesKind reports whether kind draws samples from a prior (a VAE or a
// GAN, plain or conditional): the ones whose samples the classifier reads.
func samplesKind(kind string) bool { return isGANKind(kind) || strings.Contains(kind, "vae") }

// conditionalKind reports whether kind is told the digit to draw.
func conditionalKind(kind string) bool { return kind == "cgan" || kind == "cvae" }

// Train trains a model on MNIST in the engine: settings, live progress,
// loss plots, the fixed test digits being rebuilt, pause, resume and stop,
// and keeping, exporting and importing models.
type Train struct {
	app.Compo

	kind                 string
	latent, hidden       int
	beta, lr             float64
	halfLife             float64 // epochs over which the learning rate halves (0: it does not)
	obs                  string  // a VAE's observation model: models.ObsBernoulli or ObsGaussian
	eta                  float64 // the Gaussian one's variance
	batch, epochs, train int
	workers              int // engines training together (data-parallel)
	cores                int // the machine's, as the browser reports them
	seed                 uint64

	running, paused bool
	run             protocol.Run // the run on show (0 until the engine answers)
	last            protocol.Progress
	history         []lossPoint
	setLoss         [][2]float64 // images seen, the loss over the whole test set after each epoch
	rebuilt, probe  protocol.Batch
	drawn           protocol.Batch          // a GAN's images of a fixed z
	reads           []protocol.SampleRead   // what the shipped classifier read in the samples, as training went
	shipped         map[string]shippedModel // the shipped models' figures, for the readings' marks
	loaded          protocol.Info           // the model in the slot, once one is loaded or kept
	errMsg, info    string
	shareLink       string
}

var trainKinds = []struct{ kind, label string }{
	{"vae", "VAE"}, {"cvae", "Conditional VAE"}, {"ae", "Autoencoder"}, {"linear-ae", "Linear autoencoder"},
	{"gan", "GAN"}, {"cgan", "Conditional GAN"},
}

// ganDefaults are the settings a GAN trains well with (those of latentplay
// train -model gan, the shipped one's): z of 64, the generator's 256 and
// 512 units, Adam at a constant 2e-4 on batches of 64.
var ganDefaults = struct {
	latent, hidden, batch int
	lr                    float64
}{64, 256, 64, 2e-4}

// vaeDefaults are the settings the autoencoders train with unless changed:
// PyTorch examples/vae's model (784-400-20) with train.QuickVAE's recipe,
// batches of 128 and Adam at 5e-3 halving every epoch.
var vaeDefaults = struct {
	latent, hidden, batch int
	lr, halfLife          float64
}{20, 400, train.QuickVAE.Batch, train.QuickVAE.LR, train.QuickVAE.HalfLife}

// OnMount sets the defaults, listens to the engine, and restores the last
// trained model from IndexedDB.
func (t *Train) OnMount(ctx app.Context) {
	t.kind, t.beta = "vae", 1
	t.latent, t.hidden, t.batch, t.lr, t.halfLife = vaeDefaults.latent, vaeDefaults.hidden, vaeDefaults.batch, vaeDefaults.lr, vaeDefaults.halfLife
	t.epochs, t.train, t.seed = 10, 60000, 1
	t.obs, t.eta = models.ObsBernoulli, 0.1
	t.cores = cores()
	ctx.Async(func() {
		m := shippedModels()
		ctx.Dispatch(func(ctx app.Context) { t.shipped = m })
	})
	// One worker by default: two take a VAE step only about a fifth
	// quicker (make bench: engine_vae_step_ms 9.7 against 7.7 with two
	// workers), since their gradients cross between them every step, and
	// each helper holds its own copy of the model and its optimiser (the
	// tab's peak memory while training rises by about 70 MB), which a
	// phone, with many cores and little memory, can least spare. More can
	// be asked for.
	t.workers = 1
	// A run this view started before it was last left goes on showing.
	if last, ok := Engine().Follow(trainOwner, t.follow(ctx)); ok {
		t.run, t.last = protocol.Run{Run: last.Run}, last
		t.running, t.paused = !last.State.Ended(), last.State == protocol.Paused
		if t.running {
			return
		}
	}
	if id := sharedID(); id != "" {
		t.openShared(ctx, id)
		return
	}
	ctx.Async(func() {
		b, err := storeGet(trainedKey)
		if err != nil || b == nil {
			return
		}
		info, err := Engine().Load(protocol.TrainedSlot, b)
		if err != nil {
			// Set the bad record aside, so the next visit starts clean and
			// the bytes are still there to look at.
			if err := storePut(trainedKey+".refused", b); err == nil {
				storeDelete(trainedKey)
			}
		}
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				t.errMsg = "The model kept in this browser could not be loaded (" + err.Error() + "); it was set aside, and the shipped models are in use."
				return
			}
			t.loaded = info
			t.info = describe("Your last trained model is loaded", info)
		})
	})
}

// trainOwner names the Train view's runs.
const trainOwner = "train"

// redrawEvery is how often at most the Train view redraws while a run
// loads or trains.
const redrawEvery = 250 * time.Millisecond

// follow is where the engine sends the Train view's runs' events. They
// come ten times a second while a run trains, more often while MNIST
// loads; the view takes every one (the curves keep them all) but redraws
// at most every redrawEvery, since drawing takes the page's thread, which
// shares the machine's cores with the engine's workers. A pause or an end
// is shown at once.
func (t *Train) follow(ctx app.Context) func(protocol.Progress) {
	var (
		mu        sync.Mutex
		pending   []protocol.Progress
		scheduled bool
	)
	flush := func() {
		mu.Lock()
		ps := pending
		pending, scheduled = nil, false
		mu.Unlock()
		if len(ps) > 0 {
			ctx.Dispatch(func(ctx app.Context) {
				for _, p := range ps {
					t.progress(ctx, p)
				}
			})
		}
	}
	return func(p protocol.Progress) {
		mu.Lock()
		pending = append(pending, p)
		now := p.State == protocol.Paused || p.State.Ended()
		later := !now && !scheduled
		scheduled = scheduled || later
		mu.Unlock()
		switch {
		case now:
			flush()
		case later:
			time.AfterFunc(redrawEvery, flush)
		}
	}
}

// OnDismount stops the events: the run goes on, and the view takes it up
// again when it is opened.
func (t *Train) OnDismount() { Engine().Follow(trainOwner, nil) }

// openShared loads the model a ?share= link names in place of the kept
// one (which stays in IndexedDB until a new model is trained or imported).
func (t *Train) openShared(ctx app.Context, id string) {
	ctx.Async(func() {
		var info protocol.Info
		b, err := getShare(id)
		if err == nil {
			info, err = Engine().Load(protocol.TrainedSlot, b)
		}
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				t.errMsg = "The shared model could not be opened: " + err.Error()
				return
			}
			t.loaded = info
			t.info = describe("The shared model is loaded", info)
		})
	})
}

// share uploads the trained model and shows its link. Models are too big
// for a link's fragment, so a host without the share API says so.
func (t *Train) share(ctx app.Context, e app.Event) {
	t.errMsg, t.shareLink = "", ""
	ctx.Async(func() {
		snap, err := Call(protocol.Snapshot, protocol.Slot{Slot: protocol.TrainedSlot})
		var id string
		if err != nil {
			err = fmt.Errorf("nothing to share yet: %w", err)
		} else {
			id, err = postShare(shareapi.TypeModel, snap.File.Data)
			if errors.Is(err, errNoAPI) {
				err = errors.New("this host keeps no shared models; use Export file and send the file instead")
			}
		}
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				t.errMsg = "Sharing failed: " + err.Error()
				return
			}
			t.shareLink = siteURL("/train?" + shareParam + "=" + id)
		})
	})
}

func describe(what string, in protocol.Info) string {
	s := fmt.Sprintf("%s: a %s", what, in.Kind)
	if in.Latent > 0 {
		s += fmt.Sprintf(" with %d latent dimensions", in.Latent)
	}
	return s + fmt.Sprintf(", %d parameters.", in.Params)
}

// progress takes one event from the engine.
func (t *Train) progress(ctx app.Context, p protocol.Progress) {
	if p.Run < t.run.Run {
		return // an older run's straggler
	}
	t.run, t.last = protocol.Run{Run: p.Run}, p
	switch p.State {
	case protocol.Running:
		t.running = true
		t.history = append(t.history, lossPoint{float64(p.Samples), p.Loss.Total, p.Loss.Recon, p.Loss.KL, p.TestLoss.Total, p.Players.D, p.Players.G})
		if p.SetEpoch > len(t.setLoss) && p.SetLoss != (protocol.Losses{}) { // none for a GAN
			t.setLoss = append(t.setLoss, [2]float64{float64(p.Samples), p.SetLoss.Total})
		}
		if p.Rebuilt.Rows == probeDigits && p.Probes.Rows == probeDigits {
			t.rebuilt, t.probe = p.Rebuilt, p.Probes
		}
		if p.Drawn.Rows == probeDigits {
			t.drawn = p.Drawn
		}
		t.addRead(p.Read)
	case protocol.Paused:
		t.paused = true
	case protocol.Done, protocol.Stopped, protocol.Diverged, protocol.Failed:
		t.running, t.paused = false, false
		t.addRead(p.Read)
		if p.State == protocol.Diverged || p.State == protocol.Failed {
			t.errMsg = p.Message
		}
		// A run that blew up before a good chunk has nothing to keep, and
		// its message must stay.
		if p.Trained {
			t.keep(ctx)
		}
	}
}

// keep saves the trained model in IndexedDB.
func (t *Train) keep(ctx app.Context) {
	ctx.Async(func() {
		snap, err := Call(protocol.Snapshot, protocol.Slot{Slot: protocol.TrainedSlot})
		if err == nil {
			if err = storePut(trainedKey, snap.File.Data); err != nil {
				err = fmt.Errorf("this browser refused to store it (%w); it stays loaded here, and Export file saves it", err)
			}
		}
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				t.errMsg = "Could not keep the model: " + err.Error() + "."
				return
			}
			t.loaded = snap.Info
			t.info = "The trained model is kept in this browser; it will be here after a reload."
		})
	})
}

func (t *Train) start(ctx app.Context, e app.Event) {
	hidden := []int{t.hidden}
	switch {
	case t.kind == "linear-ae":
		hidden = nil
	case isGANKind(t.kind):
		hidden = []int{t.hidden, 2 * t.hidden} // the generator's; D mirrors them
	}
	q := protocol.Train{
		Kind: t.kind, Latent: t.latent, Hidden: hidden, Beta: t.beta, LR: t.lr, HalfLife: t.halfLife,
		Batch: t.batch, Epochs: t.epochs, Seed: t.seed, Subset: t.train, Samples: probeDigits,
		Workers: t.workers, Owner: trainOwner, SetLoss: true,
	}
	if strings.Contains(t.kind, "vae") {
		q.Obs = t.obs
		if t.obs == models.ObsGaussian {
			q.Eta = t.eta
		}
	}
	t.errMsg, t.info = "", ""
	t.history, t.setLoss, t.rebuilt, t.probe, t.drawn, t.reads = nil, nil, protocol.Batch{}, protocol.Batch{}, protocol.Batch{}, nil
	t.running, t.paused = true, false
	t.last = protocol.Progress{State: protocol.Loading}
	generative := samplesKind(t.kind)
	ctx.Async(func() {
		// The shipped classifier reads a generative model's samples as it
		// learns; without it the run goes on unread.
		var unread error
		if generative {
			if unread = Engine().Shipped(judgeSlot); unread == nil {
				q.Judge = judgeSlot
			}
		}
		r, err := Engine().Train(q, t.follow(ctx))
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil { // refused: nothing started
				t.running, t.errMsg, t.last = false, err.Error(), protocol.Progress{}
				return
			}
			t.run.Run = max(t.run.Run, r.Run)
			if unread != nil {
				t.info = "The samples will not be read as it trains: " + unread.Error()
			}
		})
	})
}

// judgeSlot is the classifier that reads a generative model's samples.
const judgeSlot = "mlp"

// addRead keeps a new reading of the samples.
func (t *Train) addRead(r protocol.SampleRead) {
	if n := len(t.reads); r.Samples > 0 && (n == 0 || r.Samples > t.reads[n-1].Samples) {
		t.reads = append(t.reads, r)
	}
}

// pause, resume and stop are the run's buttons. Each is a method of its
// own: go-app keeps an element's handler when the new one has the same
// code, so Resume taking Pause's place must not share a closure with it.
func (t *Train) pause(ctx app.Context, e app.Event) { t.control(ctx, protocol.PauseRun) }

func (t *Train) resume(ctx app.Context, e app.Event) {
	t.paused = false
	t.control(ctx, protocol.ResumeRun)
}

func (t *Train) stop(ctx app.Context, e app.Event) { t.control(ctx, protocol.StopRun) }

func (t *Train) control(ctx app.Context, op protocol.Op[protocol.Run, protocol.None]) {
	run := t.run
	ctx.Async(func() {
		if _, err := Call(op, run); err != nil {
			ctx.Dispatch(func(ctx app.Context) { t.errMsg = err.Error() })
		}
	})
}

// useEverywhere puts the trained model in the playground's slot for its
// kind: the snapshot says what the model is, and one Load puts it there
// (and in the page's copy).
func (t *Train) useEverywhere(ctx app.Context, e app.Event) {
	ctx.Async(func() {
		snap, err := Call(protocol.Snapshot, protocol.Slot{Slot: protocol.TrainedSlot})
		var info protocol.Info
		if err == nil {
			info, err = Engine().Load(viewSlot(snap.Info.Kind), snap.File.Data)
		}
		if err == nil {
			Engine().personal(info.Slot, info)
		}
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				t.errMsg = err.Error()
				return
			}
			t.info = describe("The other views now use your model as "+info.Slot, info)
		})
	})
}

func viewSlot(kind string) string {
	switch kind {
	case "cvae":
		return "cvae-20"
	case "ae", "linear-ae":
		return "ae-20"
	case "gan", "cgan": // the VAE-against-GAN view's
		return kind
	}
	return "vae-20"
}

func (t *Train) export(ctx app.Context, e app.Event) {
	ctx.Async(func() {
		snap, err := Call(protocol.Snapshot, protocol.Slot{Slot: protocol.TrainedSlot})
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				t.errMsg = "Nothing to export yet: " + err.Error()
				return
			}
			download("latentplay-"+snap.Info.Kind+".lpm", snap.File.Data)
		})
	})
}

// importFile loads a model file the person chose; a bad one leaves the
// current model in place and says what is wrong.
func (t *Train) importFile(ctx app.Context, e app.Event) {
	files := ctx.JSSrc().Get("files")
	if files.Get("length").Int() == 0 {
		return
	}
	file := files.Index(0)
	name := file.Get("name").String()
	ctx.Async(func() {
		buf, err := await(file.Call("arrayBuffer"))
		var info protocol.Info
		var b []byte
		if err == nil {
			u8 := app.Window().Get("Uint8Array").New(buf)
			b = make([]byte, u8.Get("length").Int())
			app.CopyBytesToGo(b, u8)
			info, err = Engine().Load(protocol.TrainedSlot, b)
		}
		var kept error
		if err == nil {
			kept = storePut(trainedKey, b)
		}
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				t.errMsg = fmt.Sprintf("%s was not loaded: %v. The current model is unchanged.", name, err)
				return
			}
			t.loaded = info
			t.errMsg, t.info = "", describe("Imported "+name, info)
			if kept != nil {
				t.errMsg = "This browser refused to keep it (" + kept.Error() + "); it is loaded for this visit, and Export file saves it."
			}
		})
	})
}

// Render shows the settings, the controls and the run.
func (t *Train) Render() app.UI {
	return page("train",
		app.Section().Class("controls").Body(
			app.H2().Text("Train on MNIST, here"),
			field("Model", app.Select().ID("kind").Disabled(t.running).OnChange(func(ctx app.Context, e app.Event) {
				t.setKind(ctx.JSSrc().Get("value").String())
			}).Body(app.Range(trainKinds).Slice(func(i int) app.UI {
				return app.Option().Value(trainKinds[i].kind).Text(trainKinds[i].label).Selected(t.kind == trainKinds[i].kind)
			}))),
			numberField("latent", "Latent size K", float64(t.latent), 1, 1, 64, t.running, func(v float64) { t.latent = int(v) }),
			numberField("hidden", t.hiddenLabel(), float64(t.hidden), 1, 1, 2048, t.running || t.kind == "linear-ae", func(v float64) { t.hidden = int(v) }),
			// A VAE's own settings, hidden for the other kinds.
			app.Div().ID("obs-fields").Hidden(!strings.Contains(t.kind, "vae")).Body(
				numberField("beta", "β (weight of the KL term)", t.beta, 0.1, 0, 100, t.running, func(v float64) { t.beta = v }),
				field("Observation model p(x|z)", app.Select().ID("obs").Disabled(t.running).OnChange(func(ctx app.Context, e app.Event) {
					t.obs = ctx.JSSrc().Get("value").String()
				}).Body(
					app.Option().Value(models.ObsBernoulli).Text("Bernoulli (cross-entropy)").Selected(t.obs != models.ObsGaussian),
					app.Option().Value(models.ObsGaussian).Text("Gaussian N(x; G(z), η·I)").Selected(t.obs == models.ObsGaussian),
				)),
				numberField("eta", fmt.Sprintf("η, the Gaussian's variance (%g to %g)", models.EtaMin, models.EtaMax), t.eta, 0.01, models.EtaMin, models.EtaMax, t.running || t.obs != models.ObsGaussian, func(v float64) { t.eta = v }),
			),
			numberField("lr", "Learning rate (Adam)", t.lr, 0.0001, 0.00001, 10, t.running, func(v float64) { t.lr = v }),
			numberField("halflife", "It halves every … epochs (0: never)", t.halfLife, 0.5, 0, 1000, t.running, func(v float64) { t.halfLife = v }),
			app.If(!isGANKind(t.kind), func() app.UI {
				return app.P().Class("note").ID("recipe").Text("The default recipe is PyTorch's examples/vae (784-400-20, batches of 128) with a larger learning rate that halves every epoch: 5e-3, not a constant 1e-3. A VAE reaches 110 nats on the test digits in two epochs this way, where examples/vae takes three.")
			}),
			numberField("batch", "Batch size", float64(t.batch), 1, 1, 4096, t.running, func(v float64) { t.batch = int(v) }),
			numberField("epochs", "Epochs", float64(t.epochs), 1, 1, 1000, t.running, func(v float64) { t.epochs = int(v) }),
			numberField("images", "Training images (of 60,000)", float64(t.train), 100, 100, 60000, t.running, func(v float64) { t.train = int(v) }),
			numberField("workers", fmt.Sprintf("Workers (this machine has %d cores)", max(t.cores, 1)), float64(t.workers), 1, 1, 16, t.running, func(v float64) { t.workers = int(v) }),
			app.Div().Class("buttons").Body(
				app.Button().ID("start").Text("Train").Disabled(t.running).OnClick(t.start),
				app.If(t.running && !t.paused, func() app.UI { return app.Button().ID("pause").Text("Pause").OnClick(t.pause) }),
				app.If(t.running && t.paused, func() app.UI { return app.Button().ID("resume").Text("Resume").OnClick(t.resume) }),
				app.If(t.running, func() app.UI { return app.Button().ID("stop").Text("Stop").OnClick(t.stop) }),
			),
			app.H2().Text("Keep and move models"),
			app.Div().Class("buttons").Body(
				app.Button().ID("use").Text("Use in the other views").Disabled(t.running).OnClick(t.useEverywhere),
				app.Button().ID("export").Text("Export file").Disabled(t.running).OnClick(t.export),
				app.Button().ID("share").Text("Share").Aria("label", "Share a link to the trained model").Disabled(t.running).OnClick(t.share),
			),
			app.If(t.shareLink != "", func() app.UI {
				return app.P().Class("share-link").Attr("role", "status").Body(
					app.Text("Anyone with this link gets your model: "),
					app.A().ID("share-link").Href(t.shareLink).Text(t.shareLink),
				)
			}),
			app.Label().For("import").Text("Import a model file (.lpm)"),
			app.Input().ID("import").Type("file").Accept(".lpm,application/octet-stream").OnChange(t.importFile),
			app.If(t.info != "", func() app.UI { return app.P().Class("info").Attr("role", "status").Text(t.info) }),
			app.If(t.errMsg != "", func() app.UI { return app.P().Class("error").Attr("role", "alert").Text(t.errMsg) }),
		),
		app.Section().Class("results").Body(
			t.status(),
			app.Article().Class("model").ID("plot").Body(
				app.H3().Text("Loss per image"),
				app.Raw(lossPlot(t.history, t.setLoss, t.kind)),
			),
			app.If(!isGANKind(t.kind), func() app.UI {
				return app.Article().Class("model").ID("probe").Body(
					app.H3().Text("Fixed test digits (top) and the model's rebuilds (bottom)"),
					grid(t.probe, probeDigits, probeDigits, "a test digit"),
					grid(t.rebuilt, probeDigits, probeDigits, "the model's rebuild of the test digit above"),
				)
			}).Else(func() app.UI {
				return app.Article().Class("model").ID("drawn").Body(
					app.H3().Text("Samples from a fixed z"),
					app.P().Class("note").Text(t.drawnNote()),
					grid(t.drawn, probeDigits, probeDigits, "the generator's image of one fixed z"),
				)
			}),
			app.If(samplesKind(t.kind), func() app.UI {
				return app.Article().Class("model").ID("reads").Body(
					app.H3().Text("Do the samples read as digits?"),
					app.P().Class("note").Text(t.readsNote()),
					app.Raw(readsPlot(t.reads, conditionalKind(t.kind), t.shipped[viewSlot(t.kind)], t.shipped[judgeSlot])),
				)
			}),
		),
	)
}

// readsNote says what the readings are, and the latest.
func (t *Train) readsNote() string {
	s := fmt.Sprintf("Every quarter epoch the model draws %s samples from the same z ~ N(0, I), and the shipped classifier (mlp) reads them: how sure it is of a digit, how evenly the ten classes come out", thousands(protocol.ReadSamples))
	if conditionalKind(t.kind) {
		s += ", and how often it reads the class the model was asked for"
	}
	s += "."
	if n := len(t.reads); n > 0 {
		r := t.reads[n-1]
		s += fmt.Sprintf(" After %s images: confidence %.2f, rarest class %.1f%% of the samples", thousands(r.Samples), r.Confidence, 100*r.MinShare)
		if conditionalKind(t.kind) {
			s += fmt.Sprintf(", the asked-for class read in %.1f%%", 100*r.LabelAccuracy)
		}
		s += "."
	}
	return s
}

// setKind chooses the model to train; choosing a GAN, or leaving one,
// sets the settings that kind trains well with.
func (t *Train) setKind(kind string) {
	was := isGANKind(t.kind)
	t.kind = kind
	switch {
	case isGANKind(kind) && !was:
		t.latent, t.hidden, t.batch, t.lr, t.halfLife = ganDefaults.latent, ganDefaults.hidden, ganDefaults.batch, ganDefaults.lr, 0
	case !isGANKind(kind) && was:
		t.latent, t.hidden, t.batch, t.lr, t.halfLife = vaeDefaults.latent, vaeDefaults.hidden, vaeDefaults.batch, vaeDefaults.lr, vaeDefaults.halfLife
	}
}

func (t *Train) hiddenLabel() string {
	if isGANKind(t.kind) {
		return "Hidden units (the generator's first layer; its second has twice as many)"
	}
	return "Hidden units"
}

// drawnNote says what the fixed-z panel shows.
func (t *Train) drawnNote() string {
	s := "The same eight z ~ N(0, I) go through the generator after every chunk of training, so what changes is the generator alone: the average of its weights over about the last thousand steps, which smooths out the players' back-and-forth and is the generator kept when training ends. A GAN has no encoder, so it cannot rebuild test digits."
	if t.kind == "cgan" {
		s += " Each is asked for the digit of its place: 0 to 7."
	}
	return s
}

// status is the run's progress line and bars.
func (t *Train) status() app.UI {
	p := t.last
	var line string
	switch p.State {
	case "":
		line = "Not trained yet. MNIST (11 MB) loads when training starts."
		if t.loaded.Kind != "" {
			line = fmt.Sprintf("Not trained in this visit; a %s is loaded (see above). MNIST (11 MB) loads when training starts.", t.loaded.Kind)
		}
	case protocol.Loading:
		line = fmt.Sprintf("Loading MNIST… %.0f%%", 100*p.Loaded)
	default:
		workers := fmt.Sprintf("%d %s", max(p.Workers, 1), plural(max(p.Workers, 1), "worker", "workers"))
		if isGANKind(t.kind) && t.workers > 1 {
			workers = "1 worker: a GAN's round of D's step then G's does not split across workers"
		}
		line = fmt.Sprintf("%s — epoch %d/%d, step %d/%d, %.0f images/s (%.0f ms a step, %s), about %.0f s left",
			p.State, p.Epoch, p.Epochs, p.Step, p.Steps, p.SamplesPerSec, p.StepMS, workers, p.ETASeconds)
		if p.State == protocol.Done {
			line = fmt.Sprintf("done — %d images seen, final loss %.3f", p.Samples, p.Loss.Total)
			if isGANKind(t.kind) {
				line = fmt.Sprintf("done — %d images seen, final losses D %.3f, G %.3f", p.Samples, p.Players.D, p.Players.G)
			}
		}
		if p.State == protocol.Stopped || p.State == protocol.Diverged || p.State == protocol.Failed {
			line = fmt.Sprintf("%s — epoch %d/%d, step %d/%d, %d images seen", p.State, p.Epoch, p.Epochs, p.Step, p.Steps, p.Samples)
		}
	}
	done := 0.0
	if p.Epochs > 0 && p.Steps > 0 {
		done = (float64(p.Epoch-1) + float64(p.Step)/float64(p.Steps)) / float64(p.Epochs)
	}
	if p.State == protocol.Done {
		done = 1
	}
	first, last := 0.0, 0.0
	if len(t.history) > 0 {
		first, last = t.history[0].total, t.history[len(t.history)-1].total
	}
	var setLine string
	setLoss, setEpoch, elbo := 0.0, 0, 0.0 // elbo: a VAE's −ELBO, for tests and benchmarks
	if n := len(t.setLoss); n > 0 {
		setLoss, setEpoch = t.setLoss[n-1][1], n
		what := fmt.Sprintf("loss %.4f", setLoss)
		if strings.Contains(t.kind, "vae") {
			what, elbo = fmt.Sprintf("−ELBO %.1f nats a digit", setLoss), setLoss
		}
		setLine = fmt.Sprintf("On all 10,000 test digits after epoch %d: %s.", setEpoch, what)
	}
	readConfidence, readAt := 0.0, 0 // the latest reading of the samples, for tests and benchmarks
	if n := len(t.reads); n > 0 {
		readConfidence, readAt = t.reads[n-1].Confidence, t.reads[n-1].Samples
	}
	lastD, lastG := 0.0, 0.0
	if n := len(t.history); n > 0 {
		lastD, lastG = t.history[n-1].d, t.history[n-1].g
	}
	return app.Article().Class("model").ID("status").
		Attr("data-state", string(p.State)).Attr("data-events", len(t.history)).
		Attr("data-loss-d", lastD).Attr("data-loss-g", lastG).
		Attr("data-first-loss", first).Attr("data-last-loss", last).
		Attr("data-epoch", p.Epoch).Attr("data-test-set-loss", setLoss).Attr("data-test-set-epoch", setEpoch).
		Attr("data-test-elbo", elbo).
		Attr("data-sample-confidence", readConfidence).Attr("data-sample-read-at", readAt).Body(
		app.P().Attr("role", "status").Text(line),
		app.If(setLine != "", func() app.UI { return app.P().Class("set-loss").Text(setLine) }),
		app.If(p.State == protocol.Loading, func() app.UI {
			return app.Progress().Aria("label", "MNIST loaded").Max(1).Value(fmt.Sprint(p.Loaded))
		}),
		app.Progress().Aria("label", "Training progress").Max(1).Value(fmt.Sprint(done)),
	)
}

// field wraps a control with its label.
func field(label string, control app.UI) app.UI {
	return app.Label().Class("field").Body(app.Span().Text(label), control)
}

func numberField(id, label string, v, step, lo, hi float64, disabled bool, set func(float64)) app.UI {
	return app.Label().Class("field").For(id).Body(
		app.Span().Text(label),
		app.Input().ID(id).Type("number").Step(step).Min(lo).Max(hi).
			Value(strconv.FormatFloat(v, 'g', -1, 64)).Disabled(disabled).
			// Every field's handler has the same code: scoped by id, so that
			// go-app gives a field its own when fields come and go above it.
			OnChange(func(ctx app.Context, e app.Event) {
				if f, err := strconv.ParseFloat(ctx.JSSrc().Get("value").String(), 64); err == nil {
					set(f)
				}
			}, app.EventScope(id)),
	)
}

// cores is how many logical processors the browser reports: as many
// engines as that train at full speed together.
func cores() int {
	if !app.IsClient {
		return 1
	}
	if n := app.Window().Get("navigator").Get("hardwareConcurrency"); n.Truthy() {
		return min(max(n.Int(), 1), 16)
	}
	return 1
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
