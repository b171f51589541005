package drawdoc

import (
	"reflect"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	d := Doc{Version: 1, Side: 280, Brush: 22, Strokes: [][]Point{{{10, 20}, {30.5, 40}}, {{0, 280}}}}
	b, err := Encode(d)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, d) {
		t.Fatalf("round trip: got %+v, want %+v", got, d)
	}
}

func TestEmptyDrawingEncodesStrokes(t *testing.T) {
	b, err := Encode(Doc{Version: 1, Side: 280, Brush: 22})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Decode(b); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
}

func TestRejects(t *testing.T) {
	for _, c := range []struct{ doc, want string }{
		{``, "not a drawing document"},
		{`[]`, "not a drawing document"},
		{`{"v":1,"side":280,"brush":22,"strokes":[]} {}`, "trailing data"},
		{`{"v":1,"side":280,"brush":22,"strokes":[],"x":1}`, "unknown field"},
		{`{"side":280,"brush":22,"strokes":[]}`, `missing "v"`},
		{`{"v":1,"brush":22,"strokes":[]}`, `missing "side"`},
		{`{"v":1,"side":280,"strokes":[]}`, `missing "brush"`},
		{`{"v":1,"side":280,"brush":22}`, `missing "strokes"`},
		{`{"v":2,"side":280,"brush":22,"strokes":[]}`, "version 2"},
		{`{"v":1,"side":0,"brush":22,"strokes":[]}`, "side 0"},
		{`{"v":1,"side":5000,"brush":22,"strokes":[]}`, "side 5000"},
		{`{"v":1,"side":280,"brush":0,"strokes":[]}`, "brush 0"},
		{`{"v":1,"side":280,"brush":300,"strokes":[]}`, "brush 300"},
		{`{"v":1,"side":280,"brush":22,"strokes":[[]]}`, "stroke 0 has no points"},
		{`{"v":1,"side":280,"brush":22,"strokes":[[[1,2],[-1,2]]]}`, "stroke 0 point 1"},
		{`{"v":1,"side":280,"brush":22,"strokes":[[[1,281]]]}`, "off the pad"},
		{`{"v":1,"side":280,"brush":22,"strokes":[[[1,2,3]]]}`, "not a drawing document"},
		{`{"v":1,"side":280,"brush":22,"strokes":[[["a",2]]]}`, "not a drawing document"},
		{`{"v":1,"side":280,"brush":22,"strokes":[` + strings.Repeat(`[[1,1]],`, MaxStrokes) + `[[1,1]]]}`, "strokes, over the limit"},
		{`{"v":1,"side":280,"brush":22,"strokes":[[` + strings.Repeat(`[1,1],`, MaxPoints) + `[1,1]]]}`, "more than"},
		{strings.Repeat(" ", MaxBytes+1), "over the"},
	} {
		_, err := Decode([]byte(c.doc))
		if err == nil || !strings.Contains(err.Error(), c.want) || !IsError(err) {
			short := c.doc
			if len(short) > 80 {
				short = short[:80] + "…"
			}
			t.Errorf("Decode(%s) = %v, want an error containing %q", short, err, c.want)
		}
	}
}
