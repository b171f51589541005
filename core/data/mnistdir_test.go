package data

import (
	"strings"
	"testing"
)

// The environment variable overrides the folder built in; with neither,
// the error says how to give one.
func TestMNISTDirSources(t *testing.T) {
	saved := builtMNISTDir
	t.Cleanup(func() { builtMNISTDir = saved })

	builtMNISTDir = "/built/in"
	t.Setenv(MNISTDirEnv, "")
	if dir, err := MNISTDir(); err != nil || dir != "/built/in" {
		t.Errorf("built in only: %q, %v; want /built/in", dir, err)
	}
	t.Setenv(MNISTDirEnv, "/from/env")
	if dir, err := MNISTDir(); err != nil || dir != "/from/env" {
		t.Errorf("both: %q, %v; want the environment's /from/env", dir, err)
	}
	builtMNISTDir = ""
	t.Setenv(MNISTDirEnv, "")
	dir, err := MNISTDir()
	if err == nil {
		t.Fatalf("neither: %q and no error", dir)
	}
	for _, want := range []string{MNISTDirEnv, "-X latentplay/core/data.builtMNISTDir=", trainImagesFile} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error %q does not mention %s", err, want)
		}
	}
}
