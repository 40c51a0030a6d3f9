// Package testkit holds helpers shared by the tests of several packages: a
// patient goroutine-leak check, a throwaway certificate authority, a buffer
// safe for concurrent writes, and a file read, a PNG read and an HTTP GET that
// fail the test. It is imported only by *_test.go files; production code must
// not use it.
package testkit
