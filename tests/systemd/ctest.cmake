# systemd integration: hbd run as systemd would run it (NOTIFY_SOCKET, WATCHDOG_USEC) against a
# notification socket of the test's own (root: a private network and mount namespace keep hbd's
# heartbeats and state off the host), and `systemd-analyze verify` of conf/hbd.service.
add_test(NAME systemd.test_notify COMMAND python3 -u ${CMAKE_SOURCE_DIR}/tests/systemd/test_notify.py -v)
set_tests_properties(systemd.test_notify PROPERTIES
  LABELS "root"
  TIMEOUT 120
  ENVIRONMENT "HBD_BIN_DIR=${CMAKE_BINARY_DIR}/bin;HBD_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
add_test(NAME systemd.test_unit_file
         COMMAND python3 -u ${CMAKE_SOURCE_DIR}/tests/systemd/test_unit_file.py -v)
set_tests_properties(systemd.test_unit_file PROPERTIES
  LABELS "unit"
  TIMEOUT 60
  ENVIRONMENT "HBD_BIN_DIR=${CMAKE_BINARY_DIR}/bin;HBD_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
