// Package testkit holds helpers shared by the tests of several packages: a
// patient goroutine-leak check, a throwaway certificate authority, a buffer
// safe for concurrent writes, counts of records in flight and by phase, and
// file reads and writes, JSON and JSON Lines decodes, a checked path into
// decoded JSON, a PNG read and an HTTP GET that fail the test; a named pipe that
// cannot hang its reader. It is imported only by *_test.go files; production code must
// not use it.
package testkit
