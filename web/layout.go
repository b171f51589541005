package web

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// views are the app's pages, in the order the navigation lists them.
var views = []struct{ path, title string }{
	{"/", "Draw & rebuild"},
	{"/generate", "Generate"},
	{"/latent", "Latent map"},
	{"/interpolate", "Interpolate"},
	{"/train", "Train"},
	{"/perceptron", "Perceptron"},
	{"/activations", "Activations"},
	{"/network", "Network"},
	{"/descent", "Descent"},
	{"/classifier", "Classifier"},
	{"/teach", "What AEs teach"},
}

// page wraps a view's sections in the app shell: header, navigation, main.
func page(id string, sections ...app.UI) app.UI {
	// data-live tells a test (or a script) that the app itself, not the
	// pre-rendered page the server sent, is on screen.
	return app.Div().Class("shell").Attr("data-live", app.IsClient).Body(
		app.Header().Body(
			app.H1().Text("latentplay"),
			app.P().Class("tagline").Text("Neural networks and VAEs, computed in your browser."),
			app.Nav().Aria("label", "Views").Body(
				app.Ul().Body(app.Range(views).Slice(func(i int) app.UI {
					return app.Li().Body(app.A().Href(views[i].path).Text(views[i].title))
				})),
			),
		),
		app.Main().ID(id).Body(sections...),
	)
}

// Routes registers every view with go-app, on the server and in the browser.
func Routes() {
	app.Route("/", func() app.Composer { return &Playground{} })
	app.Route("/generate", func() app.Composer { return &Generate{} })
	app.Route("/interpolate", func() app.Composer { return &Interpolate{} })
	app.Route("/train", func() app.Composer { return &Train{} })
	app.Route("/latent", func() app.Composer { return &LatentMap{} })
	app.Route("/perceptron", func() app.Composer { return &Perceptron{} })
	app.Route("/activations", func() app.Composer { return &Activations{} })
	app.Route("/network", func() app.Composer { return &Network{} })
	app.Route("/descent", func() app.Composer { return &Descent{} })
	app.Route("/classifier", func() app.Composer { return &Classifier{} })
	app.Route("/teach", func() app.Composer { return &Teach{} })
}
