package protocol

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// fill gives every field reachable from v a value of its own: numbers
// counting up, strings, two elements for slices, 2×3 batches.
func fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), n)
	case reflect.Struct:
		switch v.Type() {
		case batchType:
			b := Batch{Rows: 2, Cols: 3}
			for i := range 6 {
				b.Data = append(b.Data, float32(*n+i)/4)
			}
			v.Set(reflect.ValueOf(b))
			return
		case fileType:
			v.Set(reflect.ValueOf(File{Data: []byte{byte(*n), 1, 2, 3}}))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && v.Type().Field(i).Tag.Get("json") != "-" {
				fill(v.Field(i), n)
			}
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(v.Index(i), n)
		}
	case reflect.Array:
		for i := range v.Len() {
			fill(v.Index(i), n)
		}
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
	case reflect.String:
		v.SetString(strings.Repeat("s", *n%5+1))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(*n))
	case reflect.Uint64, reflect.Uint8, reflect.Uint32:
		v.SetUint(uint64(*n))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(*n) + 0.5)
	}
}

// TestEveryOpRoundTrips: each operation's arguments and answer, every
// field set, come out of a message as they went in.
func TestEveryOpRoundTrips(t *testing.T) {
	if len(Ops()) < 20 {
		t.Fatalf("%d operations declared", len(Ops()))
	}
	for _, name := range Ops() {
		for i, typ := range ops[name] {
			in := reflect.New(typ)
			n := 0
			fill(in.Elem(), &n)
			m, err := Pack(in.Interface())
			if err != nil {
				t.Fatalf("%s %d: %v", name, i, err)
			}
			out := reflect.New(typ)
			if err := Unpack(m, out.Interface()); err != nil {
				t.Fatalf("%s %d: %v", name, i, err)
			}
			if !reflect.DeepEqual(in.Interface(), out.Interface()) {
				t.Errorf("%s: %v went in, %v came out", name, in.Elem().Interface(), out.Elem().Interface())
			}
		}
	}
}

// A message with one batch carries the batch's own values; with more it
// lays them end to end, each where its header says.
func TestBatchesBesideTheHeader(t *testing.T) {
	one := Images{Images: RowsOf(2, []float32{1, 2, 3, 4})}
	m, err := Pack(&one)
	if err != nil {
		t.Fatal(err)
	}
	if &m.Floats[0] != &one.Images.Data[0] {
		t.Error("a lone batch was copied")
	}
	if strings.Contains(string(m.Header), "1,2") {
		t.Errorf("the values went into the header: %s", m.Header)
	}
	two := Codes{Mu: RowsOf(1, []float32{1, 2}), Sigma: RowsOf(1, []float32{3, 4, 5})}
	if m, err = Pack(&two); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Floats, []float32{1, 2, 3, 4, 5}) {
		t.Fatalf("floats %v", m.Floats)
	}
	var got Codes
	if err := Unpack(m, &got); err != nil || !slices.Equal(got.Sigma.Data, []float32{3, 4, 5}) || got.Sigma.Rows != 3 {
		t.Fatalf("σ came back as %+v (%v)", got.Sigma, err)
	}
}

// A header whose batch or file lies beyond the message's buffers, or has
// a negative or absurd shape, is refused with an error, not read.
func TestHostileHeaders(t *testing.T) {
	for _, h := range []string{
		`{"images":{"rows":2,"cols":3,"at":0}}`,
		`{"images":{"rows":-1,"cols":3,"at":0}}`,
		`{"images":{"rows":1,"cols":3,"at":-2}}`,
		`{"images":{"rows":1000000,"cols":1000000,"at":0}}`,
		`{"images":{"rows":1,"cols":2,"at":4}}`,
	} {
		var out Images
		if err := Unpack(Message{Header: []byte(h), Floats: make([]float32, 5)}, &out); err == nil {
			t.Errorf("%s: read", h)
		}
	}
	var f LoadArgs
	if err := Unpack(Message{Header: []byte(`{"file":{"at":2,"len":9}}`), Bytes: make([]byte, 10)}, &f); err == nil {
		t.Error("a file beyond the bytes was read")
	}
}

// FuzzUnpack: no header and buffers make Unpack panic or hand out values
// beyond the message.
func FuzzUnpack(f *testing.F) {
	f.Add([]byte(`{"mu":{"rows":1,"cols":2,"at":0},"sigma":{"rows":1,"cols":2,"at":2}}`), 4)
	f.Add([]byte(`{"mu":{"rows":3,"cols":2,"at":1}}`), 4)
	f.Fuzz(func(t *testing.T, h []byte, n int) {
		n = max(0, min(n, 1<<12))
		var c Codes
		if err := Unpack(Message{Header: h, Floats: make([]float32, n)}, &c); err != nil {
			return
		}
		for _, b := range []Batch{c.Mu, c.Sigma} {
			if len(b.Data) != b.Rows*b.Cols {
				t.Fatalf("a %d×%d batch holds %d values", b.Rows, b.Cols, len(b.Data))
			}
		}
	})
}

// An engine's error reaches the caller once, named by its operation.
func TestErrorsNameTheirOperation(t *testing.T) {
	for _, err := range []error{errors.New("no model loaded as \"x\""), &Error{Op: "encode", Msg: "no model loaded as \"x\""}} {
		m := Answer(1, nil, err, 0)
		var env Envelope
		if e := Unpack(m, &env); e != nil {
			t.Fatal(e)
		}
		_, got := Result(Encode, env.Reply, m)
		if got == nil || got.Error() != `engine: encode: no model loaded as "x"` {
			t.Errorf("%v came back as %v", err, got)
		}
	}
}

// TestListOps lists every operation with its argument and answer types
// (go test -run ListOps -v): the protocol at a glance.
func TestListOps(t *testing.T) {
	for _, name := range Ops() {
		t.Logf("%-16s %-28s → %s", name, ops[name][0].Name(), ops[name][1].Name())
		if ops[name][0].Kind() != reflect.Struct || ops[name][1].Kind() != reflect.Struct {
			t.Errorf("%s: arguments and answers are structs with named fields", name)
		}
	}
}
