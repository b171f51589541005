package web

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// staticPath resolves a path under /web/ against where the site's static
// resources really are (a sub-path on GitHub Pages, say).
func staticPath(p string) string {
	base := app.Getenv("GOAPP_STATIC_RESOURCES_URL") // "/web" or "/prefix/web"
	if base == "" {
		return p
	}
	return base + strings.TrimPrefix(p, "/web")
}
