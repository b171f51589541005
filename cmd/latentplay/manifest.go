package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"latentplay/core/train"
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

// TrainBlock is how a model was trained, as `train` writes it into the
// model file and the manifest copies it: the run's settings and its
// length.
type TrainBlock struct {
	Settings     train.Settings `json:"settings"`
	TrainSeconds float64        `json:"train_seconds"`
}

// legacyTrainBlock is the flat block of the first CLI, which wrote the
// shipped mlp.lpm. That CLI trained every MLP with Adam, a learning rate
// decayed to lr/100 and random shifts of up to 2 pixels, whatever the
// flags; the four numbers it kept are the rest of the run.
type legacyTrainBlock struct {
	Epochs       int     `json:"epochs"`
	Batch        int     `json:"batch"`
	LR           float64 `json:"lr"`
	Seed         uint64  `json:"seed"`
	TrainSeconds float64 `json:"train_seconds"`
}

// manifestTrain is a model file's train block in the shape `train` writes
// today; a legacy block becomes the settings its CLI used.
func manifestTrain(meta json.RawMessage) (json.RawMessage, error) {
	if len(meta) == 0 {
		return nil, nil
	}
	strict := func(v any) error {
		d := json.NewDecoder(bytes.NewReader(meta))
		d.DisallowUnknownFields()
		return d.Decode(v)
	}
	var b TrainBlock
	if err := strict(&b); err != nil || b.Settings.Epochs == 0 {
		var old legacyTrainBlock
		if err := strict(&old); err != nil || old.Epochs == 0 {
			return nil, fmt.Errorf("train block %s: neither today's shape nor the first CLI's", meta)
		}
		b = TrainBlock{
			Settings: train.Settings{Epochs: old.Epochs, Batch: old.Batch, LR: old.LR, FinalLR: old.LR / 100,
				Optimizer: "adam", Shift: 2, Seed: old.Seed},
			TrainSeconds: old.TrainSeconds,
		}
	}
	return json.Marshal(b)
}

func manifestCmd(args []string) error {
	fs := flag.NewFlagSet("manifest", flag.ContinueOnError)
	dir := fs.String("dir", "static/models", "folder of shipped model files")
	mnist := fs.String("mnist", "", "folder with the MNIST .gz files (default: the GoMNIST module's)")
	only := fs.String("only", "", "comma-separated models to evaluate again (e.g. cvae-2); the other entries of index.json stay as they are")
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
	var kept map[string]ManifestEntry // the entries -only leaves alone
	if *only != "" {
		if paths, kept, err = onlyThese(*dir, paths, strings.Split(*only, ",")); err != nil {
			return err
		}
	}
	trainSet, testSet, err := loadMNIST(*mnist)
	if err != nil {
		return err
	}
	var man Manifest
	j := &judge{path: filepath.Join(*dir, "mlp"+modelExt)}
	for _, p := range paths {
		if e, ok := kept[strings.TrimSuffix(filepath.Base(p), modelExt)]; ok {
			man.Models = append(man.Models, e)
			continue
		}
		figures, meta, err := evalFile(p, trainSet, testSet, true, j)
		if err != nil {
			return err
		}
		kind, _ := figures["kind"].(string)
		bytes, _ := figures["file_bytes"].(int)
		delete(figures, "kind")
		delete(figures, "file_bytes")
		base := filepath.Base(p)
		if meta, err = manifestTrain(meta); err != nil {
			return fmt.Errorf("%s: %w", base, err)
		}
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

// onlyThese reads the manifest in dir and keeps its entries for every
// model file but the named ones, which must be among paths; paths stay
// as they are, so the manifest keeps the files' order.
func onlyThese(dir string, paths, names []string) ([]string, map[string]ManifestEntry, error) {
	b, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		return nil, nil, err
	}
	var old Manifest
	if err := json.Unmarshal(b, &old); err != nil {
		return nil, nil, fmt.Errorf("manifest: index.json: %w", err)
	}
	kept := map[string]ManifestEntry{}
	for _, e := range old.Models {
		kept[e.Name] = e
	}
	files := map[string]bool{}
	for _, p := range paths {
		files[strings.TrimSuffix(filepath.Base(p), modelExt)] = true
	}
	for _, n := range names {
		if n = strings.TrimSpace(n); !files[n] {
			return nil, nil, fmt.Errorf("manifest: no model file %s%s in %s", n, modelExt, dir)
		}
		delete(kept, n)
	}
	for n := range kept {
		if !files[n] {
			delete(kept, n) // its file is gone
		}
	}
	for n := range files {
		if _, ok := kept[n]; !ok && !slices.ContainsFunc(names, func(s string) bool { return strings.TrimSpace(s) == n }) {
			return nil, nil, fmt.Errorf("manifest: %s%s has no entry in index.json; name it in -only", n, modelExt)
		}
	}
	return paths, kept, nil
}
