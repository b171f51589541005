//go:build js && wasm

package main

import (
	"bytes"
	"io"
	"syscall/js"

	"github.com/syumai/workers/cloudflare/kv"

	"latentplay/wasm/edge/share"
)

// kvStore keeps shared bytes in the Workers KV namespace bound as sharesBinding.
type kvStore struct {
	ns  *kv.Namespace
	err error // the binding is missing: every request says so
}

func openStore() share.Store {
	ns, err := kv.NewNamespace(sharesBinding)
	return &kvStore{ns: ns, err: err}
}

func (s *kvStore) Put(id string, b []byte) error {
	if s.err != nil {
		return s.err
	}
	return s.ns.PutReader(id, bytes.NewReader(b), nil)
}

func (s *kvStore) Get(id string) ([]byte, error) {
	if s.err != nil {
		return nil, s.err
	}
	r, err := s.ns.GetReader(id, nil)
	if err != nil {
		return nil, err
	}
	// KV answers null for a missing key; the reader wraps that value, and
	// reading it would panic, so look at it first.
	if raw, ok := r.(interface{ GetRawJSBody() js.Value }); ok && raw.GetRawJSBody().IsNull() {
		return nil, share.ErrNotFound
	}
	return io.ReadAll(r)
}
