// Package drawdoc is the shared drawing: the strokes a person drew on the
// pad and the pad settings they were drawn with, as a small JSON document.
// The share Worker validates uploads with Decode and the app restores links
// with it, so both accept exactly the same documents.
package drawdoc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
)

// Version is the only document version there is.
const Version = 1

// Limits keep a document small enough to share in a URL fragment and cheap
// to redraw. A pad drawing has a few strokes of a few hundred points.
const (
	MaxSide    = 4096  // largest pad side, in pad pixels
	MaxStrokes = 256   // strokes in one drawing
	MaxPoints  = 20000 // points over all strokes
	MaxBytes   = 1 << 20
)

// Point is a pen position in pad pixels, [x, y] in JSON.
type Point [2]float64

// UnmarshalJSON takes exactly two numbers (encoding/json would drop extras).
func (p *Point) UnmarshalJSON(b []byte) error {
	var xy []float64
	if err := json.Unmarshal(b, &xy); err != nil {
		return err
	}
	if len(xy) != 2 {
		return fmt.Errorf("a point is [x, y], not %s", b)
	}
	*p = Point{xy[0], xy[1]}
	return nil
}

// Doc is a drawing and the pad settings it was drawn with.
type Doc struct {
	Version int       `json:"v"`
	Side    float64   `json:"side"`  // the pad's side the points are measured in
	Brush   float64   `json:"brush"` // the pen's width, in the same pixels
	Strokes [][]Point `json:"strokes"`
}

// Error says what is wrong with a document, for the person who sent it.
type Error struct{ Reason string }

func (e *Error) Error() string { return "drawing: " + e.Reason }

func invalid(format string, args ...any) error {
	return &Error{Reason: fmt.Sprintf(format, args...)}
}

// Decode parses and validates a document. Unknown fields, trailing data,
// missing settings and points off the pad are all errors: a document that
// decodes is one the pad can redraw as it was.
func Decode(b []byte) (Doc, error) {
	if len(b) > MaxBytes {
		return Doc{}, invalid("document is %d bytes, over the %d-byte limit", len(b), MaxBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	// Pointers tell a missing setting from a zero one.
	var raw struct {
		Version *int       `json:"v"`
		Side    *float64   `json:"side"`
		Brush   *float64   `json:"brush"`
		Strokes *[][]Point `json:"strokes"`
	}
	if err := dec.Decode(&raw); err != nil {
		return Doc{}, invalid("not a drawing document: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Doc{}, invalid("trailing data after the document")
	}
	switch {
	case raw.Version == nil:
		return Doc{}, invalid(`missing "v"`)
	case raw.Side == nil:
		return Doc{}, invalid(`missing "side"`)
	case raw.Brush == nil:
		return Doc{}, invalid(`missing "brush"`)
	case raw.Strokes == nil:
		return Doc{}, invalid(`missing "strokes"`)
	}
	d := Doc{Version: *raw.Version, Side: *raw.Side, Brush: *raw.Brush, Strokes: *raw.Strokes}
	return d, d.Validate()
}

// Validate checks d against the limits and the pad.
func (d Doc) Validate() error {
	if d.Version != Version {
		return invalid("version %d is not %d", d.Version, Version)
	}
	if !(d.Side >= 1 && d.Side <= MaxSide) {
		return invalid("side %v is outside [1, %d]", d.Side, MaxSide)
	}
	if !(d.Brush > 0 && d.Brush <= d.Side) {
		return invalid("brush %v is outside (0, side]", d.Brush)
	}
	if len(d.Strokes) > MaxStrokes {
		return invalid("%d strokes, over the limit of %d", len(d.Strokes), MaxStrokes)
	}
	n := 0
	for i, s := range d.Strokes {
		if len(s) == 0 {
			return invalid("stroke %d has no points", i)
		}
		if n += len(s); n > MaxPoints {
			return invalid("more than %d points", MaxPoints)
		}
		for j, p := range s {
			for _, v := range p {
				if math.IsNaN(v) || v < 0 || v > d.Side {
					return invalid("stroke %d point %d %v is off the pad [0, %v]", i, j, p, d.Side)
				}
			}
		}
	}
	return nil
}

// Encode validates d and writes it as compact JSON.
func Encode(d Doc) ([]byte, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if d.Strokes == nil {
		d.Strokes = [][]Point{}
	}
	return json.Marshal(d)
}

// IsError reports whether err is a document error (rather than, say, I/O).
func IsError(err error) bool {
	var e *Error
	return errors.As(err, &e)
}
