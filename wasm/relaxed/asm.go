package relaxed

// A small WebAssembly assembler: just what the GEMM module needs (i32
// arithmetic, structured control, f32 and v128 loads and stores, and
// relaxed SIMD's fused multiply-add). It writes the binary format of the
// WebAssembly core specification §5 directly; the module it assembles
// imports its memory and defines none.

// A valType is a WebAssembly value type (spec §5.3.1).
type valType byte

const (
	i32  valType = 0x7f
	f32  valType = 0x7d
	v128 valType = 0x7b
)

// A fn is one function being assembled: its signature, its locals after
// the parameters, and its body.
type fn struct {
	name    string // exported under this name when not empty
	params  []valType
	results []valType
	locals  []valType
	code    []byte
}

// A local is the index of a parameter or local variable.
type local uint32

// newFn starts a function with the given parameters and results.
func newFn(name string, params, results []valType) *fn {
	return &fn{name: name, params: params, results: results}
}

// param returns the i-th parameter.
func (f *fn) param(i int) local { return local(i) }

// local declares a new local of type t.
func (f *fn) local(t valType) local {
	f.locals = append(f.locals, t)
	return local(len(f.params) + len(f.locals) - 1)
}

func (f *fn) op(b ...byte) { f.code = append(f.code, b...) }

func (f *fn) uleb(v uint32) { f.code = appendULEB(f.code, v) }

// simd emits a 0xfd-prefixed instruction, whose opcode is a LEB128 u32.
func (f *fn) simd(op uint32) { f.op(0xfd); f.uleb(op) }

// Variables.
func (f *fn) get(l local) { f.op(0x20); f.uleb(uint32(l)) }
func (f *fn) set(l local) { f.op(0x21); f.uleb(uint32(l)) }
func (f *fn) tee(l local) { f.op(0x22); f.uleb(uint32(l)) }

// Control. Blocks take no values and leave none (block type 0x40).
func (f *fn) block()          { f.op(0x02, 0x40) }
func (f *fn) loop()           { f.op(0x03, 0x40) }
func (f *fn) if_()            { f.op(0x04, 0x40) }
func (f *fn) else_()          { f.op(0x05) }
func (f *fn) end()            { f.op(0x0b) }
func (f *fn) br(depth uint32) { f.op(0x0c); f.uleb(depth) }
func (f *fn) brIf(depth uint32) {
	f.op(0x0d)
	f.uleb(depth)
}
func (f *fn) ret()         { f.op(0x0f) }
func (f *fn) call(idx int) { f.op(0x10); f.uleb(uint32(idx)) }
func (f *fn) selectValue() { f.op(0x1b) }
func (f *fn) drop()        { f.op(0x1a) }
func (f *fn) i32c(v int32) { f.op(0x41); f.code = appendSLEB(f.code, v) }
func (f *fn) f32zero()     { f.op(0x43, 0, 0, 0, 0) }
func (f *fn) v128zero()    { f.simd(0x0c); f.op(make([]byte, 16)...) }
func (f *fn) memarg(align, offset uint32) {
	f.uleb(align)
	f.uleb(offset)
}

// Memory, at the address on the stack plus a constant offset. The
// alignment hints are log2 of the natural alignment of each access.
func (f *fn) i32load(off uint32)  { f.op(0x28); f.memarg(2, off) }
func (f *fn) f32load(off uint32)  { f.op(0x2a); f.memarg(2, off) }
func (f *fn) i32store(off uint32) { f.op(0x36); f.memarg(2, off) }
func (f *fn) f32store(off uint32) { f.op(0x38); f.memarg(2, off) }

// v128 loads and stores carry alignment 4 bytes (log2 2): Go's float32
// slices are only that aligned.
func (f *fn) v128load(off uint32)        { f.simd(0x00); f.memarg(2, off) }
func (f *fn) v128load32splat(off uint32) { f.simd(0x09); f.memarg(2, off) }
func (f *fn) v128store(off uint32)       { f.simd(0x0b); f.memarg(2, off) }

// shuffle32 picks four 32-bit lanes from the two v128 on the stack: lanes
// 0–3 of the first, 4–7 of the second (i8x16.shuffle, byte by byte).
func (f *fn) shuffle32(l0, l1, l2, l3 byte) {
	f.simd(0x0d)
	for _, l := range []byte{l0, l1, l2, l3} {
		f.op(4*l, 4*l+1, 4*l+2, 4*l+3)
	}
}

// Numeric instructions.
func (f *fn) i32eqz()  { f.op(0x45) }
func (f *fn) i32eq()   { f.op(0x46) }
func (f *fn) i32ltU()  { f.op(0x49) }
func (f *fn) i32geU()  { f.op(0x4f) }
func (f *fn) i32add()  { f.op(0x6a) }
func (f *fn) i32sub()  { f.op(0x6b) }
func (f *fn) i32mul()  { f.op(0x6c) }
func (f *fn) i32divU() { f.op(0x6e) }
func (f *fn) i32and()  { f.op(0x71) }
func (f *fn) i32or()   { f.op(0x72) }
func (f *fn) f32ne()   { f.op(0x5c) }
func (f *fn) f32add()  { f.op(0x92) }
func (f *fn) f32mul()  { f.op(0x94) }

// f32x4RelaxedMadd computes a·b + c lane by lane, fused or not as the
// machine does it best (relaxed SIMD proposal, opcode 0xfd 0x105).
func (f *fn) f32x4RelaxedMadd() { f.simd(0x105) }

// Higher-level helpers.

// addTo emits l += v.
func (f *fn) addTo(l local, v int32) {
	f.get(l)
	f.i32c(v)
	f.i32add()
	f.set(l)
}

// addLocal emits l += m.
func (f *fn) addLocal(l, m local) {
	f.get(l)
	f.get(m)
	f.i32add()
	f.set(l)
}

// minLeft emits w = min(c, n − j): the width of the panel at j, the
// last one short.
func (f *fn) minLeft(w local, c int32, n, j local) {
	f.i32c(c)
	f.get(n)
	f.get(j)
	f.i32sub()
	f.tee(w)
	f.get(w)
	f.i32c(c)
	f.i32geU()
	f.selectValue()
	f.set(w)
}

// whileLtU emits `for l <u bound { body }`, the test first.
func (f *fn) whileLtU(l, bound local, body func()) {
	f.block()
	f.get(l)
	f.get(bound)
	f.i32geU()
	f.brIf(0)
	f.loop()
	body()
	f.get(l)
	f.get(bound)
	f.i32ltU()
	f.brIf(0)
	f.end()
	f.end()
}

// A module is a list of functions, which call one another by their index
// in it, and, if memory, one imported memory: env.memory.
type module struct {
	fns    []*fn
	memory bool
}

// add appends f and returns its index.
func (m *module) add(f *fn) int {
	m.fns = append(m.fns, f)
	return len(m.fns) - 1
}

// bytes writes the module's binary form.
func (m *module) bytes() []byte {
	out := []byte{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00}

	// Type section: one function type per function (duplicates are legal).
	var types [][]byte
	for _, f := range m.fns {
		t := []byte{0x60}
		t = appendULEB(t, uint32(len(f.params)))
		for _, p := range f.params {
			t = append(t, byte(p))
		}
		t = appendULEB(t, uint32(len(f.results)))
		for _, r := range f.results {
			t = append(t, byte(r))
		}
		types = append(types, t)
	}
	out = appendSection(out, 1, vec(types))

	// Import section: env.memory, a memory of at least 0 pages, no maximum.
	if m.memory {
		imp := appendName(nil, "env")
		imp = appendName(imp, "memory")
		imp = append(imp, 0x02, 0x00, 0x00)
		out = appendSection(out, 2, vec([][]byte{imp}))
	}

	// Function section: function i has type i.
	var funcs [][]byte
	for i := range m.fns {
		funcs = append(funcs, appendULEB(nil, uint32(i)))
	}
	out = appendSection(out, 3, vec(funcs))

	// Export section.
	var exports [][]byte
	for i, f := range m.fns {
		if f.name != "" {
			e := appendName(nil, f.name)
			e = append(e, 0x00)
			exports = append(exports, appendULEB(e, uint32(i)))
		}
	}
	if len(exports) > 0 {
		out = appendSection(out, 7, vec(exports))
	}

	// Code section: each body's locals as runs of one type, then its code.
	var bodies [][]byte
	for _, f := range m.fns {
		var runs [][]byte
		for i := 0; i < len(f.locals); {
			j := i
			for j < len(f.locals) && f.locals[j] == f.locals[i] {
				j++
			}
			runs = append(runs, append(appendULEB(nil, uint32(j-i)), byte(f.locals[i])))
			i = j
		}
		body := append(vec(runs), f.code...)
		body = append(body, 0x0b)
		bodies = append(bodies, append(appendULEB(nil, uint32(len(body))), body...))
	}
	return appendSection(out, 10, vec(bodies))
}

func vec(items [][]byte) []byte {
	out := appendULEB(nil, uint32(len(items)))
	for _, it := range items {
		out = append(out, it...)
	}
	return out
}

func appendSection(out []byte, id byte, content []byte) []byte {
	out = append(out, id)
	out = appendULEB(out, uint32(len(content)))
	return append(out, content...)
}

func appendName(out []byte, s string) []byte {
	out = appendULEB(out, uint32(len(s)))
	return append(out, s...)
}

// appendULEB appends v in unsigned LEB128.
func appendULEB(out []byte, v uint32) []byte {
	for {
		b := byte(v & 0x7f)
		v >>= 7
		if v == 0 {
			return append(out, b)
		}
		out = append(out, b|0x80)
	}
}

// appendSLEB appends v in signed LEB128.
func appendSLEB(out []byte, v int32) []byte {
	for {
		b := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && b&0x40 == 0) || (v == -1 && b&0x40 != 0) {
			return append(out, b)
		}
		out = append(out, b|0x80)
	}
}
