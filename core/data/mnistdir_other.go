//go:build !js

package data

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// goListMNISTDir asks the go tool where the GoMNIST module sits in the module
// cache, so the version pinned in go.mod decides which files are read.
func goListMNISTDir() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", mnistModule).Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) && len(exit.Stderr) > 0 {
			return "", fmt.Errorf("go list: %s", strings.TrimSpace(string(exit.Stderr)))
		}
		return "", fmt.Errorf("go list: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" {
		return "", fmt.Errorf("module %s is not in the module cache", mnistModule)
	}
	dir := filepath.Join(mod, "data")
	if _, err := os.Stat(filepath.Join(dir, trainImagesFile)); err != nil {
		return "", err
	}
	return dir, nil
}
