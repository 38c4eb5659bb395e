#!/bin/sh
# Regenerates the Go profile fixtures under src/engine/profiles/fixtures and records
# `go tool pprof -top -cum` for each, which the tests compare Loupe's /top against.
# Needs Go (Debian: golang-go). The outputs are committed so tests run without Go.
set -eu
dir="$(cd "$(dirname "$0")/.." && pwd)/src/engine/profiles/fixtures"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$dir/goprogram/main.go" "$work/main.go"
(cd "$work" && GO111MODULE=off go build -o goprogram main.go)
"$work/goprogram" "$dir/go-cpu.pb.gz" "$dir/go-allocs.pb.gz"
cd "$dir"
go tool pprof -top -cum -nodefraction=0 -nodecount=100000 go-cpu.pb.gz > go-cpu.top.txt 2>/dev/null
for index in alloc_space alloc_objects; do
  go tool pprof -top -cum -nodefraction=0 -nodecount=100000 -sample_index=$index go-allocs.pb.gz > go-allocs.$index.top.txt 2>/dev/null
done
ls -l "$dir"
