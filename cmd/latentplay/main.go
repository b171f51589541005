// Command latentplay trains and evaluates latentplay's models natively.
//
//	latentplay train -model mlp -epochs 30 -seed 1 -o static/models/mlp.lpm
//	latentplay eval static/models/mlp.lpm
//	latentplay manifest -dir static/models
//
// Training shows progress on the terminal (epoch, loss, samples/s, ETA);
// eval prints one JSON object with the model's figures on the 10,000 MNIST
// test images.
package main

import (
	"fmt"
	"os"
)

const usage = `usage: latentplay <command> [flags]

commands:
  train     train a model on MNIST and write its model file
  eval      print a model file's figures on the MNIST test set as JSON
  manifest  evaluate every shipped model and write static/models/index.json
  convert   re-encode a model file with another weight storage
  build     write the static site (after app.wasm is built: make site)
  serve     serve a built site on 127.0.0.1 and print its URL

Run 'latentplay <command> -h' for a command's flags.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "train":
		err = trainCmd(os.Args[2:])
	case "eval":
		err = evalCmd(os.Args[2:])
	case "manifest":
		err = manifestCmd(os.Args[2:])
	case "convert":
		err = convertCmd(os.Args[2:])
	case "build":
		err = buildCmd(os.Args[2:])
	case "serve":
		err = serveCmd(os.Args[2:])
	case "-h", "-help", "--help", "help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "latentplay: unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "latentplay:", err)
		os.Exit(1)
	}
}
