package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// storeLength is the length of what IndexedDB keeps under key (−1 for
// nothing).
func storeLength(p *page, key string) int {
	p.t.Helper()
	return eval[int](p, `latentplayStore.get(`+jsString(key)+`).then(v => v ? v.length : -1)`)
}

func jsString(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

// A corrupt model kept in IndexedDB (a bad write, a foreign page's data)
// is refused at start-up with a message; the shipped models are used, and
// the record is set aside rather than read again at every visit.
func TestCorruptStoredModel(t *testing.T) {
	url := serve(t, siteDir, "")
	p := openTrain(t, url)
	eval[bool](p, `latentplayStore.put("trained", new Uint8Array([76, 80, 77, 1, 2, 3, 4, 5, 6, 7]))`)
	p.run(chromedp.Reload())
	p.waitFor("the refusal", `document.querySelector(".error")?.textContent.includes("could not be loaded")`)
	msg := eval[string](p, `document.querySelector(".error").textContent`)
	if !strings.Contains(msg, "set aside") || !strings.Contains(msg, "shipped models are in use") {
		t.Errorf("the message does not say what happened to the record: %q", msg)
	}
	if n := storeLength(p, "trained"); n != -1 {
		t.Errorf("the corrupt record is still the kept model (%d bytes)", n)
	}
	if n := storeLength(p, "trained.refused"); n != 10 {
		t.Errorf("the record set aside holds %d bytes, want the 10 stored", n)
	}
	// The next visit starts clean.
	p.run(chromedp.Reload())
	p.waitFor("a clean start", `document.querySelector("#status")?.textContent.includes("Not trained yet") && !document.querySelector(".error")`)
	p.screenshot("train-corrupt-store")
}

// IndexedDB refusing the write (a full disk, private browsing) loses
// nothing: the view says so, the model stays loaded, and Export still
// gives its file.
func TestRefusedWriteKeepsTheModel(t *testing.T) {
	url := serve(t, siteDir, "")
	p := openTrain(t, url)
	eval[bool](p, `(() => { latentplayStore.put = () => Promise.reject(new DOMException("the quota is exceeded", "QuotaExceededError")); return true; })()`)
	eval[bool](p, `(() => { window.downloaded = 0; latentplayStore.download = (name, bytes) => { window.downloaded = bytes.length; return true; }; return true; })()`)
	setField(p, "images", 1000)
	setField(p, "hidden", 32)
	p.run(chromedp.Click("#start"))
	p.waitFor("the run to end", `document.querySelector("#status").dataset.state === "done"`)
	p.waitFor("the refusal", `document.querySelector(".error")?.textContent.includes("refused to store it")`)
	if msg := eval[string](p, `document.querySelector(".error").textContent`); !strings.Contains(msg, "Export file") {
		t.Errorf("the message does not say how to keep the model: %q", msg)
	}
	p.run(chromedp.Click("#export"))
	p.waitFor("the exported file", `window.downloaded > 1000`)
	p.screenshot("train-refused-write")
}

// A run belongs to the view that started it: a β run started on /elbo
// and still going when the person opens /train is not shown there, and
// /train does not keep its model; back on /elbo, the β lab takes its run
// up again and shows its point.
func TestRunsStayWithTheirView(t *testing.T) {
	url := serve(t, siteDir, "")
	p := newPage(t, 1200, 1800)
	p.open(url + "elbo")
	p.waitFor("the β lab", `!!document.querySelector("#elbo-train") && document.querySelector(".shell")?.dataset.live === "true"`)
	p.run(chromedp.Click("#elbo-train"))
	p.waitFor("the β run to start", `document.querySelector("#elbo-status")?.dataset.state === "running"`)
	p.run(chromedp.Click(`nav a[href="/train"]`))
	p.waitFor("the train view", `!!document.querySelector("#status")`)
	check := func(when string) {
		t.Helper()
		state := eval[string](p, `document.querySelector("#status").dataset.state || ""`)
		line := eval[string](p, `document.querySelector("#status p").textContent`)
		if state != "" || !strings.Contains(line, "Not trained yet") || eval[bool](p, `!!document.querySelector(".info")`) {
			t.Fatalf("%s, /train shows another view's run: state %q, %q", when, state, line)
		}
	}
	check("while the β run goes on")
	p.run(chromedp.Click(`nav a[href="/elbo"]`))
	p.waitFor("the β point, taken up again", `Number(document.querySelector("#elbo-curve")?.dataset.points) === 1 && document.querySelector("#elbo-status").dataset.state === "idle"`)
	p.run(chromedp.Click(`nav a[href="/train"]`))
	p.waitFor("the train view", `!!document.querySelector("#status")`)
	check("after the β run")
	if n := storeLength(p, "trained"); n != -1 {
		t.Errorf("/train kept the β lab's model (%d bytes)", n)
	}
	p.noConsoleProblems()
}

// A shipped model that arrives corrupt (a bad cache, a proxy's mangling)
// is refused by the engine, which the page's head hands it to before the
// page's code runs; the playground then says which model and why, rather
// than waiting for good.
func TestCorruptShippedModel(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(siteDir)); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "web", "models", "vae-20.lpm")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0xff
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(file + ".br"); err != nil {
		t.Fatal(err)
	}
	p := newPage(t, 1200, 900)
	p.open(serve(t, dir, ""))
	p.waitFor("the refusal", `document.querySelector(".draw .error")?.textContent.includes("vae-20")`)
	if msg := eval[string](p, `document.querySelector(".draw .error").textContent`); !strings.Contains(msg, "checksum") || !strings.Contains(msg, "Reloading") {
		t.Errorf("the message does not say what is wrong with the file, or what to do: %q", msg)
	}
	if eval[bool](p, `document.documentElement.dataset.readyAt !== undefined`) {
		t.Error("the playground says it is ready with a model missing")
	}
	p.screenshot("playground-corrupt-model")
}
