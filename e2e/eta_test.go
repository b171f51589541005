package e2e

import (
	"strconv"
	"strings"
	"testing"
)

// The ELBO lesson's η lab: the same VAE trained with p(x|z) = N(x; G(z),
// η·I) at each η, the KL differing in the direction the caption states,
// and for each η its rebuilds and its samples.
func TestEta(t *testing.T) {
	url := serve(t, siteDir, "")
	p := newPage(t, 1200, 1800)
	p.open(url + "elbo")
	p.waitFor("the η lab", `document.querySelector("#eta-train") !== null`)
	eval[bool](p, `(document.querySelector("#eta-train").click(), true)`)
	// One η at a time, each within the wait's budget.
	for i := 1; i <= 3; i++ {
		p.waitFor("training at η number "+strconv.Itoa(i), `Number(document.querySelector("#eta-status")?.dataset.points) >= `+strconv.Itoa(i)+` || document.querySelector("#eta-lab .error") !== null`)
	}
	p.waitFor("the lab's caption", `document.querySelector("#eta-status")?.dataset.state === "idle" && document.querySelector("#eta-says") !== null || document.querySelector("#eta-lab .error") !== null`)
	if e := eval[string](p, `document.querySelector("#eta-lab .error")?.textContent ?? ""`); e != "" {
		t.Fatalf("the lab says: %s", e)
	}
	numbers := func(attr string) []float64 {
		var out []float64
		for _, f := range strings.Fields(eval[string](p, `document.querySelector("#eta-status").dataset.`+attr)) {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, v)
		}
		return out
	}
	etas, kls, elbos := numbers("eta"), numbers("kl"), numbers("elbo")
	t.Logf("η %v: KL %v nats, test ELBO %v nats", etas, kls, elbos)
	if len(etas) < 2 || len(kls) != len(etas) || len(elbos) != len(etas) {
		t.Fatalf("%d η, %d KLs, %d ELBOs", len(etas), len(kls), len(elbos))
	}
	says := eval[string](p, `document.querySelector("#eta-says").textContent`)
	t.Logf("the lab says: %s", says)
	// The caption names the direction; the numbers must go that way.
	lo, hi := kls[0], kls[len(kls)-1]
	switch {
	case strings.Contains(says, "the KL falls"):
		if !(hi < lo) {
			t.Errorf("the caption says the KL falls, but it goes %v", kls)
		}
	case strings.Contains(says, "the KL rises"):
		if !(hi > lo) {
			t.Errorf("the caption says the KL rises, but it goes %v", kls)
		}
	default:
		t.Errorf("the caption names no direction for the KL: %q", says)
	}
	// What the lesson teaches: a sharper likelihood buys a larger KL.
	for i := 1; i < len(kls); i++ {
		if !(kls[i] < kls[i-1]) {
			t.Errorf("KL %v at η %v: want it to fall as η grows", kls, etas)
		}
	}
	if n := eval[int](p, `document.querySelectorAll("#eta-lab .eta-row").length`); n != len(etas) {
		t.Errorf("%d rows of pictures for %d η", n, len(etas))
	}
	if n := eval[int](p, `document.querySelectorAll("#eta-lab img[id^=eta-samples]").length`); n != len(etas) {
		t.Errorf("%d sample grids", n)
	}
	if n := eval[int](p, `document.querySelectorAll("#eta-rebuilt-0 canvas.digit").length`); n != 8 {
		t.Errorf("%d rebuilds at the first η", n)
	}
	if n := eval[int](p, `document.querySelectorAll("#eta-table tbody tr").length`); n != len(etas) {
		t.Errorf("%d rows in the table", n)
	}
	p.screenshotOf("#eta-lab", "elbo-eta")
	p.noConsoleProblems()
}

// The Train view's observation model: shown for the VAEs only, η taken
// only with the Gaussian; an absurd η is refused with a message that says
// what η may be, and nothing trains.
func TestEtaInTheTrainView(t *testing.T) {
	url := serve(t, siteDir, "")
	p := openTrain(t, url)
	visible := func() bool {
		return eval[bool](p, `(() => { const f = document.getElementById("obs-fields"); return !f.hidden && f.offsetParent !== null; })()`)
	}
	if !visible() || !eval[bool](p, `document.getElementById("eta").disabled`) {
		t.Error("for a VAE the observation model shows, with η off until Gaussian is chosen")
	}
	setField(p, "kind", "ae")
	p.waitFor("the fields to hide for an autoencoder", `document.getElementById("obs-fields").hidden`)
	setField(p, "kind", "vae")
	p.waitFor("the fields again for a VAE", `!document.getElementById("obs-fields").hidden`)
	setField(p, "obs", "gaussian")
	p.waitFor("η to open", `!document.getElementById("eta").disabled`)
	setField(p, "eta", 500)
	eval[bool](p, `(document.getElementById("start").click(), true)`)
	p.waitFor("the refusal", `document.querySelector(".controls .error")?.textContent.includes("η = 500")`)
	msg := eval[string](p, `document.querySelector(".controls .error").textContent`)
	t.Logf("the view says: %s", msg)
	if !strings.Contains(msg, "0.001..10") {
		t.Errorf("the refusal %q does not say what η may be", msg)
	}
	if s := statusAttr(p, "state"); s != "" {
		t.Errorf("the run's state is %q after a refusal", s)
	}
	p.noConsoleProblems()
}
