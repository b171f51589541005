package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/core/data"
	"latentplay/core/draw"
	"latentplay/site"
	"latentplay/wasm/edge/shareapi"
	"latentplay/web"
)

// buildCmd writes the static site: go-app's pages, app.wasm (built
// beforehand into DIR/web by `make site`), static/, Go's
// wasm_exec.js for the engine's worker, generated icons, and the MNIST
// files from the module cache.
func buildCmd(args []string) error {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	out := fs.String("o", "dist", "folder to write the site into")
	static := fs.String("static", "static", "folder of static files to copy into web/")
	prefix := fs.String("prefix", "", "sub-path the site will be served under, e.g. /latentplay")
	mnist := fs.String("mnist", "", "folder with the MNIST .gz files (default: the GoMNIST module's)")
	headFile := fs.String("head", "index.html", "the page whose <head> content begins every page's head")
	if err := fs.Parse(args); err != nil {
		return err
	}
	webDir := filepath.Join(*out, "web")
	for _, wasm := range []string{"app.wasm"} {
		if _, err := os.Stat(filepath.Join(webDir, wasm)); err != nil {
			return fmt.Errorf("build: %s is missing: build it first (make site does)", filepath.Join(webDir, wasm))
		}
	}
	if err := copyTree(*static, webDir); err != nil {
		return err
	}
	if err := copyFile(filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js"), filepath.Join(webDir, "wasm_exec.js")); err != nil {
		return err
	}
	dir := *mnist
	if dir == "" {
		var err error
		if dir, err = data.MNISTDir(); err != nil {
			return err
		}
	}
	if err := copyTree(dir, filepath.Join(webDir, "mnist")); err != nil {
		return err
	}
	// The share API's place says that this static site keeps nothing;
	// where the share Worker runs, it answers there instead.
	api := filepath.Join(*out, filepath.FromSlash(shareapi.Prefix))
	if err := os.MkdirAll(filepath.Dir(api), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(api, []byte(shareapi.StaticService), 0o644); err != nil {
		return err
	}
	for _, size := range []int{192, 512} {
		if err := writeIcon(filepath.Join(webDir, fmt.Sprintf("icon-%d.png", size)), size); err != nil {
			return err
		}
	}
	head, err := readHead(*headFile)
	if err != nil {
		return err
	}
	version, err := hashTree(webDir, head)
	if err != nil {
		return err
	}
	web.Routes()
	if err := app.GenerateStaticWebsite(*out, web.Handler(version, *prefix)); err != nil {
		return err
	}
	if err := prependHead(*out, head); err != nil {
		return err
	}
	if err := site.WriteHeadersFile(*out); err != nil {
		return err
	}
	if err := site.WriteAssetsIgnore(*out); err != nil {
		return err
	}
	if err := site.Precompress(*out); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %s (version %s, prefix %q)\n", *out, version, *prefix)
	return nil
}

// readHead returns what is between <head> and </head> in the HTML file at
// path (the top-level index.html), its comments left out.
func readHead(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("build: the page head: %w", err)
	}
	page := string(b)
	for {
		before, rest, ok := strings.Cut(page, "<!--")
		if !ok {
			break
		}
		_, after, ok := strings.Cut(rest, "-->")
		if !ok {
			return "", fmt.Errorf("build: %s has an unclosed comment", path)
		}
		page = before + after
	}
	_, rest, ok := strings.Cut(page, "<head>")
	head, _, ok2 := strings.Cut(rest, "</head>")
	if !ok || !ok2 {
		return "", fmt.Errorf("build: %s has no <head>…</head>", path)
	}
	return strings.TrimSpace(head), nil
}

// prependHead puts head at the start of the <head> of every page go-app
// wrote into dir.
func prependHead(dir, head string) error {
	pages, err := filepath.Glob(filepath.Join(dir, "*.html"))
	if err != nil {
		return err
	}
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		before, after, ok := strings.Cut(string(b), "<head>")
		if !ok {
			return fmt.Errorf("build: %s has no <head>", p)
		}
		if err := os.WriteFile(p, []byte(before+"<head>\n    "+head+after), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// hashTree is a digest of every file under dir and of the pages' shared
// head: the site's version, which changes exactly when something it
// serves does.
func hashTree(dir, head string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "head\x00%s\x00", head)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		fmt.Fprintf(h, "%s\x00", filepath.ToSlash(p))
		_, err = io.Copy(h, f)
		return err
	})
	return hex.EncodeToString(h.Sum(nil))[:16], err
}

func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		return copyFile(p, target)
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// writeIcon draws the app icon, a "2" in one pen stroke, with the same
// anti-aliased stroke code the drawing pad uses.
func writeIcon(path string, size int) error {
	s := float64(size) / 64
	ink := make([]float32, size*size)
	pts := [][2]float64{{18, 22}, {22, 15}, {33, 13}, {41, 18}, {42, 25}, {37, 33}, {29, 41}, {19, 51}, {45, 51}}
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		draw.Stroke(ink, size, size, a[0]*s, a[1]*s, b[0]*s, b[1]*s, 6*s)
	}
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	bg := color.RGBA{0x11, 0x13, 0x18, 0xff}
	for i, v := range ink {
		c := color.RGBA{
			R: uint8(float32(bg.R) + v*float32(0xf4-int(bg.R))),
			G: uint8(float32(bg.G) + v*float32(0xf1-int(bg.G))),
			B: uint8(float32(bg.B) + v*float32(0xea-int(bg.B))),
			A: 0xff,
		}
		img.SetRGBA(i%size, i/size, c)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// serveCmd serves a built site on 127.0.0.1, compressed, and prints its URL.
func serveCmd(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	dir := fs.String("dir", "dist", "the built site")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (port 0 picks a free one)")
	prefix := fs.String("prefix", "", "sub-path to serve the site under (as it was built)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(*dir, "index.html")); err != nil {
		return fmt.Errorf("serve: %s has no index.html: run make site first", *dir)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	h := site.Handler(*dir, *prefix)
	fmt.Printf("latentplay is at http://%s%s/\n", ln.Addr(), strings.TrimSuffix(*prefix, "/"))
	return http.Serve(ln, h)
}
