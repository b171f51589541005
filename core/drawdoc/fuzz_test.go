package drawdoc

import (
	"reflect"
	"testing"
)

// FuzzDecode: any bytes give a valid document or a document error, never a
// panic, and a document that decodes encodes back to one that decodes equal.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"v":1,"side":280,"brush":22,"strokes":[[[10,20],[30,40]],[[5,5]]]}`,
		`{"v":1,"side":280,"brush":22,"strokes":[]}`,
		`{"v":1,"side":1,"brush":1,"strokes":[[[0,1]]]}`,
		`{"v":1,"side":280,"brush":22,"strokes":[[[1e400,2]]]}`,
		`{"v":1,"side":280,"brush":22,"strokes":null}`,
		`{"v":1,"v":2,"side":280,"brush":22,"strokes":[]}`,
		`{"V":1,"SIDE":280,"brush":22,"strokes":[]}`,
		`{"v":1.5,"side":280,"brush":22,"strokes":[]}`,
		`{"v":1,"side":280,"brush":22,"strokes":[[[1,2]]]}garbage`,
		"\xff\xfe{}",
		`null`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Decode(b)
		if err != nil {
			if !IsError(err) {
				t.Fatalf("not a document error: %v", err)
			}
			return
		}
		out, err := Encode(d)
		if err != nil {
			t.Fatalf("a decoded document does not encode: %v", err)
		}
		again, err := Decode(out)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if len(d.Strokes) == 0 {
			d.Strokes = again.Strokes // nil and empty encode alike
		}
		if !reflect.DeepEqual(again, d) {
			t.Fatalf("round trip changed the document: %+v vs %+v", d, again)
		}
	})
}
