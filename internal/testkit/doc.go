// Package testkit holds helpers shared by the tests of several packages: a
// patient goroutine-leak check and a throwaway certificate authority. It is
// imported only by *_test.go files; production code must not use it.
package testkit
