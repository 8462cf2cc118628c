# Namespace tests: real hbd processes in network namespaces (root). Serialised with each other
# (RESOURCE_LOCK) so timing-sensitive tests do not compete for the two cores.
file(GLOB HBD_NETNS_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/netns/test_*.py)
foreach(test_file ${HBD_NETNS_TESTS})
  get_filename_component(test_name ${test_file} NAME_WE)
  add_test(NAME netns.${test_name} COMMAND python3 -u ${test_file} -v)
  set_tests_properties(netns.${test_name} PROPERTIES
    LABELS "netns;root"
    TIMEOUT 600
    RESOURCE_LOCK netns
    ENVIRONMENT "HBD_BIN_DIR=${CMAKE_BINARY_DIR}/bin;HBD_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
endforeach()
