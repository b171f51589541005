// Package pca finds principal components through gonum (stat.PC) and
// measures the angles between subspaces, to hold the linear autoencoder
// against: trained by gradient descent on squared error, it should find
// PCA's subspace (Baldi & Hornik 1989).
package pca
