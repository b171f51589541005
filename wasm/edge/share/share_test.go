//go:build !js

package share_test

import (
	"net/http"
	"testing"

	"latentplay/core/models"
	"latentplay/wasm/edge/edgehttp"
	"latentplay/wasm/edge/share"
	"latentplay/wasm/edge/share/sharetest"
)

// client reaches a handler over a fresh Memory the way the Worker does:
// through edgehttp, in process, with requests in the form workerd gives
// them (so a target net/http's server would refuse arrives as a browser
// sent it).
func client() *http.Client {
	return &http.Client{Transport: &edgehttp.Transport{Handler: share.New(share.NewMemory()), Fail: share.Fail}}
}

// TestAPI holds the handler to the contract natively; TestWorker
// (wasm/edge) holds the Worker under workerd to the same.
func TestAPI(t *testing.T) {
	sharetest.Run(t, "http://share.test", client())
}

// TestLargestModelLoads: the largest model the suite uploads is a real
// model file, which the app's own loader opens.
func TestLargestModelLoads(t *testing.T) {
	b := sharetest.LargestModel()
	if len(b) > share.MaxBytes || len(b) < share.MaxBytes-8<<10 {
		t.Fatalf("the largest model is %d bytes; the limit is %d", len(b), share.MaxBytes)
	}
	m, _, err := models.Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(m.Params()[0].Value.Data); n != 4096*2038 {
		t.Fatalf("its first layer holds %d values", n)
	}
}

func TestLimitFitsShippedModels(t *testing.T) {
	for name, b := range sharetest.Models(t) {
		if len(b) > share.MaxBytes {
			t.Errorf("%s is %d bytes, over the %d-byte upload limit", name, len(b), share.MaxBytes)
		}
	}
}

func TestValidID(t *testing.T) {
	if id := share.ID([]byte("x")); !share.ValidID(id) {
		t.Errorf("ID gives %q, which ValidID refuses", id)
	}
	for _, s := range []string{"", "00", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeF", "../../../../etc/passwd00000000000000000000000000000000000000000000"} {
		if share.ValidID(s) {
			t.Errorf("ValidID(%q)", s)
		}
	}
}
