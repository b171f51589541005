package web

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/wasm/engine/protocol"
)

// shippedModel is a shipped model's entry in static/models/index.json.
type shippedModel struct {
	Name string             `json:"name"`
	Kind string             `json:"kind"`
	Eval map[string]float64 `json:"eval"`
}

var shippedIndex = struct {
	once   sync.Once
	models map[string]shippedModel
}{}

// shippedModels reads the shipped models' manifest once (nil if it cannot
// be had: the views then name the models without their figures).
func shippedModels() map[string]shippedModel {
	shippedIndex.once.Do(func() {
		status, b, err := fetch("GET", staticPath("/web/models/index.json"), "", nil)
		var idx struct {
			Models []shippedModel `json:"models"`
		}
		if err != nil || status != 200 || json.Unmarshal(b, &idx) != nil {
			return
		}
		shippedIndex.models = map[string]shippedModel{}
		for _, m := range idx.Models {
			shippedIndex.models[m.Name] = m
		}
	})
	return shippedIndex.models
}

// figure is a shipped model's headline test figure.
func (m shippedModel) figure() string {
	switch {
	case m.Eval["test_accuracy"] > 0:
		return fmt.Sprintf("test accuracy %.2f%%", 100*m.Eval["test_accuracy"])
	case m.Eval["test_loss_nats"] > 0:
		return fmt.Sprintf("test −ELBO %.1f nats", m.Eval["test_loss_nats"])
	case m.Eval["test_mse"] > 0:
		return fmt.Sprintf("test MSE %.4f", m.Eval["test_mse"])
	}
	return ""
}

// personal records that slot holds the person's model, as info describes.
func (c *EngineClient) personal(slot string, info protocol.Info) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.yours[slot] = info
}

// yoursIn is the person's model in slot, if one is there.
func (c *EngineClient) yoursIn(slot string) (protocol.Info, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	info, ok := c.yours[slot]
	return info, ok
}

// restore puts the shipped model back in slot.
func (c *EngineClient) restore(slot string) error {
	c.mu.Lock()
	delete(c.loaded, slot)
	c.mu.Unlock()
	if err := c.Shipped(slot); err != nil {
		return err
	}
	c.mu.Lock()
	delete(c.yours, slot)
	c.mu.Unlock()
	return nil
}

// InUse names the models a view draws with: shipped, with its test
// figure, or the person's own (put there by the Train view), with a way
// back to the shipped one.
type InUse struct {
	app.Compo

	ISlots []string
	// IOnChange redraws the view's pictures after a slot has changed.
	IOnChange func(ctx app.Context)

	shipped map[string]shippedModel
	yours   map[string]protocol.Info
	errMsg  string
}

// OnMount reads which models are in use.
func (u *InUse) OnMount(ctx app.Context) {
	u.refresh()
	ctx.Async(func() {
		m := shippedModels()
		ctx.Dispatch(func(ctx app.Context) { u.shipped = m })
	})
}

func (u *InUse) refresh() {
	u.yours = map[string]protocol.Info{}
	for _, slot := range u.ISlots {
		if info, ok := Engine().yoursIn(slot); ok {
			u.yours[slot] = info
		}
	}
}

// back restores the shipped model in the slot the button names.
func (u *InUse) back(ctx app.Context, e app.Event) {
	slot := ctx.JSSrc().Get("value").String()
	if !slices.Contains(u.ISlots, slot) {
		return
	}
	ctx.Async(func() {
		err := Engine().restore(slot)
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				u.errMsg = err.Error()
				return
			}
			u.errMsg = ""
			u.refresh()
			if u.IOnChange != nil { // the view's pictures are of the model that was there
				u.IOnChange(ctx)
			}
		})
	})
}

// Render lists the models, one line each.
func (u *InUse) Render() app.UI {
	items := make([]app.UI, 0, len(u.ISlots))
	for _, slot := range u.ISlots {
		if info, ok := u.yours[slot]; ok {
			what := fmt.Sprintf("your model (a %s", info.Kind)
			if info.Latent > 0 {
				what += fmt.Sprintf(", %d latent dimensions", info.Latent)
			}
			what += fmt.Sprintf(", %s parameters), trained in the Train view", thousands(info.Params))
			items = append(items, app.Li().Class("yours").Attr("data-slot", slot).Body(
				app.Strong().Text(slot+": "), app.Text(what+" "),
				app.Button().ID("back-"+slot).Value(slot).Text("Back to the shipped "+slot).OnClick(u.back),
			))
			continue
		}
		line := "shipped"
		if m, ok := u.shipped[slot]; ok && m.figure() != "" {
			line += ", " + m.figure()
		}
		items = append(items, app.Li().Attr("data-slot", slot).Body(app.Strong().Text(slot+": "), app.Text(line)))
	}
	return app.Details().Class("in-use").ID("in-use").Attr("data-yours", len(u.yours)).Open(len(u.yours) > 0).Body(
		app.Summary().Text(u.summary()),
		app.Ul().Body(items...),
		app.If(u.errMsg != "", func() app.UI { return app.P().Class("error").Attr("role", "alert").Text(u.errMsg) }),
	)
}

// summary names the models when they are shipped: one with its figure,
// several by name.
func (u *InUse) summary() string {
	if n := len(u.yours); n > 0 {
		return fmt.Sprintf("Models in use: %d of yours, %d shipped", n, len(u.ISlots)-n)
	}
	if len(u.ISlots) == 1 {
		s := "Model in use: the shipped " + u.ISlots[0]
		if m, ok := u.shipped[u.ISlots[0]]; ok && m.figure() != "" {
			s += " (" + m.figure() + ")"
		}
		return s
	}
	return "Models in use: the shipped " + strings.Join(u.ISlots, ", ")
}
