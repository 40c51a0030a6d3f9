// Package layers holds no code: its test checks the import rules of
// docs/design.md ("Layers") over every package of the module, tests included.
package layers
