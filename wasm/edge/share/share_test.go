//go:build !js

package share_test

import (
	"net/http/httptest"
	"testing"

	"latentplay/wasm/edge/share"
	"latentplay/wasm/edge/share/sharetest"
)

func TestAPI(t *testing.T) {
	srv := httptest.NewServer(share.New(share.NewMemory()))
	defer srv.Close()
	sharetest.Run(t, srv.URL)
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
