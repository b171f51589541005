package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"latentplay/core/modelfile"
	"latentplay/core/models"
)

// convertCmd re-encodes a model file with another storage, checking that
// the result still loads as the same kind of model:
//
//	latentplay convert -storage int8 vae-20.lpm vae-20.lpm
//	latentplay convert -storage int8 -levels 31 -levels-of dec2.W=127 vae-20.lpm vae-20.lpm
func convertCmd(args []string) error {
	fs := flag.NewFlagSet("convert", flag.ContinueOnError)
	storage := fs.String("storage", "int8", "storage to write: float32, float16 or int8")
	levels := fs.Int("levels", 127, "with int8: the steps of a column's scale either side of 0 the values may use (1..127); fewer compress smaller")
	levelsOf := fs.String("levels-of", "", "with int8: other levels for some tensors, as NAME=LEVELS,…")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return fmt.Errorf("convert: want IN and OUT files, got %d arguments", fs.NArg())
	}
	s, err := parseStorage(*storage)
	if err != nil {
		return err
	}
	in, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	f, err := modelfile.Decode(in)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	var out []byte
	if s == modelfile.Int8 {
		of, err := parseLevelsOf(*levelsOf, f)
		if err != nil {
			return err
		}
		out, err = modelfile.MarshalLevels(f, func(name string) int {
			if l, ok := of[name]; ok {
				return l
			}
			return *levels
		})
	} else {
		if *levels != 127 || *levelsOf != "" {
			return fmt.Errorf("convert: -levels and -levels-of are for int8 storage, not %s", *storage)
		}
		out, err = modelfile.Marshal(f, s)
	}
	if err != nil {
		return err
	}
	if _, _, err := models.Unmarshal(out); err != nil {
		return fmt.Errorf("convert: the converted file does not load: %w", err)
	}
	if err := os.WriteFile(fs.Arg(1), out, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %s (%d bytes, was %d)\n", fs.Arg(1), len(out), len(in))
	return nil
}

// parseLevelsOf reads -levels-of, NAME=LEVELS pairs separated by commas,
// each naming a tensor of f.
func parseLevelsOf(spec string, f *modelfile.File) (map[string]int, error) {
	of := map[string]int{}
	if spec == "" {
		return of, nil
	}
	for _, kv := range strings.Split(spec, ",") {
		name, v, ok := strings.Cut(kv, "=")
		l, err := strconv.Atoi(v)
		if !ok || err != nil {
			return nil, fmt.Errorf("convert: -levels-of %q: want NAME=LEVELS", kv)
		}
		if _, ok := f.Tensor(name); !ok {
			return nil, fmt.Errorf("convert: -levels-of: the model has no tensor %q", name)
		}
		of[name] = l
	}
	return of, nil
}
