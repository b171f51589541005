package web

import (
	"fmt"
	"strings"
	"sync"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// currentPresenting is the display state the URL asks for (none while the
// server renders the pages).
func currentPresenting() presenting {
	if !app.IsClient {
		return presenting{}
	}
	return parsePresenting(app.Window().URL().RawQuery)
}

// page wraps a view's sections in the app shell: header, the two
// navigations (the lecture, numbered in its order, and the playground),
// and for a lesson its opening line, its "Try this" prompts and the links
// to the lessons before and after it.
func page(id string, sections ...app.UI) app.UI {
	pr := currentPresenting()
	listenForArrows()
	l, at := lessonOf(id)
	body := sections
	if at >= 0 {
		body = append([]app.UI{lessonIntro(l, at)}, sections...)
		body = append(body, lessonTries(l), lessonLinks(at, pr))
	}
	// data-live tells a test (or a script) that the app itself, not the
	// pre-rendered page the server sent, is on screen.
	return app.Div().Class(pr.classes()).Attr("data-live", app.IsClient).Body(
		app.Header().Body(
			app.Div().Class("brand").Body(
				app.H1().Body(app.A().Href("/"+pr.query()).Text("latentplay")),
				app.P().Class("tagline").Text("Neural networks and VAEs, computed in your browser."),
				app.Button().Class("theme-toggle").ID("theme").Text("Light or dark").
					Title("Switch between the light and the dark theme").OnClick(switchTheme),
				app.A().Class("present-toggle").ID("present").Href(presentHref(id, pr)).
					Aria("label", presentLabel(pr)).Text(presentLabel(pr)),
			),
			lectureNav(at, pr),
			playgroundNav(id, pr),
		),
		app.Main().ID(id).Body(body...),
	)
}

func presentLabel(pr presenting) string {
	if pr.On {
		return "Leave presenter mode"
	}
	return "Present"
}

// presentHref is this page with presenter mode switched.
func presentHref(id string, pr presenting) string {
	path := "/"
	if l, at := lessonOf(id); at >= 0 {
		path = l.Path
	} else {
		for _, v := range playgroundViews {
			if v.ID == id {
				path = v.Path
			}
		}
	}
	return path + pr.toggled().query()
}

// lectureNav lists the lessons by number, the current one marked, its
// title beside it.
func lectureNav(at int, pr presenting) app.UI {
	items := make([]app.UI, len(lecture))
	for i, l := range lecture {
		a := app.A().Href(l.Path+pr.query()).Title(l.Title).
			Aria("label", fmt.Sprintf("Lesson %d: %s", i+1, l.Title)).Text(lessonNumber(i))
		if i == at {
			a = a.Aria("current", "page")
		}
		items[i] = app.Li().Body(a)
	}
	current := "Start at lesson 1"
	if at >= 0 {
		current = lecture[at].Title
	}
	return app.Nav().Class("lecture").Aria("label", "Lecture").Body(
		app.Span().Class("nav-head").Text("Lecture"),
		app.Ol().Body(items...),
		app.Span().Class("nav-current").Text(current),
	)
}

// playgroundNav lists the views for free use.
func playgroundNav(id string, pr presenting) app.UI {
	items := make([]app.UI, len(playgroundViews))
	for i, v := range playgroundViews {
		a := app.A().Href(v.Path + pr.query()).Text(v.Title)
		if v.ID == id {
			a = a.Aria("current", "page")
		}
		items[i] = app.Li().Body(a)
	}
	return app.Nav().Class("playground").Aria("label", "Playground").Body(
		app.Span().Class("nav-head").Text("Playground"),
		app.Ul().Body(items...),
	)
}

// lessonIntro opens a lesson: where it sits in the lecture, and its point.
func lessonIntro(l lesson, at int) app.UI {
	return app.Section().Class("intro").Body(
		app.P().Class("lesson-line").Text(fmt.Sprintf("Lesson %d of %d · %s", at+1, len(lecture), l.Slides)),
		app.H2().Text(l.Title),
		app.P().Class("point").Text(l.Point),
	)
}

// lessonTries are the lesson's "Try this" prompts.
func lessonTries(l lesson) app.UI {
	if len(l.Tries) == 0 {
		return app.Text("")
	}
	items := make([]app.UI, len(l.Tries))
	for i, t := range l.Tries {
		items[i] = app.Li().Body(app.Strong().Text(t.Do+" "), app.Span().Text(t.See))
	}
	return app.Section().Class("try").Aria("label", "Try this").Body(
		app.H2().Text("Try this"),
		app.Ol().Body(items...),
	)
}

// lessonLinks lead to the lessons before and after.
func lessonLinks(at int, pr presenting) app.UI {
	var prev, next app.UI = app.Span(), app.Span()
	if at > 0 {
		l := lecture[at-1]
		prev = app.A().Rel("prev").Href(l.Path + pr.query()).Text("← " + l.Title)
	}
	if at+1 < len(lecture) {
		l := lecture[at+1]
		next = app.A().Rel("next").Href(l.Path + pr.query()).Text(l.Title + " →")
	}
	return app.Nav().Class("lesson-links").Aria("label", "Previous and next lesson").Body(prev, next)
}

// switchTheme turns the page light if it is dark and dark if it is light
// (whichever the system chose), and remembers the choice.
func switchTheme(ctx app.Context, e app.Event) {
	defer func() { recover() }() // storage refused: the theme still switches for this page
	root := app.Window().Get("document").Get("documentElement")
	dark := root.Get("dataset").Get("theme").String() == "dark"
	if t := root.Get("dataset").Get("theme"); !t.Truthy() {
		dark = !app.Window().Call("matchMedia", "(prefers-color-scheme: light)").Get("matches").Bool()
	}
	next := "dark"
	if dark {
		next = "light"
	}
	root.Get("dataset").Set("theme", next)
	app.Window().Get("localStorage").Call("setItem", "latentplay-theme", next) // may throw where storage is refused
}

// arrowsOnce installs the presenter's arrow keys once per page.
var arrowsOnce sync.Once

// listenForArrows makes ← and → follow the previous and next links while
// presenting, unless a control or a canvas that uses the arrows has the
// focus.
func listenForArrows() {
	if !app.IsClient {
		return
	}
	arrowsOnce.Do(func() {
		doc := app.Window().Get("document")
		doc.Call("addEventListener", "keydown", app.FuncOf(func(_ app.Value, args []app.Value) any {
			e := args[0]
			key := e.Get("key").String()
			if key != "ArrowLeft" && key != "ArrowRight" || !doc.Call("querySelector", ".shell.present").Truthy() {
				return nil
			}
			switch strings.ToLower(e.Get("target").Get("tagName").String()) {
			case "input", "select", "textarea", "canvas", "button":
				return nil
			}
			rel := "next"
			if key == "ArrowLeft" {
				rel = "prev"
			}
			if a := doc.Call("querySelector", `a[rel="`+rel+`"]`); a.Truthy() {
				e.Call("preventDefault")
				a.Call("click")
			}
			return nil
		}))
	})
}

// Routes registers every view with go-app, on the server and in the browser.
func Routes() {
	app.Route("/", func() app.Composer { return &Playground{} })
	app.Route("/generate", func() app.Composer { return &Generate{} })
	app.Route("/interpolate", func() app.Composer { return &Interpolate{} })
	app.Route("/vae-vs-gan", func() app.Composer { return &VAEvsGAN{} })
	app.Route("/train", func() app.Composer { return &Train{} })
	app.Route("/latent", func() app.Composer { return &LatentMap{} })
	app.Route("/perceptron", func() app.Composer { return &Perceptron{} })
	app.Route("/activations", func() app.Composer { return &Activations{} })
	app.Route("/network", func() app.Composer { return &Network{} })
	app.Route("/descent", func() app.Composer { return &Descent{} })
	app.Route("/classifier", func() app.Composer { return &Classifier{} })
	app.Route("/autoencoders", func() app.Composer { return &AutoencodersLesson{} })
	app.Route("/linear-ae", func() app.Composer { return &LinearAELesson{} })
	app.Route("/why-autoencoders", func() app.Composer { return &WhyAELesson{} })
	app.Route("/limits", func() app.Composer { return &LimitsLesson{} })
	app.Route("/generative", func() app.Composer { return &Generate{IPage: "generative"} })
	app.Route("/vae", func() app.Composer { return &LatentMap{IPage: "vae"} })
	app.Route("/elbo", func() app.Composer { return &ELBOLesson{} })
	app.Route("/reparam", func() app.Composer { return &ReparamLesson{} })
	app.Route("/cvae", func() app.Composer { return &CVAELesson{} })
	app.Route("/gan", func() app.Composer { return &GANLab{} })
}
