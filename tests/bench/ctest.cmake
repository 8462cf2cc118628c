# The benchmark's quick mode (scripts/bench --quick): checks that it runs and writes its Markdown,
# CSV and PNG with a row for each system, never its numbers. Root (namespaces); serialised with
# the namespace tests (RESOURCE_LOCK netns) so they do not compete for the cores.
add_test(NAME bench.quick COMMAND python3 -u ${CMAKE_SOURCE_DIR}/tests/bench/test_bench_quick.py -v)
set_tests_properties(bench.quick PROPERTIES
  LABELS "bench;root"
  TIMEOUT 420
  RESOURCE_LOCK netns
  ENVIRONMENT "HBD_BIN_DIR=${CMAKE_BINARY_DIR}/bin;HBD_SOURCE_DIR=${CMAKE_SOURCE_DIR}")

# The report's formatting and ratio pairing on made-up results (no root, a second).
add_test(NAME bench.report COMMAND python3 -u ${CMAKE_SOURCE_DIR}/tests/bench/test_report.py -v)
set_tests_properties(bench.report PROPERTIES
  LABELS "bench"
  TIMEOUT 60
  ENVIRONMENT "HBD_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
