package draw

import (
	"fmt"
	"math"
)

// Centre is where Normalize puts the centre of mass of the ink, on both axes,
// in pixel-centre coordinates: the centre of pixel (14, 14), half a pixel
// right of and below the field's geometric centre (14, 14). That is where
// MNIST's own digits have it: measured in these coordinates, the centre of
// mass of every one of the first 2000 MNIST test digits lies in [14.0, 15.0]
// on both axes (mean 14.50), the signature of a whole-pixel shift aimed at
// 14.5 (or at 14 by a program counting pixel corners from 0). Aiming at 14.0
// would leave drawings half a pixel up and left of where the models learnt
// digits sit.
const Centre = 14.5

// Threshold is the ink level a pixel must exceed to count when cropping to
// the digit (and to count as ink at all: a drawing with no pixel above it is
// blank). 0.2 lies above the faint fringe of an anti-aliased edge (pixels a
// stroke barely grazes) and above background noise (a photographed page, a
// lossy image), yet well below the ≈0.5 of a pixel half-covered by a
// stroke's edge, so the box hugs the stroke as drawn. MNIST's NIST sources
// were bilevel, so their box was exact; this is the nearest equivalent for a
// soft brush.
const Threshold = 0.2

// Normalize is the MNIST procedure on an ink image (width*height, values in
// [0,1]; NaN counts as 0 and other values are clamped):
//
//  1. Crop to the bounding box of the pixels above [Threshold].
//  2. Scale that box by one factor so that its larger side is exactly Box
//     (20) pixels, keeping the aspect ratio. Shrinking (the usual case: a
//     canvas is larger than 20 pixels) averages areas exactly — every output
//     pixel is the mean of the ink it covers, a box filter — which is the
//     anti-aliasing that gives MNIST its grey edges, and thin strokes come
//     out grey as in MNIST. Enlarging (a digit drawn smaller than 20 pixels)
//     interpolates bilinearly, with the scaled box's own edges anti-aliased.
//  3. Position it in the 28×28 field so that its centre of mass is at
//     ([Centre], [Centre]), where MNIST's digits have theirs.
//
// MNIST moved its 20×20 box by a whole number of pixels, which leaves the
// centre of mass anywhere within half a pixel of Centre. Normalize renders
// the scaled digit directly at the sub-pixel position instead (it resamples
// anyway, so this costs no extra blur), leaving the centre of mass within a
// few hundredths of a pixel of Centre, the middle of MNIST's spread. The
// reason is stability: with a whole-pixel shift, a digit whose centre of mass
// sits near a rounding boundary — any symmetric one, such as a "1" or "0",
// when aiming at 14.5 — lands a pixel one way or the other on a rounding
// error, so the same drawing in another colour or place could jump a pixel,
// and the model's answer with it. Fidelity does not suffer: MNIST test
// digits redrawn at random sizes and places on a 280×280 canvas and
// normalised either way give the shipped classifier the same accuracy and
// the same mean pixel correlation with the originals (0.96).
//
// If centring would push ink out of the field — a centre of mass more than
// 3.5 pixels above or left of the middle of the 20-pixel box, or 4.5 below
// or right of it, as in a 7 with a heavy top bar — the digit is moved only as
// far as it can go: nothing is clipped.
// Values are clamped to [0,1]. A single dot has no shape to preserve, so, as
// MNIST's procedure would, it fills a 20×20 square at its ink level.
//
// Errors: a *SizeError for bad sizes, ErrBlank if no pixel exceeds
// Threshold.
func Normalize(ink []float32, width, height int) ([]float32, error) {
	if err := checkSize(width, height, len(ink), 1); err != nil {
		return nil, err
	}
	c, ok := inkBox(ink, width, height)
	if !ok {
		return nil, ErrBlank
	}
	sc := getScratch()
	defer scratchPool.Put(sc)
	return c.normalize(sc), nil
}

// normalize scales and places a crop known to hold ink (steps 2 and 3).
func (c crop) normalize(sc *scratch) []float32 {
	s := float64(Box) / float64(max(c.w, c.h))
	// Where the crop's corner goes: its centre of mass, scaled, on Centre,
	// unless that would push ink out of the field.
	mx, my := c.centreOfMass()
	tx := min(max(Centre-mx*s, 0), Size-float64(c.w)*s)
	ty := min(max(Centre-my*s, 0), Size-float64(c.h)*s)
	out := make([]float32, Size*Size)
	if s <= 1 {
		c.shrink(out, sc.cols[:], s, tx, ty)
	} else {
		c.enlarge(out, s, tx, ty)
	}
	return out
}

// clamp01 clamps v to [0,1], mapping NaN to 0. (Branches, not min and max,
// which must honour NaN and are slower, notably under wasm.)
func clamp01(v float32) float32 {
	if v > 0 {
		if v < 1 {
			return v
		}
		return 1
	}
	return 0
}

// crop is the w×h window at (x0, y0) of an ink image with the given stride.
type crop struct {
	ink          []float32
	stride       int
	x0, y0, w, h int
}

// row is row j of the crop.
func (c crop) row(j int) []float32 {
	i := (c.y0+j)*c.stride + c.x0
	return c.ink[i : i+c.w]
}

// inkBox is the bounding box of the pixels above Threshold, or ok=false if
// there are none.
func inkBox(ink []float32, width, height int) (c crop, ok bool) {
	x0, y0, x1, y1 := width, height, 0, 0
	for y := range height {
		row := ink[y*width : (y+1)*width]
		l := 0
		for l < len(row) && !(row[l] > Threshold) {
			l++
		}
		if l == len(row) {
			continue
		}
		r := len(row) - 1
		for !(row[r] > Threshold) {
			r--
		}
		x0, x1 = min(x0, l), max(x1, r+1)
		y0, y1 = min(y0, y), y+1
	}
	return crop{ink, width, x0, y0, x1 - x0, y1 - y0}, x1 > 0
}

// centreOfMass is the crop's centre of mass (values clamped to [0,1]) in
// pixel-centre coordinates relative to its corner. The crop holds a pixel
// above Threshold, so the mass is positive. Rows are summed in float32 (at
// most MaxSide values, so to about 1e-4 relative error), the rows in float64.
func (c crop) centreOfMass() (x, y float64) {
	var m, mx, my float64
	for j := range c.h {
		var rm, rmx, fi float32
		for _, v := range c.row(j) {
			if v > 0 { // NaN is no ink
				if v > 1 {
					v = 1
				}
				rm += v
				rmx += v * fi
			}
			fi++
		}
		m += float64(rm)
		mx += float64(rmx) + 0.5*float64(rm)
		my += float64(rm) * (float64(j) + 0.5)
	}
	return mx / m, my / m
}

// colSpan says where a source column (or row) lands when shrinking: output
// column col takes w0 of it and column col+1 takes w1 (often 0).
type colSpan struct {
	col    int32
	w0, w1 float32
}

// shrink averages the crop into the 28×28 field out at scale s ≤ 1 with its
// corner at (tx, ty): each source pixel becomes an s×s square, and every
// output pixel receives the ink of the part of each square it covers — exact
// area averaging, a box filter. Being separable, it runs a row at a time:
// spread the row across output columns (where each source column goes is
// worked out once, in cols, len ≥ c.w), then spread that across the one or
// two output rows the source row falls in.
func (c crop) shrink(out []float32, cols []colSpan, s, tx, ty float64) {
	cols = cols[:c.w]
	for i := range cols {
		cols[i] = split(tx+float64(i)*s, s)
	}
	for j := range c.h {
		var acc [Size + 1]float32 // acc[Size] only ever gets weight 0
		for i, v := range c.row(j) {
			if v > 0 { // NaN is no ink
				if v > 1 {
					v = 1
				}
				cs := cols[i]
				acc[cs.col] += v * cs.w0
				acc[cs.col+1] += v * cs.w1
			}
		}
		rs := split(ty+float64(j)*s, s)
		o := out[rs.col*Size : (rs.col+1)*Size]
		for k, v := range acc[:Size] {
			o[k] += rs.w0 * v
		}
		if rs.w1 > 0 {
			o = out[(rs.col+1)*Size : (rs.col+2)*Size]
			for k, v := range acc[:Size] {
				o[k] += rs.w1 * v
			}
		}
	}
	for k, v := range out {
		if v > 1 {
			out[k] = 1 // sums of rounded products may exceed 1 by an ulp
		}
	}
}

// split splits the interval [a, a+s), s ≤ 1, between output pixel ⌊a⌋ and
// the next. Rounding that would reach past the field is folded into its
// last pixel, so col+1 < Size whenever w1 > 0.
func split(a, s float64) colSpan {
	a = max(a, 0)
	i := min(int(a), Size-1) // a ≥ 0, so int is ⌊a⌋
	edge := float64(i + 1)
	if a+s <= edge || i == Size-1 {
		return colSpan{int32(i), float32(s), 0}
	}
	return colSpan{int32(i), float32(edge - a), float32(a + s - edge)}
}

// enlarge resamples the crop into the 28×28 field out at scale s > 1 with its
// corner at (tx, ty), by bilinear interpolation between pixel centres
// (clamped at the crop's edges, whose pixels are ink by construction),
// weighting each output pixel by how much of it the scaled crop covers so
// that the crop's own edges are anti-aliased.
func (c crop) enlarge(out []float32, s, tx, ty float64) {
	at := func(i, j int) float64 { return float64(clamp01(c.ink[(c.y0+j)*c.stride+c.x0+i])) }
	for r := range Size {
		cy := overlap(float64(r), ty, ty+float64(c.h)*s)
		if cy == 0 {
			continue
		}
		j0, j1, fy := tap((float64(r)+0.5-ty)/s-0.5, c.h)
		for col := range Size {
			cx := overlap(float64(col), tx, tx+float64(c.w)*s)
			if cx == 0 {
				continue
			}
			i0, i1, fx := tap((float64(col)+0.5-tx)/s-0.5, c.w)
			top := at(i0, j0)*(1-fx) + at(i1, j0)*fx
			bot := at(i0, j1)*(1-fx) + at(i1, j1)*fx
			out[r*Size+col] = clamp01(float32((top*(1-fy) + bot*fy) * cx * cy))
		}
	}
}

// overlap is the length of [p, p+1) ∩ [a, b).
func overlap(p, a, b float64) float64 {
	return max(0, min(p+1, b)-max(p, a))
}

// tap returns the two source indices (clamped to 0..n-1) either side of the
// fractional index u, and the weight of the second.
func tap(u float64, n int) (i0, i1 int, f float64) {
	u = min(max(u, 0), float64(n-1))
	i0 = int(u)
	return i0, min(i0+1, n-1), u - float64(i0)
}

// CentreOfMass returns the ink-weighted mean (x, y) of a width*height image
// in pixel-centre coordinates (pixel (0,0) has centre (0.5,0.5)), or ok=false
// if it is blank. Only positive, finite values carry weight. It panics if
// len(img) != width*height.
func CentreOfMass(img []float32, width, height int) (x, y float64, ok bool) {
	if width < 0 || height < 0 || len(img) != width*height {
		panic(fmt.Sprintf("draw: CentreOfMass: %d values for a %d×%d image", len(img), width, height))
	}
	var m, mx, my float64
	for j := range height {
		var rm, rmx float64
		for i, v := range img[j*width : (j+1)*width] {
			if v > 0 && v <= math.MaxFloat32 {
				rm += float64(v)
				rmx += float64(v) * (float64(i) + 0.5)
			}
		}
		m += rm
		mx += rmx
		my += rm * (float64(j) + 0.5)
	}
	if !(m > 0) {
		return 0, 0, false
	}
	return mx / m, my / m, true
}
