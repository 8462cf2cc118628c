"""hbd's multi-node test harness: real hbd processes in Linux network namespaces."""
