// Package analysis measures models on data: test losses and the
// importance-weighted log-likelihood of a VAE. It stays free of gonum so
// the browser's engine can use it without carrying linear algebra it does
// not need.
package analysis
