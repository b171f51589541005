package data

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// The idx format: a big-endian magic number, the dimensions as big-endian
// uint32s, then one unsigned byte per pixel or label.
const (
	imagesMagic = 0x00000803 // idx3: unsigned bytes, 3 dimensions (n, rows, cols)
	labelsMagic = 0x00000801 // idx1: unsigned bytes, 1 dimension (n)

	// Bounds on the declared sizes: anything beyond is a corrupt or wrong
	// file, and refusing it early keeps a bad header from driving allocation.
	maxImages = 1_000_000
	maxSide   = 1024
)

// The four standard file names of the MNIST distribution.
const (
	trainImagesFile = "train-images-idx3-ubyte.gz"
	trainLabelsFile = "train-labels-idx1-ubyte.gz"
	testImagesFile  = "t10k-images-idx3-ubyte.gz"
	testLabelsFile  = "t10k-labels-idx1-ubyte.gz"
)

// Set is a labelled image set. Image i holds pixels [i*Rows*Cols,
// (i+1)*Rows*Cols), row-major, with values in [0,1]: either as float32s in
// Pixels, or as the bytes the MNIST files store in Bytes (value byte/255),
// a quarter of the memory — what ReadSet and LoadMNIST give, so that
// every engine holds MNIST in 55 MB rather than 219 MB. Exactly one of the
// two is set. Labels[i] is the digit of image i.
type Set struct {
	N, Rows, Cols int
	Pixels        []float32
	Bytes         []uint8
	Labels        []uint8
}

// Dim is the number of pixels per image, the input width of a network.
func (s *Set) Dim() int { return s.Rows * s.Cols }

// Image returns image i: of a float set a view (writing to it changes the
// set, and its capacity is clipped so that an append cannot spill into
// image i+1), of a byte set a new slice.
func (s *Set) Image(i int) []float32 {
	s.checkIndex(i)
	d := s.Dim()
	if s.Bytes != nil {
		img := make([]float32, d)
		scaleBytes(img, s.Bytes[i*d:(i+1)*d])
		return img
	}
	return s.Pixels[i*d : (i+1)*d : (i+1)*d]
}

// EachImage calls f with each image in turn: of a float set a view, of a
// byte set one buffer filled anew for each image (f must not keep it).
func (s *Set) EachImage(f func(i int, img []float32)) {
	var buf []float32
	if s.Bytes != nil {
		buf = make([]float32, s.Dim())
	}
	for i := range s.N {
		if buf == nil {
			f(i, s.Image(i))
			continue
		}
		s.CopyImage(buf, i)
		f(i, buf)
	}
}

// CopyImage writes image i into dst (len Dim).
func (s *Set) CopyImage(dst []float32, i int) {
	s.checkIndex(i)
	d := s.Dim()
	if s.Bytes != nil {
		scaleBytes(dst[:d], s.Bytes[i*d:(i+1)*d])
		return
	}
	copy(dst[:d], s.Pixels[i*d:(i+1)*d])
}

// scaleBytes sets dst[j] = src[j]/255.
func scaleBytes(dst []float32, src []uint8) {
	dst = dst[:len(src)]
	for j, b := range src {
		dst[j] = byteScale[b]
	}
}

// byteScale[b] is b/255 as a float32, as ReadImages computes it.
var byteScale = func() (t [256]float32) {
	for b := range t {
		t[b] = float32(b) / 255
	}
	return t
}()

// Mean is the mean image: each pixel's average over the set.
func (s *Set) Mean() []float32 {
	d := s.Dim()
	sum := make([]float64, d)
	for i := range s.N {
		if s.Bytes != nil {
			// Each byte's value straight from the table, with no image
			// of floats in between: the same values, in the same order.
			for j, b := range s.Bytes[i*d : (i+1)*d] {
				sum[j] += float64(byteScale[b])
			}
		} else {
			for j, v := range s.Pixels[i*d : (i+1)*d] {
				sum[j] += float64(v)
			}
		}
	}
	m := make([]float32, len(sum))
	for j, v := range sum {
		m[j] = float32(v / float64(s.N))
	}
	return m
}

// Subset returns a copy of the images idx (and their labels), in that order.
func (s *Set) Subset(idx []int) *Set {
	sub := &Set{N: len(idx), Rows: s.Rows, Cols: s.Cols, Pixels: make([]float32, len(idx)*s.Dim())}
	if s.Labels != nil {
		sub.Labels = make([]uint8, len(idx))
	}
	s.Batch(idx, sub.Pixels, sub.Labels)
	return sub
}

func (s *Set) checkIndex(i int) {
	if i < 0 || i >= s.N {
		panic(fmt.Sprintf("data: image index %d out of range [0,%d)", i, s.N))
	}
}

// ReadImages reads an idx3 image stream (magic 0x00000803), already
// gunzipped, and scales each pixel byte b to b/255.
// It reads exactly the declared bytes and no further.
func ReadImages(r io.Reader) (n, rows, cols int, pixels []float32, err error) {
	n, rows, cols, body, err := readImageBytes(r)
	if err != nil {
		return 0, 0, 0, nil, err
	}
	pixels = make([]float32, len(body))
	scaleBytes(pixels, body)
	return n, rows, cols, pixels, nil
}

// readImageBytes is ReadImages without the scaling: the pixel bytes.
func readImageBytes(r io.Reader) (n, rows, cols int, pixels []uint8, err error) {
	var hdr [16]byte
	got, err := io.ReadFull(r, hdr[:])
	if got >= 4 {
		if magic := binary.BigEndian.Uint32(hdr[0:4]); magic != imagesMagic {
			return 0, 0, 0, nil, badMagic(magic, imagesMagic, "idx3 images")
		}
	}
	if err != nil {
		return 0, 0, 0, nil, readError(err, int64(got), "header", int64(len(hdr)), int64(got))
	}
	un := binary.BigEndian.Uint32(hdr[4:8])
	urows := binary.BigEndian.Uint32(hdr[8:12])
	ucols := binary.BigEndian.Uint32(hdr[12:16])
	if un < 1 || un > maxImages || urows < 1 || urows > maxSide || ucols < 1 || ucols > maxSide {
		return 0, 0, 0, nil, &FormatError{Offset: int64(len(hdr)), Reason: fmt.Sprintf(
			"absurd dimensions: %d images of %dx%d (want 1..%d images of at most %dx%d)",
			un, urows, ucols, maxImages, maxSide, maxSide)}
	}
	body, err := readBody(r, int64(len(hdr)), int64(un)*int64(urows)*int64(ucols), "pixel data")
	if err != nil {
		return 0, 0, 0, nil, err
	}
	return int(un), int(urows), int(ucols), body, nil
}

// ReadLabels reads an idx1 label stream (magic 0x00000801), already
// gunzipped, and checks that every label is a digit 0..9.
// It reads exactly the declared bytes and no further.
func ReadLabels(r io.Reader) (labels []uint8, err error) {
	return readLabels(r, -1)
}

// readLabels is ReadLabels that also insists on want labels (unless want < 0),
// checked from the header so a mismatched file fails before its body is read.
func readLabels(r io.Reader, want int) ([]uint8, error) {
	var hdr [8]byte
	got, err := io.ReadFull(r, hdr[:])
	if got >= 4 {
		if magic := binary.BigEndian.Uint32(hdr[0:4]); magic != labelsMagic {
			return nil, badMagic(magic, labelsMagic, "idx1 labels")
		}
	}
	if err != nil {
		return nil, readError(err, int64(got), "header", int64(len(hdr)), int64(got))
	}
	n := binary.BigEndian.Uint32(hdr[4:8])
	if n < 1 || n > maxImages {
		return nil, &FormatError{Offset: int64(len(hdr)), Reason: fmt.Sprintf(
			"absurd dimensions: %d labels (want 1..%d)", n, maxImages)}
	}
	if want >= 0 && int64(n) != int64(want) {
		return nil, &FormatError{Offset: int64(len(hdr)), Reason: fmt.Sprintf(
			"label count %d does not match image count %d", n, want)}
	}
	labels, err := readBody(r, int64(len(hdr)), int64(n), "label data")
	if err != nil {
		return nil, err
	}
	for i, l := range labels {
		if l > 9 {
			return nil, &FormatError{Offset: int64(len(hdr) + i + 1), Reason: fmt.Sprintf(
				"label %d at index %d, want a digit 0..9", l, i)}
		}
	}
	return labels, nil
}

// ReadSet reads an image stream and its label stream. Each may be gzipped or
// raw idx (gzip is recognised by its magic bytes 1f 8b). The label count must
// match the image count, every label must be 0..9, and each stream must end
// right after its declared data, which also makes gzip verify its checksum.
// This is the entry point for bytes that do not come from files, such as a
// browser fetch under wasm.
func ReadSet(images, labels io.Reader) (*Set, error) {
	return readSet(images, labels, "images", "labels")
}

// readSet is ReadSet with the names used in its errors.
func readSet(images, labels io.Reader, imagesName, labelsName string) (*Set, error) {
	ir, err := gunzipMaybe(images)
	if err != nil {
		return nil, withFile(err, imagesName)
	}
	n, rows, cols, pixels, err := readImageBytes(ir)
	if err != nil {
		return nil, withFile(err, imagesName)
	}
	if err := expectEOF(ir, int64(16+n*rows*cols), "pixel data"); err != nil {
		return nil, withFile(err, imagesName)
	}

	lr, err := gunzipMaybe(labels)
	if err != nil {
		return nil, withFile(err, labelsName)
	}
	ls, err := readLabels(lr, n)
	if err != nil {
		return nil, withFile(err, labelsName)
	}
	if err := expectEOF(lr, int64(8+n), "label data"); err != nil {
		return nil, withFile(err, labelsName)
	}
	return &Set{N: n, Rows: rows, Cols: cols, Bytes: pixels, Labels: ls}, nil
}

// LoadMNIST reads the standard gzipped MNIST files from dir
// (see MNISTDir for where they live).
func LoadMNIST(dir string) (train, test *Set, err error) {
	if train, err = loadFiles(dir, trainImagesFile, trainLabelsFile); err != nil {
		return nil, nil, err
	}
	if test, err = loadFiles(dir, testImagesFile, testLabelsFile); err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

func loadFiles(dir, imagesName, labelsName string) (*Set, error) {
	fi, err := os.Open(filepath.Join(dir, imagesName))
	if err != nil {
		return nil, fmt.Errorf("mnist: %w", err)
	}
	defer fi.Close()
	fl, err := os.Open(filepath.Join(dir, labelsName))
	if err != nil {
		return nil, fmt.Errorf("mnist: %w", err)
	}
	defer fl.Close()
	return readSet(fi, fl, imagesName, labelsName)
}

func badMagic(got, want uint32, kind string) error {
	return &FormatError{Offset: 4, Reason: fmt.Sprintf("bad magic 0x%08x, want 0x%08x (%s)", got, want, kind)}
}

// A header's declared size is believed once the body's first probeBody
// bytes have come, and then allocated at once, up to trustedBody.
const probeBody, trustedBody = 256 << 10, 64 << 20

// readBody reads the size bytes that follow the header (which ended at
// start). A header that promises a gigabyte over a ten-byte body costs
// 256 KiB; MNIST's 47 MB of training pixels cost 47 MB, not the 126 MB
// that growing a buffer by doubling passes through.
func readBody(r io.Reader, start, size int64, what string) ([]byte, error) {
	lr := io.LimitReader(r, size)
	head := make([]byte, min(size, probeBody))
	n, err := io.ReadFull(lr, head)
	body := head[:n]
	if n == len(head) && int64(n) < size {
		buf := bytes.NewBuffer(make([]byte, 0, min(size, trustedBody)+bytes.MinRead))
		buf.Write(head)
		_, err = buf.ReadFrom(lr)
		body = buf.Bytes()
	}
	if int64(len(body)) == size {
		// An error that came with the last bytes (a gzip trailer cut short,
		// say) is about what follows the data; gzip repeats it on the next
		// read, where expectEOF reports it.
		return body, nil
	}
	return nil, readError(err, start+int64(len(body)), what, size, int64(len(body)))
}

// gunzipMaybe returns r itself, or a gunzipping reader if r starts with the
// gzip magic bytes.
func gunzipMaybe(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		z, err := gzip.NewReader(br)
		if err != nil {
			return nil, corruptGzip(0, err)
		}
		return gzipReader{z}, nil
	}
	return br, nil
}

// gzipReader tags the decoder's own errors as gzipError, letting ends of
// data (io.EOF, io.ErrUnexpectedEOF) through as they are.
type gzipReader struct{ z *gzip.Reader }

func (g gzipReader) Read(p []byte) (int, error) {
	n, err := g.z.Read(p)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		err = gzipError{err}
	}
	return n, err
}

// expectEOF checks that r has nothing left after the declared data, which
// ended at offset. Reading to the end is also what makes gzip check its CRC.
func expectEOF(r io.Reader, offset int64, after string) error {
	var b [1]byte
	n, err := io.ReadFull(r, b[:])
	var gz gzipError
	switch {
	case n > 0:
		return &FormatError{Offset: offset, Reason: "unexpected data after the " + after}
	case err == io.EOF:
		return nil
	case errors.As(err, &gz):
		return corruptGzip(offset, gz.err)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &FormatError{Offset: offset, Reason: "stream cut short after the " + after, Err: err}
	default:
		return fmt.Errorf("mnist: offset %d: reading past the %s: %w", offset, after, err)
	}
}
