// Package layers holds no code: its tests check the import rules of
// docs/design.md ("Layers") over every package of the module, tests included,
// and that design.md's tables match the code: the Layers table row for row
// with the rules, the Packages table naming every package, each of which has
// a doc comment.
package layers
