// Package shareapi is what the share API and its clients agree on: paths,
// media types, ids and the JSON answers. It imports nothing heavy, so the
// app (which talks to the API with the browser's fetch) stays small.
package shareapi

import (
	"crypto/sha256"
	"encoding/hex"
)

// Paths and media types of the API.
const (
	Prefix    = "/api/share"               // POST here, GET here (Service); GET Prefix + "/" + id
	TypeModel = "application/octet-stream" // a latentplay model file
	TypeDoc   = "application/json"         // a drawdoc document
)

// Created is the answer to an upload.
type Created struct {
	ID   string `json:"id"`
	Kind string `json:"kind"` // "model" or "drawing"
	URL  string `json:"url"`  // where to GET the bytes
}

// Service is the answer to GET Prefix: whether this host keeps shared
// items. The static site carries a file at Prefix that says it does not
// (StaticService); where the share Worker runs, it answers in the file's
// place. So a page finds out with one request that never fails.
type Service struct {
	Keeps bool `json:"keeps"`
}

// StaticService is the file the static site carries at Prefix.
const StaticService = `{"keeps":false}` + "\n"

// Problem is every error's body.
type Problem struct {
	Status int    `json:"status"`
	Error  string `json:"error"`
}

// ID is the id of b: its SHA-256 in lower-case hex.
func ID(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// ValidID reports whether s has the form of an id.
func ValidID(s string) bool {
	if len(s) != 2*sha256.Size {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
