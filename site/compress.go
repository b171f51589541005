package site

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/andybalholm/brotli"
)

// BrotliQuality is the level `latentplay build` compresses with: 11 is the
// smallest output and, at build time, its cost does not matter.
const BrotliQuality = 11

// Precompress writes NAME.br beside every compressible file under dir, so
// the server sends brotli without compressing at request time. Browsers
// ask for br on http://127.0.0.1 as well as on https. The host's own
// files (HostFiles) are left alone, and a .br of one from an older build
// removed.
func Precompress(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !compressible(p) || filepath.Ext(p) == ".br" {
			return err
		}
		if filepath.Dir(p) == filepath.Clean(dir) && slices.Contains(HostFiles, d.Name()) {
			if err := os.Remove(p + ".br"); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			return nil
		}
		if fresh(p+".br", p) {
			return nil // compressed already, since the file last changed
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		w := brotli.NewWriterLevel(&buf, BrotliQuality)
		if _, err := w.Write(raw); err != nil {
			return err
		}
		if err := w.Close(); err != nil {
			return err
		}
		if buf.Len() >= len(raw) {
			return nil // not worth it
		}
		return os.WriteFile(p+".br", buf.Bytes(), 0o644)
	})
}

func gzipBytes(raw []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(raw)
	zw.Close()
	return buf.Bytes()
}

// fresh reports whether derived exists and is no older than source.
func fresh(derived, source string) bool {
	d, err := os.Stat(derived)
	if err != nil {
		return false
	}
	s, err := os.Stat(source)
	return err == nil && !d.ModTime().Before(s.ModTime())
}
