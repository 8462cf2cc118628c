# Command-line tests of hbd and its tools (shell scripts).
file(GLOB HBD_CLI_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/cli/test_*.sh)
foreach(test_file ${HBD_CLI_TESTS})
  get_filename_component(test_name ${test_file} NAME_WE)
  add_test(NAME cli.${test_name} COMMAND bash ${test_file})
  set_tests_properties(cli.${test_name} PROPERTIES
    LABELS "cli;unit"
    TIMEOUT 120
    ENVIRONMENT "HBD_BIN_DIR=${CMAKE_BINARY_DIR}/bin;HBD_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
endforeach()
