package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/core/train"
)

func evalCmd(args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	mnist := fs.String("mnist", "", "folder with the MNIST .gz files (default: the GoMNIST module's)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("eval: want one model file, got %d arguments", fs.NArg())
	}
	_, testSet, err := loadMNIST(*mnist)
	if err != nil {
		return err
	}
	figures, _, err := evalFile(fs.Arg(0), testSet)
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(figures)
}

// evalFile loads a model file and measures it on the test set. It also
// returns the file's metadata (how it was trained).
func evalFile(path string, test *data.Set) (figures map[string]any, meta json.RawMessage, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	m, f, err := models.Unmarshal(b)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if figures, err = evaluate(m, test); err != nil {
		return nil, nil, err
	}
	figures["file_bytes"] = len(b)
	return figures, f.Meta, nil
}

// evaluate measures a model on the test set; figures always include "kind".
func evaluate(m models.Model, test *data.Set) (map[string]any, error) {
	switch m := m.(type) {
	case *models.Classifier:
		return map[string]any{
			"kind":          m.Kind(),
			"test_accuracy": train.Accuracy(m, test),
			"test_images":   test.N,
		}, nil
	}
	return nil, fmt.Errorf("eval: no evaluation for %q models", m.Kind())
}
