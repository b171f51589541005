package main

import (
	"flag"
	"fmt"
	"os"

	"latentplay/core/modelfile"
	"latentplay/core/models"
)

// convertCmd re-encodes a model file with another storage, checking that
// the result still loads as the same kind of model:
//
//	latentplay convert -storage int8 vae-20.lpm vae-20.lpm
func convertCmd(args []string) error {
	fs := flag.NewFlagSet("convert", flag.ContinueOnError)
	storage := fs.String("storage", "int8", "storage to write: float32, float16 or int8")
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
	out, err := modelfile.Marshal(f, s)
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
