package e2e

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// The site and the server binary that `make site` builds; the tests run
// from e2e/.
const (
	siteDir    = "../dist"
	subSiteDir = "../dist-sub" // the same site built with PREFIX=/latentplay
	serverBin  = "../bin/latentplay"
	chromium   = "/usr/bin/chromium"
	outDir     = "out" // screenshots, kept as test artifacts
)

// serve starts the real server on a free loopback port and returns the
// site's URL (ending in /).
func serve(t *testing.T, dir, prefix string) string {
	t.Helper()
	url, _ := serveStoppable(t, dir, prefix)
	return url
}

// serveStoppable is serve that also returns a function stopping the server.
func serveStoppable(t *testing.T, dir, prefix string) (string, func()) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		t.Fatalf("no built site in %s: run `make site` first (`make test` does)", dir)
	}
	cmd := exec.Command(serverBin, "serve", "-dir", dir, "-addr", "127.0.0.1:0", "-prefix", prefix)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v (run `make site` first)", serverBin, err)
	}
	var once sync.Once
	stop := func() { once.Do(func() { cmd.Process.Kill(); cmd.Wait() }) }
	t.Cleanup(stop)
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("server printed no URL: %v", err)
	}
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "latentplay is at ")
	if !ok {
		t.Fatalf("server said %q", line)
	}
	return url, stop
}

// page is one tab of a fresh headless Chromium, with the console watched.
type page struct {
	t   *testing.T
	ctx context.Context

	mu       sync.Mutex
	problems []string // console errors and uncaught exceptions
}

// newPage starts Chromium with a fresh profile. width×height is the window.
func newPage(t *testing.T, width, height int) *page {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("%s is missing: install Debian's chromium (apt-get install chromium; `make test` run as root does)", chromium)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	p := &page{t: t, ctx: ctx}
	if err := chromedp.Do(ctx); err != nil { // start the browser
		t.Fatalf("starting chromium: %v", err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if os.Getenv("E2E_CONSOLE") != "" {
				fmt.Fprintf(os.Stderr, "console %s: %s\n", m.Type, m.Text)
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				p.mu.Lock()
				p.problems = append(p.problems, fmt.Sprintf("%s: %s (%s:%d)", m.Type, m.Text, m.URL, m.Line))
				p.mu.Unlock()
			}
		}
	}()
	return p
}

// open navigates to url and waits until the app has replaced the page
// the server pre-rendered (whose buttons do nothing yet).
func (p *page) open(url string) {
	p.t.Helper()
	p.run(chromedp.Navigate(url))
	p.waitFor("the app to start", `document.querySelector(".shell")?.dataset.live === "true"`)
}

// run runs actions, failing the test on error.
func (p *page) run(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 90*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.t.Fatal(err)
	}
}

// eval evaluates a JS expression (awaiting a promise) into T.
func eval[T any](p *page, js string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 90*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("%s: %v", js, err)
	}
	return v
}

// waitFor polls a JS predicate until it holds.
func (p *page) waitFor(what, js string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 90*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(80*time.Second))); err != nil {
		p.screenshot("failed-" + strings.ReplaceAll(p.t.Name(), "/", "-"))
		p.t.Fatalf("waiting for %s: %v (console: %v)", what, err, p.consoleProblems())
	}
}

func (p *page) consoleProblems() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.problems...)
}

// noConsoleProblems fails the test if the page logged an error or threw.
func (p *page) noConsoleProblems() {
	p.t.Helper()
	if probs := p.consoleProblems(); len(probs) > 0 {
		p.t.Errorf("the page reported %d problem(s):\n%s", len(probs), strings.Join(probs, "\n"))
	}
}

// screenshot writes the page to out/NAME.png.
func (p *page) screenshot(name string) {
	p.t.Helper()
	p.shoot(name, chromedp.FullScreenshot(100))
}

// screenshotScreen saves what is on the screen now: the viewport, not the
// whole page.
func (p *page) screenshotScreen(name string) {
	p.t.Helper()
	p.shoot(name, chromedp.CaptureScreenshot())
}

func (p *page) shoot(name string, shot chromedp.Action[[]byte]) {
	p.t.Helper()
	b, err := chromedp.Run(p.ctx, shot)
	if err != nil {
		p.t.Fatal(err)
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outDir, name+".png"), b, 0o644); err != nil {
		p.t.Fatal(err)
	}
}

// stroke draws a polyline (in fractions of the element's box) on the
// element matched by selector with real mouse events: press, moves, release.
func (p *page) stroke(selector string, pts [][2]float64) {
	p.t.Helper()
	box := eval[[]float64](p, fmt.Sprintf(`(() => { const r = document.querySelector(%q).getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`, selector))
	at := func(q [2]float64) (float64, float64) { return box[0] + q[0]*box[2], box[1] + q[1]*box[3] }
	x, y := at(pts[0])
	actions := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(chromedp.MousePressed, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1))}
	for i := 1; i < len(pts); i++ {
		// Several moves per segment, as a real pen gives.
		for k := 1; k <= 4; k++ {
			f := float64(k) / 4
			q := [2]float64{pts[i-1][0] + f*(pts[i][0]-pts[i-1][0]), pts[i-1][1] + f*(pts[i][1]-pts[i-1][1])}
			x, y := at(q)
			actions = append(actions, chromedp.MouseEvent(chromedp.MouseMoved, x, y, chromedp.ButtonType(input.MouseButtonLeft), withButtons(1)))
		}
	}
	x, y = at(pts[len(pts)-1])
	actions = append(actions, chromedp.MouseEvent(chromedp.MouseReleased, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1)))
	p.run(actions...)
}

func withButtons(b int64) chromedp.MouseOption {
	return func(p *input.DispatchMouseEventParams) { p.Buttons = b }
}

// touchStroke draws a polyline with touch events, as a finger would.
func (p *page) touchStroke(selector string, pts [][2]float64) {
	p.t.Helper()
	box := eval[[]float64](p, fmt.Sprintf(`(() => { const r = document.querySelector(%q).getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`, selector))
	touch := func(typ input.DispatchTouchEventType, q *[2]float64) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			params := input.DispatchTouchEventParams{Type: typ, TouchPoints: []*input.TouchPoint{}}
			if q != nil {
				params.TouchPoints = []*input.TouchPoint{{X: box[0] + q[0]*box[2], Y: box[1] + q[1]*box[3]}}
			}
			_, err := cdp.Call(ctx, t, input.DispatchTouchEvent, params)
			return err
		})
	}
	actions := []chromedp.Action[chromedp.Void]{touch(input.DispatchTouchEventTypeTouchStart, &pts[0])}
	for i := 1; i < len(pts); i++ {
		for k := 1; k <= 4; k++ {
			f := float64(k) / 4
			q := [2]float64{pts[i-1][0] + f*(pts[i][0]-pts[i-1][0]), pts[i-1][1] + f*(pts[i][1]-pts[i-1][1])}
			actions = append(actions, touch(input.DispatchTouchEventTypeTouchMove, &q))
		}
	}
	actions = append(actions, touch(input.DispatchTouchEventTypeTouchEnd, nil))
	p.run(actions...)
}

// screen is a window the suite looks at views in.
type screen struct {
	name  string
	w, h  int
	phone bool // a touch phone: mobile emulation at twice the pixel density
}

// desktop and phone are the two screens every view must work on.
var (
	desktop = screen{"desktop", 1280, 800, false}
	phone   = screen{"phone", 375, 667, true}
)

// open starts a browser page of the screen's size, a phone's if it is one.
func (s screen) open(t *testing.T) *page {
	t.Helper()
	p := newPage(t, s.w, s.h)
	if s.phone {
		p.run(chromedp.EmulateViewport(int64(s.w), int64(s.h), chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2)))
	}
	return p
}
