// Package web is latentplay's user interface: go-app components, one per
// file, that draw, show and control models computed by the engine in its
// Web Worker. Components never compute on the page's thread beyond
// turning a drawing into a 28×28 input; they ask the engine through its
// client (engine.go) inside ctx.Async and apply results with ctx.Dispatch.
package web
