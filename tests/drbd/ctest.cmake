# Test of the DRBD test simulator (tests/drbd/drbdadm): two simulated nodes in temp dirs, no root.
add_test(NAME drbd_simulator COMMAND bash ${CMAKE_SOURCE_DIR}/tests/drbd/test_drbd_simulator.sh)
set_tests_properties(drbd_simulator PROPERTIES LABELS "unit;drbd" TIMEOUT 60
  ENVIRONMENT "HBD_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
