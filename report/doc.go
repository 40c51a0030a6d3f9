// Package report writes AIPerf's report from a metrics.Result: the console
// tables (a byte-exact re-implementation of python rich's table layout, checked
// against rich's own output in testdata/rich_tables.json), the CSV, JSON and
// JSONL exports, inputs.json, and the artifact directory name.
//
// Where we add to AIPerf's files (documented extensions):
//   - profile_export_aiperf.json: "schedule_lag" (ms statistics of how late
//     requests left compared with their schedule) and "token_source".
//   - profile_export.jsonl: a top-level "record" object per line, the raw
//     record.Record, which ReadRecords reads back so that reports (and merges
//     of shard runs) can be rebuilt exactly.
//
// Behaviour kept from AIPerf on purpose: the console starts with two blank
// lines (rich's console.print("\n")); the CSV has CRLF line ends (Python's csv
// module); JSON floats are formatted like pydantic (20.0, 1.76e18).
package report
