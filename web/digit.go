package web

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// Digit shows one 28×28 image, scaled up with its pixels kept square.
type Digit struct {
	app.Compo

	IPixels []float32 // 784 values in [0,1]
	IAlt    string
	ISize   int // CSS pixels per side
}

// Render shows the image, or an empty frame until there is one.
func (d *Digit) Render() app.UI {
	size := d.ISize
	if size == 0 {
		size = 84
	}
	if len(d.IPixels) != 28*28 {
		return app.Div().Class("digit", "empty").Style("width", px(size)).Style("height", px(size)).Aria("label", d.IAlt).Attr("role", "img")
	}
	return app.Img().Class("digit").Src(digitDataURL(d.IPixels, 28, 28)).Alt(d.IAlt).Width(size).Height(size)
}

func px(n int) string { return itoa(n) + "px" }
