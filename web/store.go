package web

import (
	"errors"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// trainedKey is where the last trained model is kept in IndexedDB.
const trainedKey = "trained"

// await blocks the calling goroutine (from ctx.Async, never the UI's)
// until the JS promise settles.
func await(p app.Value) (app.Value, error) {
	type result struct {
		v   app.Value
		err error
	}
	ch := make(chan result, 1)
	var ok, fail app.Func
	ok = app.FuncOf(func(_ app.Value, args []app.Value) any {
		ch <- result{v: args[0]}
		return nil
	})
	fail = app.FuncOf(func(_ app.Value, args []app.Value) any {
		ch <- result{err: errors.New(args[0].Call("toString").String())}
		return nil
	})
	p.Call("then", ok, fail)
	r := <-ch
	ok.Release()
	fail.Release()
	return r.v, r.err
}

// storePut keeps bytes under key in IndexedDB.
func storePut(key string, b []byte) error {
	_, err := await(app.Window().Get("latentplayStore").Call("put", key, bytesToJS(b)))
	return err
}

// storeDelete forgets what is kept under key.
func storeDelete(key string) error {
	_, err := await(app.Window().Get("latentplayStore").Call("delete", key))
	return err
}

// storeGet returns the bytes kept under key, or nil if there are none.
func storeGet(key string) ([]byte, error) {
	v, err := await(app.Window().Get("latentplayStore").Call("get", key))
	if err != nil || !v.Truthy() {
		return nil, err
	}
	b := make([]byte, v.Get("length").Int())
	app.CopyBytesToGo(b, v)
	return b, nil
}

// download offers b to the person as a file called name.
func download(name string, b []byte) {
	app.Window().Get("latentplayStore").Call("download", name, bytesToJS(b))
}
