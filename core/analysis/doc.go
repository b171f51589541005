// Package analysis measures models on data: test losses, PCA (through
// gonum) to hold the linear autoencoder against, principal angles between
// subspaces, and the importance-weighted log-likelihood of a VAE.
package analysis
