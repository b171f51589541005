package models

// Clone returns a new model with m's configuration and values, sharing
// nothing with m.
func Clone(m Model) (Model, error) {
	f, err := ToFile(m, nil)
	if err != nil {
		return nil, err
	}
	return FromFile(f)
}

// CopyValues sets dst's values (parameters and buffers) to src's; both
// must be of the same kind and configuration, as a Clone of src is.
func CopyValues(dst, src Model) {
	d, s := saved(dst), saved(src)
	if len(d) != len(s) {
		panic("models: CopyValues between models of different shapes")
	}
	for i, p := range s {
		if len(d[i].Value.Data) != len(p.Value.Data) {
			panic("models: CopyValues between models of different shapes")
		}
		copy(d[i].Value.Data, p.Value.Data)
	}
}
