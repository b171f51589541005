package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/chromedp/chromedp"
)

// targetConfidence is the mean top-class probability the shipped mlp must
// read in a GAN's samples for the Train view's GAN to count as trained;
// ganTimeout is how long it gets (bench's -gan-timeout).
const targetConfidence = 0.8

var ganTimeout = 15 * time.Minute

// trainGANToConfidence opens the Train view, chooses the GAN with its
// default recipe (the shipped gan's: z of 64, 256-512 units, batch 64,
// Adam 2e-4, β₁ 0.5, all of MNIST) and asks for all workers (a GAN takes
// one: the status says so), presses Train and records the seconds until
// the shipped mlp reads its samples (1,000 of them, every quarter epoch:
// #status's data-sample-confidence) with a mean confidence of at least
// targetConfidence, and the images seen by then. MNIST is in the
// browser's cache from the runs before. On timeout it records what was
// reached.
func trainGANToConfidence(ctx context.Context, url string, results map[string]float64) error {
	if err := openTrain(ctx, url, [2]string{"kind", `"gan"`}, [2]string{"epochs", `"100"`}, [2]string{"workers", "String(navigator.hardwareConcurrency || 1)"}); err != nil {
		return err
	}
	if err := chromedp.Do(ctx,
		script(`(() => {
			window.benchGAN = null;
			const target = `+fmt.Sprint(targetConfidence)+`;
			const check = () => {
				const s = document.getElementById("status");
				const c = Number(s?.dataset.sampleConfidence || 0);
				if (!window.benchGAN && c >= target) window.benchGAN = {t: performance.now(), c, images: Number(s.dataset.sampleReadAt)};
			};
			new MutationObserver(check).observe(document.body, {subtree: true, attributes: true, attributeFilter: ["data-sample-confidence"]});
			window.benchGANStartedAt = performance.now();
			document.getElementById("start").click();
		})()`),
		// The view shows the last run's end until the new one starts.
		chromedp.Poll[chromedp.Void](`["loading", "running"].includes(document.getElementById("status")?.dataset.state)`, chromedp.WithPollingTimeout(time.Minute)),
	); err != nil {
		return err
	}
	type state struct {
		Line       string  `json:"line"`
		State      string  `json:"state"`
		Confidence float64 `json:"confidence"`
		Images     float64 `json:"images"`
		Reached    *struct{ T, C, Images float64 }
		Started    float64 `json:"started"`
	}
	read := chromedp.Evaluate[state](`(() => {
		const s = document.getElementById("status"), r = window.benchGAN;
		return {line: [s?.querySelector("p")?.textContent, document.getElementById("kind").value, document.getElementById("epochs").value, document.getElementById("images").value].join(" | "), state: s?.dataset.state || "", confidence: Number(s?.dataset.sampleConfidence || 0), images: Number(s?.dataset.sampleReadAt || 0),
			started: benchGANStartedAt, Reached: r && {T: r.t, C: r.c, Images: r.images}};
	})()`)
	deadline := time.Now().Add(ganTimeout)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var st state
	for range tick.C {
		var err error
		if st, err = chromedp.Run(ctx, read); err != nil {
			return err
		}
		if st.Reached != nil || time.Now().After(deadline) || (st.State != "running" && st.State != "" && st.State != "loading" && st.State != "paused") {
			break
		}
	}
	if st.Reached != nil {
		results["train_gan_to_confidence_s"] = (st.Reached.T - st.Started) / 1000
		results["train_gan_to_confidence_images"] = st.Reached.Images
		results["train_gan_reached_confidence"] = st.Reached.C
		delete(results, "train_gan_timeout_s")
	} else {
		fmt.Fprintf(os.Stderr, "bench: the Train view's GAN did not reach a sample confidence of %g in %v (state %q, %g images, confidence %.3f: %s)\n", targetConfidence, ganTimeout, st.State, st.Images, st.Confidence, st.Line)
		delete(results, "train_gan_to_confidence_s")
		delete(results, "train_gan_to_confidence_images")
		results["train_gan_timeout_s"] = ganTimeout.Seconds()
		results["train_gan_reached_confidence"] = st.Confidence
	}
	return chromedp.Do(ctx, script(`document.getElementById("stop")?.click()`),
		chromedp.Poll[chromedp.Void](`["stopped", "done", "diverged", "failed"].includes(document.getElementById("status")?.dataset.state)`, chromedp.WithPollingTimeout(time.Minute)))
}
