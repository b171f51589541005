package web

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"latentplay/core/drawdoc"
)

func TestDrawingDocRoundTrip(t *testing.T) {
	strokes := [][]point{{{10, 20}, {30.25, 40}}, {{100, 200}}}
	b0, _ := drawdoc.Encode(drawingDoc([][]point{{{1.23456, 2}}}, padBrush))
	if !strings.Contains(string(b0), "[1.23,2]") {
		t.Errorf("points are not kept to a hundredth of a pixel: %s", b0)
	}
	b, err := drawdoc.Encode(drawingDoc(strokes, padBrush))
	if err != nil {
		t.Fatal(err)
	}
	d, err := drawdoc.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	got, brush := padStrokes(d)
	if !reflect.DeepEqual(got, strokes) || brush != padBrush {
		t.Fatalf("got %v brush %v, want %v brush %v", got, brush, strokes, padBrush)
	}
}

// A pen dragged off the pad keeps reporting points: they are clipped to
// the pad, so the document is valid and draws the same ink.
func TestDrawingDocClipsToPad(t *testing.T) {
	d := drawingDoc([][]point{{{-5, 10}, {300, padSide + 1}}}, padBrush)
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	if want := []drawdoc.Point{{0, 10}, {padSide, padSide}}; !reflect.DeepEqual(d.Strokes[0], want) {
		t.Fatalf("clipped to %v, want %v", d.Strokes[0], want)
	}
}

// A drawing made on a smaller pad is scaled to this one, brush and all.
func TestPadStrokesScale(t *testing.T) {
	got, brush := padStrokes(drawdoc.Doc{Version: 1, Side: padSide / 2, Brush: 5, Strokes: [][]drawdoc.Point{{{10, 20}}}})
	if want := [][]point{{{20, 40}}}; !reflect.DeepEqual(got, want) || brush != 10 {
		t.Fatalf("got %v brush %v, want %v brush 10", got, brush, want)
	}
}

// A link shows short: the host and the id's first characters, or for a
// drawing in the link itself, how long it is.
func TestShortLink(t *testing.T) {
	id := strings.Repeat("ab", 32)
	if got := shortLink("https://example.org/latentplay/?share=" + id); got != "example.org/latentplay/?share=abababab…" {
		t.Errorf("shared link shown as %q", got)
	}
	long := "http://127.0.0.1:8080/#drawing=" + strings.Repeat("x", 2500)
	if got := shortLink(long); got != fmt.Sprintf("127.0.0.1:8080/… (the drawing itself, %d characters)", len(long)) {
		t.Errorf("fragment link shown as %q", got)
	}
}
