// Command gen writes the relaxed SIMD GEMM module (relaxed.Module) to a
// file: go generate ./wasm/relaxed writes wasm/relaxed/gemm.wasm, which the
// engine embeds. (Assembling it in the browser instead would carry the
// assembler in app.wasm: 600 KB.)
package main

import (
	"flag"
	"fmt"
	"os"

	"latentplay/wasm/relaxed"
)

func main() {
	out := flag.String("o", "gemm.wasm", "file to write")
	flag.Parse()
	if err := os.WriteFile(*out, relaxed.Module(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
