package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// setField sets a form control's value as a person would, firing change.
func setField(p *page, id string, value any) {
	p.t.Helper()
	eval[bool](p, fmt.Sprintf(`(() => { const el = document.getElementById(%q); el.value = %q; el.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`, id, fmt.Sprint(value)))
}

func statusAttr(p *page, name string) string {
	p.t.Helper()
	return eval[string](p, fmt.Sprintf(`document.querySelector("#status").dataset[%q] || ""`, name))
}

func openTrain(t *testing.T, url string) *page {
	p := newPage(t, 1200, 1400)
	p.open(url + "train")
	p.waitFor("the train view", `document.querySelector("#status")?.textContent.includes("Not trained yet") || document.querySelector(".info")`)
	return p
}

// A short run on 2,000 images: the loss falls, progress streams, pause
// stops it, and the trained model survives a reload.
func TestTrainingInTheBrowser(t *testing.T) {
	url := serve(t, siteDir, "")
	p := openTrain(t, url)
	// The default recipe (train.QuickVAE's), and the view says what it is.
	if got := eval[string](p, `["lr", "halflife", "batch"].map((id) => document.getElementById(id).value).join(" ")`); got != "0.005 1 128" {
		t.Errorf("the default learning rate, its half-life and the batch read %q, want 0.005 1 128", got)
	}
	if note := eval[string](p, `document.querySelector("#recipe")?.textContent || ""`); !strings.Contains(note, "halves every epoch") {
		t.Errorf("the view does not say its recipe: %q", note)
	}
	setField(p, "images", 2000)
	setField(p, "epochs", 200)
	setField(p, "hidden", 64)
	setField(p, "lr", 0.003)
	setField(p, "halflife", 0) // a constant rate: 2,000 images make epochs of 16 steps
	cores := eval[int](p, `navigator.hardwareConcurrency`)
	setField(p, "workers", min(cores, 16))
	p.run(chromedp.Click("#start"))
	p.waitFor("progress events", `Number(document.querySelector("#status").dataset.events) >= 3`)
	// Learning shows as the loss falling well below where it started.
	p.waitFor("the loss to fall by a fifth", `(() => { const d = document.querySelector("#status").dataset; return Number(d.lastLoss) < 0.8 * Number(d.firstLoss); })()`)
	// After each epoch the view measures the model on all 10,000 test
	// digits and says so: the −ELBO in nats, on the chart and in words.
	p.waitFor("the whole test set's −ELBO after an epoch", `Number(document.querySelector("#status").dataset.testSetEpoch) >= 1`)
	if elbo := eval[float64](p, `Number(document.querySelector("#status").dataset.testElbo)`); !(elbo > 50 && elbo < 550) {
		t.Errorf("the test-set −ELBO after an epoch reads %v nats a digit", elbo)
	}
	if !strings.Contains(eval[string](p, `document.querySelector("#status .set-loss").textContent`), "10,000 test digits") {
		t.Error("the status does not say the test-set figure")
	}
	p.screenshot("train-running")
	// Asked for, as many engines train as the machine has cores
	// (data-parallel, each in its own Web Worker), and the status says so.
	if want := fmt.Sprintf("%d worker", min(cores, 16)); !strings.Contains(eval[string](p, `document.querySelector("#status p").textContent`), want) {
		t.Errorf("the status does not say %q: %s", want, eval[string](p, `document.querySelector("#status p").textContent`))
	}

	p.run(chromedp.Click("#pause"))
	p.waitFor("the pause", `document.querySelector("#status").dataset.state === "paused"`)
	events := statusAttr(p, "events")
	// Watch 30 animation frames (half a second): a paused run sends nothing.
	eval[bool](p, `new Promise(r => { let n = 0; const f = () => (++n < 30 ? requestAnimationFrame(f) : r(true)); requestAnimationFrame(f); })`)
	if now := statusAttr(p, "events"); now != events {
		t.Errorf("progress went on while paused: %s → %s events", events, now)
	}
	p.run(chromedp.Click("#resume"))
	p.waitFor("running again", `document.querySelector("#status").dataset.state === "running" && Number(document.querySelector("#status").dataset.events) > `+events)

	p.run(chromedp.Click("#stop"))
	p.waitFor("the stop", `document.querySelector("#status").dataset.state === "stopped"`)
	first, _ := strconv.ParseFloat(statusAttr(p, "firstLoss"), 64)
	last, _ := strconv.ParseFloat(statusAttr(p, "lastLoss"), 64)
	t.Logf("loss per image %.2f → %.2f over %s progress events", first, last, statusAttr(p, "events"))
	p.waitFor("the model to be kept", `document.querySelector(".info")?.textContent.includes("kept in this browser")`)

	p.run(chromedp.Reload())
	p.waitFor("the kept model after a reload", `document.querySelector(".info")?.textContent.includes("Your last trained model is loaded: a vae")`)

	// A bad file is refused with a message, and the model stays.
	bad := filepath.Join(t.TempDir(), "not-a-model.lpm")
	if err := os.WriteFile(bad, []byte("GIF89a this is a picture, not a model"), 0o644); err != nil {
		t.Fatal(err)
	}
	p.run(chromedp.SetUploadFiles("#import", []string{bad}))
	p.waitFor("the import error", `document.querySelector(".error")?.textContent.includes("not a latentplay model file")`)
	p.run(chromedp.Click("#use"))
	p.waitFor("the kept model in use", `document.querySelector(".info")?.textContent.includes("now use your model as vae-20: a vae")`)
	p.screenshot("train-kept")

	// The playground names the person's model, and goes back to the
	// shipped one on request.
	p.run(chromedp.Click(`nav.playground a[href="/"]`))
	p.waitFor("the playground naming your model", `document.querySelector("#in-use")?.dataset.yours === "1" && !!document.querySelector("#back-vae-20")`)
	p.screenshot("playground-your-model")
	p.run(chromedp.Click("#back-vae-20"))
	p.waitFor("the shipped VAE again", `document.querySelector("#in-use")?.dataset.yours === "0" && document.querySelector("#in-use li[data-slot='vae-20']")?.textContent.includes("shipped, test −ELBO")`)
	p.noConsoleProblems()
}

func TestBlownUpLearningRateStopsTraining(t *testing.T) {
	url := serve(t, siteDir, "")
	p := openTrain(t, url)
	setField(p, "images", 2000)
	setField(p, "epochs", 50)
	setField(p, "lr", 10)
	p.run(chromedp.Click("#start"))
	p.waitFor("the blow-up", `document.querySelector("#status").dataset.state === "diverged"`)
	msg := eval[string](p, `document.querySelector(".error")?.textContent || ""`)
	if want := "learning rate is too high"; !strings.Contains(msg, want) {
		t.Errorf("message %q does not say %q", msg, want)
	}
	p.screenshot("train-diverged")
	p.noConsoleProblems()
}

// A GAN trains in the tab too: both players' losses stream to the chart,
// the images of a fixed z fill their panel, and the status says the run
// has one worker whatever the field asks.
func TestTrainingAGANInTheBrowser(t *testing.T) {
	url := serve(t, siteDir, "")
	p := openTrain(t, url)
	setField(p, "kind", "gan")
	p.waitFor("the GAN's settings", `document.getElementById("latent").value === "64" && !!document.querySelector("#drawn")`)
	setField(p, "images", 2000)
	setField(p, "epochs", 50)
	setField(p, "workers", 2)
	p.run(chromedp.Click("#start"))
	p.waitFor("progress events", `Number(document.querySelector("#status").dataset.events) >= 3`)
	// The run has the settings the fields were given (2,000 images in
	// batches of 64: 32 steps an epoch, 50 epochs): choosing a GAN takes
	// the recipe note away from above the fields, and none of them may
	// take another's handler.
	if line := eval[string](p, `document.querySelector("#status p").textContent`); !strings.Contains(line, "/50, step") || !strings.Contains(line, "/32,") {
		t.Errorf("the status line does not show 50 epochs of 32 steps: %s", line)
	}
	for _, player := range []string{"lossD", "lossG"} {
		if v, _ := strconv.ParseFloat(statusAttr(p, player), 64); !(v > 0 && v < 100) {
			t.Errorf("%s reads %v", player, v)
		}
	}
	chart := eval[string](p, `document.querySelector("#loss-chart")?.textContent || ""`)
	for _, name := range []string{"discriminator L_D", "generator L_G"} {
		if !strings.Contains(chart, name) {
			t.Errorf("the loss chart does not name %q", name)
		}
	}
	p.waitFor("the fixed z's images", `document.querySelectorAll("#drawn canvas.digit[data-empty=false]").length === 8`)
	// The shipped classifier reads 1,000 samples every quarter epoch (500
	// of the 2,000 images): two readings, charted against real digits.
	p.waitFor("two readings of the samples", `Number(document.querySelector("#status").dataset.sampleReadAt) >= 1000`)
	if c, _ := strconv.ParseFloat(statusAttr(p, "sampleConfidence"), 64); !(c > 0.1 && c <= 1) {
		t.Errorf("the samples read with confidence %v", c)
	}
	reads := eval[string](p, `document.querySelector("#reads-chart")?.textContent || ""`)
	for _, name := range []string{"confidence (mean top-class probability)", "rarest class's share", "real test digits' confidence", "shipped gan's confidence"} {
		if !strings.Contains(reads, name) {
			t.Errorf("the readings' chart does not name %q", name)
		}
	}
	if line := eval[string](p, `document.querySelector("#status p").textContent`); !strings.Contains(line, "1 worker") {
		t.Errorf("the status does not say a GAN trains on one worker: %s", line)
	}
	p.screenshot("train-gan")
	p.run(chromedp.Click("#stop"))
	p.waitFor("the stop", `document.querySelector("#status").dataset.state === "stopped"`)
	p.waitFor("the model to be kept", `document.querySelector(".info")?.textContent.includes("kept in this browser")`)
	p.noConsoleProblems()
}
