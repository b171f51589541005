package modelfile_test

import (
	"encoding/json"
	"fmt"

	"latentplay/core/modelfile"
)

func ExampleMarshal() {
	f := &modelfile.File{
		Kind:   "perceptron",
		Config: json.RawMessage(`{"inputs":2}`),
		Meta:   json.RawMessage(`{"accuracy":0.97}`),
		Tensors: []modelfile.Tensor{
			{Name: "W", Shape: []int{1, 2}, Data: []float32{0.5, -1.25}},
			{Name: "b", Shape: []int{1}, Data: []float32{0.1}},
		},
	}
	b, err := modelfile.Marshal(f, modelfile.Float16)
	if err != nil {
		fmt.Println(err)
		return
	}

	g, err := modelfile.Decode(b)
	if err != nil {
		fmt.Println(err)
		return
	}
	w, _ := g.Tensor("W")
	bias, _ := g.Tensor("b")
	fmt.Println(len(b), "bytes:", g.Kind, string(g.Config))
	fmt.Println(w.Name, w.Shape, w.Data)
	fmt.Println(bias.Name, bias.Shape, bias.Data, "(0.1 rounded to half precision)")

	b[len(b)-1] ^= 1 // corrupt the checksum
	_, err = modelfile.Decode(b)
	fmt.Println(err)
	// Output:
	// 97 bytes: perceptron {"inputs":2}
	// W [1 2] [0.5 -1.25]
	// b [1] [0.099975586] (0.1 rounded to half precision)
	// modelfile: checksum mismatch, file is corrupt (stored c54d4719, computed c44d4719)
}
