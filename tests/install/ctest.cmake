# Packaging test: builds the .deb with CPack and checks the installed layout (needs root for
# chroot; label "root").
add_test(NAME install.test_deb COMMAND bash ${CMAKE_SOURCE_DIR}/tests/install/test_deb.sh)
set_tests_properties(install.test_deb PROPERTIES
  LABELS "root"
  TIMEOUT 180
  RUN_SERIAL TRUE
  ENVIRONMENT "HBD_BUILD_DIR=${CMAKE_BINARY_DIR};HBD_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
