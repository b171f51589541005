package web

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
)

// phoneDrawing is the width, in CSS px, a drawing takes on a 375 px
// phone: the screen less the page's and the article's margins (the
// browser tests measure 315).
const phoneDrawing = 315.0

// svgText is one <text> of a drawing: its place, size and words.
type svgText struct {
	x, y, size float64
	anchor     string
	words      string
}

// svgDrawing is what the tests read of a drawing: its size, its texts in
// order, and how many of each other element it has.
type svgDrawing struct {
	w, h  float64
	texts []svgText
	count map[string]int
	attrs map[string]string // the root's
}

func readSVG(t *testing.T, s string) svgDrawing {
	t.Helper()
	d := svgDrawing{count: map[string]int{}, attrs: map[string]string{}}
	dec := xml.NewDecoder(strings.NewReader(s))
	var open *svgText
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			d.count[e.Name.Local]++
			attr := map[string]string{}
			for _, a := range e.Attr {
				attr[a.Name.Local] = a.Value
			}
			num := func(k string) float64 {
				v, err := strconv.ParseFloat(attr[k], 64)
				if err != nil {
					t.Fatalf("<%s> %s=%q: %v", e.Name.Local, k, attr[k], err)
				}
				return v
			}
			switch e.Name.Local {
			case "svg":
				d.attrs = attr
				var x0, y0 float64
				if _, err := fmt.Sscanf(attr["viewBox"], "%g %g %g %g", &x0, &y0, &d.w, &d.h); err != nil {
					t.Fatalf("viewBox %q: %v", attr["viewBox"], err)
				}
			case "text":
				open = &svgText{x: num("x"), y: num("y"), size: num("font-size"), anchor: attr["text-anchor"]}
			}
		case xml.CharData:
			if open != nil {
				open.words += string(e)
			}
		case xml.EndElement:
			if e.Name.Local == "text" && open != nil {
				d.texts = append(d.texts, *open)
				open = nil
			}
		}
	}
	return d
}

// words is every text of the drawing in order, as one line.
func (d svgDrawing) words() string {
	var all []string
	for _, t := range d.texts {
		all = append(all, t.words)
	}
	return strings.Join(all, " ")
}

// checkPortrait asserts that the narrow drawing says what the wide one
// says, with the same elements, and that on a phone all its text is 11 px
// or more and lies inside it.
func checkPortrait(t *testing.T, name string, wide, narrow svgDrawing) {
	t.Helper()
	if a, b := wide.words(), narrow.words(); a != b {
		t.Errorf("%s: the portrait layout says\n%q\nthe landscape one\n%q", name, b, a)
	}
	// (Only a long line of text may be wrapped onto two.)
	for _, el := range []string{"line", "rect", "ellipse", "marker"} {
		if wide.count[el] != narrow.count[el] {
			t.Errorf("%s: %d <%s> in portrait, %d in landscape", name, narrow.count[el], el, wide.count[el])
		}
	}
	if !(narrow.h > narrow.w) {
		t.Errorf("%s: the portrait layout is %g×%g, not taller than wide", name, narrow.w, narrow.h)
	}
	scale := phoneDrawing / narrow.w
	for _, tx := range narrow.texts {
		if px := tx.size * scale; px < 11 {
			t.Errorf("%s: %q is drawn at %.1f px on a phone", name, tx.words, px)
		}
		// An em is the most a character can take; these fonts' average is
		// well under 0.6 of it.
		width := 0.6 * tx.size * float64(len([]rune(tx.words)))
		left := tx.x
		switch tx.anchor {
		case "middle":
			left -= width / 2
		case "end":
			left -= width
		}
		if left < 0 || left+width > narrow.w || tx.y-tx.size < 0 || tx.y > narrow.h {
			t.Errorf("%s: %q at (%g, %g) is not inside the %g×%g drawing", name, tx.words, tx.x, tx.y, narrow.w, narrow.h)
		}
	}
}

// Each wide diagram has a portrait layout for a phone with the same nodes,
// arrows and words, drawn large enough to read; on a wide screen the
// landscape layout stays.
func TestDiagramsTurnOnAPhone(t *testing.T) {
	for _, trick := range []bool{true, false} {
		r := &Reparam{trick: trick}
		wide, narrow := readSVG(t, r.graph(false)), readSVG(t, r.graph(true))
		name := fmt.Sprintf("reparameterisation graph (trick %t)", trick)
		if wide.w != 680 || wide.h != 230 {
			t.Errorf("%s: landscape %g×%g, want 680×230", name, wide.w, wide.h)
		}
		checkPortrait(t, name, wide, narrow)
		for _, k := range []string{"data-trick", "data-grad-edges"} {
			if wide.attrs[k] != narrow.attrs[k] {
				t.Errorf("%s: %s is %q in portrait, %q in landscape", name, k, narrow.attrs[k], wide.attrs[k])
			}
		}
		if stop := strings.Contains(narrow.words(), "the gradient stops"); stop == trick {
			t.Errorf("%s: the note that the gradient stops is shown: %t", name, stop)
		}
	}
	wide, narrow := readSVG(t, cvaeGraph(false)), readSVG(t, cvaeGraph(true))
	if wide.w != 540 || wide.h != 250 {
		t.Errorf("conditional VAE graph: landscape %g×%g, want 540×250", wide.w, wide.h)
	}
	checkPortrait(t, "conditional VAE graph", wide, narrow)
	// Outside a browser the screen counts as wide.
	if narrowScreen() {
		t.Error("with no window the screen is taken as narrow")
	}
}
