// Package term answers whether a file is a terminal and how wide it is: the
// console report wraps to the width, and progress bars draw only on a terminal.
package term
