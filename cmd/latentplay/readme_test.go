package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const readmePath = "../../README.md"

// readmeRow is the README table row whose first cell starts with first.
func readmeRow(t *testing.T, readme, first string) string {
	t.Helper()
	for _, line := range strings.Split(readme, "\n") {
		if strings.HasPrefix(line, "| "+first+" |") {
			return line
		}
	}
	t.Errorf("README has no table row for %s", first)
	return ""
}

// The README's table of shipped models quotes the manifest's figures, at
// the precision it prints them; its sizes are the files'.
func TestREADMEFigures(t *testing.T) {
	b, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	b, err = os.ReadFile(filepath.Join(shippedDir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	var man Manifest
	if err := json.Unmarshal(b, &man); err != nil {
		t.Fatal(err)
	}
	f := map[string]figures{}
	bytes := map[string]int{}
	for _, e := range man.Models {
		f[e.Name], bytes[e.Name] = e.Eval, e.Bytes
	}
	lin := f["linear-ae-20"]
	want := map[string][]string{
		"`mlp`": {fmt.Sprintf("test accuracy %.4f", num(f["mlp"], "test_accuracy"))},
		"`linear-ae-20`": {fmt.Sprintf("test MSE %.6f (PCA's: %.6f, %+.3f%%); largest principal angle to PCA's subspace %.1f°",
			num(lin, "test_mse"), num(lin, "pca_mse"), 100*(num(lin, "test_mse")/num(lin, "pca_mse")-1), num(lin, "max_principal_angle_deg"))},
		"`ae-2`, `ae-20`": {fmt.Sprintf("test MSE %.4f, %.4f", num(f["ae-2"], "test_mse"), num(f["ae-20"], "test_mse"))},
	}
	for _, name := range []string{"vae-2", "vae-20", "cvae-20"} {
		v := f[name]
		want["`"+name+"`"] = []string{
			fmt.Sprintf("negative ELBO %.1f nats (recon %.1f + KL %.1f)", num(v, "test_loss_nats"), num(v, "test_recon_nats"), num(v, "test_kl_nats")),
			fmt.Sprintf("IWAE (k=%.0f)", num(v, "iw_k")),
			fmt.Sprintf(" %.1f |", num(v, "iw_nll_nats")),
		}
	}
	g, cg, v20, cv20 := f["gan"], f["cgan"], f["vae-20"], f["cvae-20"]
	want["`gan`"] = []string{fmt.Sprintf("confidence %.3f, rarest class %.3f, Fréchet %.1f (`vae-20`'s: %.3f, %.3f, %.1f)",
		num(g, "sample_confidence"), num(g, "class_min_share"), num(g, "mlp_frechet"),
		num(v20, "sample_confidence"), num(v20, "class_min_share"), num(v20, "mlp_frechet"))}
	want["`cgan`"] = []string{fmt.Sprintf("the asked-for class read in %.3f of the samples; confidence %.3f, rarest class %.3f, Fréchet %.1f (`cvae-20`'s: %.3f; %.3f, %.3f, %.1f)",
		num(cg, "label_accuracy"), num(cg, "sample_confidence"), num(cg, "class_min_share"), num(cg, "mlp_frechet"),
		num(cv20, "label_accuracy"), num(cv20, "sample_confidence"), num(cv20, "class_min_share"), num(cv20, "mlp_frechet"))}
	for first, quotes := range want {
		row := readmeRow(t, readme, first)
		for _, q := range quotes {
			if !strings.Contains(row, q) {
				t.Errorf("README's row %s does not say %q:\n%s", first, q, row)
			}
		}
	}
	lo, hi := bytes["ae-2"], bytes["ae-2"]
	for _, name := range []string{"ae-20", "vae-2", "vae-20", "cvae-20"} {
		lo, hi = min(lo, bytes[name]), max(hi, bytes[name])
	}
	if q := fmt.Sprintf("(%.2f–%.2f MB each;", float64(lo)/1e6, float64(hi)/1e6); !strings.Contains(readme, q) {
		t.Errorf("README does not give the int8 models' sizes as %q", q)
	}
}

// The README's Layout table has a row for every Go package.
func TestREADMELayout(t *testing.T) {
	b, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	layout, ok := strings.CutPrefix(string(b)[strings.Index(string(b), "\n## Layout\n"):], "\n## Layout\n")
	if !ok {
		t.Fatal("README has no Layout section")
	}
	if end := strings.Index(layout, "\n## "); end >= 0 {
		layout = layout[:end]
	}
	rows := map[string]bool{}
	for _, m := range regexp.MustCompile("(?m)^\\| `([^`]+)` \\|").FindAllStringSubmatch(layout, -1) {
		rows[m[1]] = true
	}
	root := "../.."
	pkgs := map[string]bool{}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() && path != root && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "testdata" || strings.HasPrefix(name, "dist") || name == "out") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(name, ".go") {
			rel, _ := filepath.Rel(root, filepath.Dir(path))
			pkgs[filepath.ToSlash(rel)] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) < 20 {
		t.Fatalf("found only %d packages: %v", len(pkgs), pkgs)
	}
	for p := range pkgs {
		if !rows[p] {
			t.Errorf("README's Layout table has no row for %s", p)
		}
	}
	for r := range rows {
		if _, err := os.Stat(filepath.Join(root, r)); err != nil {
			t.Errorf("README's Layout table lists %s, which is not there", r)
		}
	}
}
