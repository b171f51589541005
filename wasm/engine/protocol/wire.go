package protocol

import (
	"encoding/json"
	"fmt"
	"reflect"

	"latentplay/core/tensor"
)

// A Message is what crosses postMessage: a JSON header, and the buffers
// the header's batches and files point into, moved as transferables (a
// Float32Array and a Uint8Array) rather than copied through JSON.
type Message struct {
	Header []byte
	Floats []float32
	Bytes  []byte
}

// Batch is Rows rows of Cols float32 values, row-major: images (Cols =
// data.Pixels), codes (Cols = the latent width), class probabilities
// (Cols = 10). Its values travel beside the header, not in the JSON.
type Batch struct {
	Rows, Cols int
	Data       []float32
	at         int // where Data starts in the message's floats
}

// BatchOf wraps a matrix as a batch (sharing its values).
func BatchOf(m *tensor.Mat) Batch {
	return Batch{Rows: m.Rows, Cols: m.Cols, Data: m.Data}
}

// RowsOf wraps data as rows of cols values; len(data) must be a multiple
// of cols.
func RowsOf(cols int, data []float32) Batch {
	if cols <= 0 || len(data)%cols != 0 {
		panic(fmt.Sprintf("protocol: %d values are not rows of %d", len(data), cols))
	}
	return Batch{Rows: len(data) / cols, Cols: cols, Data: data}
}

// Row is row i.
func (b Batch) Row(i int) []float32 { return b.Data[i*b.Cols : (i+1)*b.Cols : (i+1)*b.Cols] }

// Mat is the batch as a matrix (sharing its values).
func (b Batch) Mat() *tensor.Mat { return tensor.FromSlice(b.Rows, b.Cols, b.Data) }

// Empty reports whether the batch holds no rows.
func (b Batch) Empty() bool { return b.Rows == 0 }

type batchHeader struct {
	Rows int `json:"rows"`
	Cols int `json:"cols"`
	At   int `json:"at"`
}

// MarshalJSON writes the batch's shape and where its values lie.
func (b Batch) MarshalJSON() ([]byte, error) {
	return json.Marshal(batchHeader{b.Rows, b.Cols, b.at})
}

// UnmarshalJSON reads the shape; Unpack then points Data into the
// message's floats.
func (b *Batch) UnmarshalJSON(p []byte) error {
	var h batchHeader
	if err := json.Unmarshal(p, &h); err != nil {
		return err
	}
	if h.Rows < 0 || h.Cols < 0 || h.At < 0 || h.Rows > 0 && h.Cols > 1<<28/h.Rows {
		return fmt.Errorf("a batch of %d×%d at %d", h.Rows, h.Cols, h.At)
	}
	*b = Batch{Rows: h.Rows, Cols: h.Cols, at: h.At}
	return nil
}

// File is the bytes of a model file; they travel beside the header.
type File struct {
	Data []byte
	at   int
	n    int
}

type fileHeader struct {
	At  int `json:"at"`
	Len int `json:"len"`
}

// MarshalJSON writes where the file's bytes lie.
func (f File) MarshalJSON() ([]byte, error) { return json.Marshal(fileHeader{f.at, len(f.Data)}) }

// UnmarshalJSON reads where the bytes lie; Unpack then points Data there.
func (f *File) UnmarshalJSON(p []byte) error {
	var h fileHeader
	if err := json.Unmarshal(p, &h); err != nil {
		return err
	}
	if h.At < 0 || h.Len < 0 {
		return fmt.Errorf("a file of %d bytes at %d", h.Len, h.At)
	}
	*f = File{at: h.At, n: h.Len}
	return nil
}

var (
	batchType = reflect.TypeFor[Batch]()
	fileType  = reflect.TypeFor[File]()
)

// Pack makes v a message: its batches' values and files' bytes go into
// the message's buffers, the rest into the JSON header. v is a struct or
// a pointer to one. A message with one batch carries that batch's own
// slice, not a copy.
func Pack(v any) (Message, error) {
	var m Message
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer {
		p := reflect.New(rv.Type())
		p.Elem().Set(rv)
		rv = p
	}
	batches := 0
	walk(rv, func(b *Batch) {
		batches++
		switch batches {
		case 1:
			b.at, m.Floats = 0, b.Data
			return
		case 2: // no longer one batch alone: copy
			m.Floats = append([]float32(nil), m.Floats...)
		}
		b.at = len(m.Floats)
		m.Floats = append(m.Floats, b.Data...)
	}, func(f *File) {
		f.at, f.n = len(m.Bytes), len(f.Data)
		m.Bytes = append(m.Bytes, f.Data...)
	})
	h, err := json.Marshal(rv.Interface())
	if err != nil {
		return Message{}, err
	}
	m.Header = h
	return m, nil
}

// Unpack reads a message made by Pack into v (a pointer), checking that
// every batch and file lies within the message's buffers.
func Unpack(m Message, v any) error {
	if err := json.Unmarshal(m.Header, v); err != nil {
		return err
	}
	var err error
	walk(reflect.ValueOf(v), func(b *Batch) {
		n := b.Rows * b.Cols
		if b.at+n > len(m.Floats) {
			if err == nil {
				err = fmt.Errorf("a batch of %d×%d at %d beyond the message's %d values", b.Rows, b.Cols, b.at, len(m.Floats))
			}
			return
		}
		b.Data = m.Floats[b.at : b.at+n : b.at+n]
	}, func(f *File) {
		if f.at+f.n > len(m.Bytes) {
			if err == nil {
				err = fmt.Errorf("a file of %d bytes at %d beyond the message's %d", f.n, f.at, len(m.Bytes))
			}
			return
		}
		f.Data = m.Bytes[f.at : f.at+f.n : f.at+f.n]
	})
	return err
}

// walk calls batch and file on every Batch and File reachable from v
// through pointers, structs, slices and arrays.
func walk(v reflect.Value, batch func(*Batch), file func(*File)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walk(v.Elem(), batch, file)
		}
	case reflect.Struct:
		switch v.Type() {
		case batchType:
			batch(v.Addr().Interface().(*Batch))
			return
		case fileType:
			file(v.Addr().Interface().(*File))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				walk(v.Field(i), batch, file)
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Struct || v.Type().Elem().Kind() == reflect.Pointer || v.Type().Elem().Kind() == reflect.Slice {
			for i := range v.Len() {
				walk(v.Index(i), batch, file)
			}
		}
	}
}
