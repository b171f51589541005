package web

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// Handler describes the site to go-app: its name, icons, styles and the
// resources its service worker keeps for offline use. version must change
// with every build, so a cached service worker never serves stale wasm;
// prefix is the sub-path the site is served under ("" for the root).
func Handler(version, prefix string) *app.Handler {
	h := &app.Handler{
		Name:            "latentplay",
		ShortName:       "latentplay",
		Title:           "latentplay — neural networks and VAEs in your browser",
		Description:     "Draw a digit and watch autoencoders, VAEs and conditional VAEs rebuild it; train them on MNIST on your own machine.",
		Icon:            app.Icon{Default: "/web/icon-192.png", Large: "/web/icon-512.png", SVG: "/web/icon.svg"},
		BackgroundColor: "#111318",
		ThemeColor:      "#111318",
		LoadingLabel:    "Loading latentplay {progress}%",
		Styles:          []string{"/web/app.css"},
		Scripts:         []string{"/web/store.js"},
		CacheableResources: []string{
			"/web/boot.js", "/web/engine.js", "/web/wasm_exec.js",
			"/web/models/index.json",
			"/web/models/mlp.lpm", "/web/models/ae-20.lpm", "/web/models/vae-20.lpm", "/web/models/cvae-20.lpm",
			"/web/models/ae-2.lpm", "/web/models/vae-2.lpm",
		},
		Version:               version,
		ServiceWorkerTemplate: serviceWorker,
	}
	if prefix != "" {
		h.Resources = app.PrefixedLocation(prefix)
	}
	return h
}
