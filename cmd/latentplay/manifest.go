package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Manifest is static/models/index.json: the shipped models the playground
// offers, with the figures each reached on the MNIST test set.
type Manifest struct {
	Models []ManifestEntry `json:"models"`
}

// ManifestEntry describes one shipped model file.
type ManifestEntry struct {
	Name  string          `json:"name"`
	Kind  string          `json:"kind"`
	File  string          `json:"file"`
	Bytes int             `json:"bytes"`
	Eval  map[string]any  `json:"eval"`
	Train json.RawMessage `json:"train,omitempty"`
}

const modelExt = ".lpm"

func manifestCmd(args []string) error {
	fs := flag.NewFlagSet("manifest", flag.ContinueOnError)
	dir := fs.String("dir", "static/models", "folder of shipped model files")
	mnist := fs.String("mnist", "", "folder with the MNIST .gz files (default: the GoMNIST module's)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	paths, err := filepath.Glob(filepath.Join(*dir, "*"+modelExt))
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return fmt.Errorf("manifest: no %s files in %s", modelExt, *dir)
	}
	sort.Strings(paths)
	trainSet, testSet, err := loadMNIST(*mnist)
	if err != nil {
		return err
	}
	var man Manifest
	for _, p := range paths {
		figures, meta, err := evalFile(p, trainSet, testSet, true)
		if err != nil {
			return err
		}
		kind, _ := figures["kind"].(string)
		bytes, _ := figures["file_bytes"].(int)
		delete(figures, "kind")
		delete(figures, "file_bytes")
		base := filepath.Base(p)
		man.Models = append(man.Models, ManifestEntry{
			Name: strings.TrimSuffix(base, modelExt), Kind: kind, File: base,
			Bytes: bytes, Eval: figures, Train: meta,
		})
		fmt.Fprintf(os.Stderr, "%s: %v\n", base, figures)
	}
	b, err := json.MarshalIndent(man, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(*dir, "index.json"), append(b, '\n'), 0o644)
}
