module genload/bench/protocol/stream-server

go 1.22
