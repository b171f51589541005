// Package draw turns a digit drawn on a canvas into the 28×28 input the
// MNIST models expect, and provides the brush the drawing pad paints with.
//
// A model trained on MNIST has only ever seen digits made one way, so a
// drawing must be made the same way before it is shown to one. LeCun, Cortes
// and Burges describe it (http://yann.lecun.com/exdb/mnist/): "The original
// black and white (bilevel) images from NIST were size normalized to fit in a
// 20x20 pixel box while preserving their aspect ratio. The resulting images
// contain grey levels as a result of the anti-aliasing technique used by the
// normalization algorithm. The images were centered in a 28x28 image by
// computing the center of mass of the pixels, and translating the image so as
// to position this point at the center of the 28x28 field."
//
// The pipeline is therefore: [Ink] (canvas RGBA → ink in [0,1], whatever the
// colours), [Normalize] (crop, scale into the 20×20 box, shift the centre of
// mass to the centre of pixel (14,14)); [FromRGBA] and [FromImage] do both. [Stroke] paints an
// anti-aliased round-capped line into an ink buffer, and [ToRGBA] renders a
// model's input or output back onto a canvas.
//
// Coordinates follow the canvas: pixel (i, j) covers [i, i+1)×[j, j+1), so
// its centre is (i+0.5, j+0.5). In these coordinates MNIST's digits have their
// centre of mass at (14.5, 14.5), not at the field's centre (14, 14): see
// [Centre].
//
// Everything here is pure Go (standard library only), safe for concurrent
// use, and runs natively and under GOOS=js GOARCH=wasm, where FromRGBA runs
// on every pointer move: it allocates only its 784-value result, reusing its
// working memory between calls.
package draw
