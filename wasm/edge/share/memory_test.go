package share_test

import (
	"bytes"
	"net/http"
	"runtime"
	"testing"

	"latentplay/core/models"
	"latentplay/wasm/edge/edgehttp"
	"latentplay/wasm/edge/share"
	"latentplay/wasm/edge/share/sharetest"
)

// allocated returns what f allocates, in bytes (the heap can grow by no
// more while f runs), and the Go runtime's memory (Sys: under wasm, the
// linear memory it has taken) after f.
func allocated(f func()) (alloc, sys uint64) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, after.Sys
}

const mib = 1 << 20

// TestUploadMemory measures what taking the largest acceptable model costs
// the Worker's Go side, and holds it to at most 3× the file's size:
// validating it (models.Check) allocates kilobytes; the whole upload
// through the glue and the handler (reading the body, checking it,
// storing a copy in the Memory store) about two files' worth. Under wasm
// (make test-wasm, or go test -v -run TestUploadMemory with GOOS=js
// GOARCH=wasm) this is the Worker's own runtime, and the figures are
// logged.
func TestUploadMemory(t *testing.T) {
	b := sharetest.LargestModel()
	shipped := sharetest.Models(t)
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)

	var kind string
	var err error
	check, _ := allocated(func() { kind, err = models.Check(b) })
	if err != nil || kind != models.KindMLP {
		t.Fatalf("Check = %q, %v", kind, err)
	}
	t.Logf("models.Check of the largest model (%d bytes): %d bytes allocated", len(b), check)
	if check > 64<<10 {
		t.Errorf("validating %d bytes allocated %d", len(b), check)
	}
	for name, m := range shipped {
		n, _ := allocated(func() { _, err = models.Check(m) })
		if err != nil || n > 64<<10 {
			t.Errorf("Check of %s: %v, %d bytes allocated", name, err, n)
		}
		t.Logf("models.Check of %s (%d bytes): %d bytes allocated", name, len(m), n)
	}

	c := &http.Client{Transport: &edgehttp.Transport{Handler: share.New(share.NewMemory()), Fail: share.Fail}}
	var status int
	upload, sys := allocated(func() {
		resp, err := c.Post("http://share.test"+share.Prefix, share.TypeModel, bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		status = resp.StatusCode
	})
	if status != http.StatusCreated {
		t.Fatalf("the upload: %d", status)
	}
	t.Logf("the whole upload: %d bytes allocated (%.2f× the file); Go's memory (Sys) %.1f MiB before, %.1f MiB after, the file itself %.1f MiB",
		upload, float64(upload)/float64(len(b)), float64(base.Sys)/mib, float64(sys)/mib, float64(len(b))/mib)
	if upload > 3*uint64(len(b)) {
		t.Errorf("the upload of %d bytes allocated %d, over 3× its size", len(b), upload)
	}

	// What the Worker used to do: load the model, building its network.
	loaded, sys := allocated(func() { _, _, err = models.Unmarshal(b) })
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("models.Unmarshal of the same file, for comparison: %.1f MiB allocated, Sys %.1f MiB after", float64(loaded)/mib, float64(sys)/mib)
	if loaded < 8*uint64(len(b)) {
		t.Errorf("Unmarshal allocated %d bytes: the comparison no longer shows what Check saves", loaded)
	}
}
