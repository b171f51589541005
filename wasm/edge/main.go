// Command edge is the Cloudflare Worker in front of the static site: it
// answers /api/* with the share API (package share) and keeps the shared
// bytes in Workers KV. Static Assets serve everything else.
package main

import "latentplay/wasm/edge/share"

// sharesBinding is the KV namespace's binding name in wrangler.toml.
const sharesBinding = "SHARES"

func main() {
	serve(share.New(openStore()))
}
