// Package models holds the networks of the course, from the single
// perceptron deciding whether to go to a festival to the conditional VAE,
// each with the operations the playground calls on it, and the bridge
// between models and model files.
package models
