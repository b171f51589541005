package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPageHead checks that the top-level index.html gives every page the
// script that starts the engine, and that a head the build cannot read is
// an error, not a page without it.
func TestPageHead(t *testing.T) {
	head, err := readHead("../../index.html")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(head, `<script src="web/boot.js">`) || strings.Contains(head, "<!--") {
		t.Fatalf("head = %q, want boot.js and no comments", head)
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "index.html")
	os.WriteFile(page, []byte("<!doctype html><html><head><title>x</title></head><body></body></html>"), 0o644)
	if err := prependHead(dir, head); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(page)
	if !strings.Contains(string(b), "<head>\n    "+head+"<title>x</title>") {
		t.Fatalf("page after prependHead: %s", b)
	}
	for _, bad := range []string{"<html><body></body></html>", "<html><head><!-- open </head></html>"} {
		f := filepath.Join(dir, "bad.html")
		os.WriteFile(f, []byte(bad), 0o644)
		if _, err := readHead(f); err == nil {
			t.Errorf("readHead(%q) gave no error", bad)
		}
	}
}
