# src/net's namespace tests: hbd_net_probe (a test-only program that opens the heartbeat media
# and ping nodes of an ha.cf and reports what arrives) run in harness nodes by test_*.py here.
add_executable(hbd_net_probe ${CMAKE_SOURCE_DIR}/tests/net/net_probe.cc)
target_link_libraries(hbd_net_probe PRIVATE hbdcore)

file(GLOB HBD_NET_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/net/test_*.py)
foreach(test_file ${HBD_NET_TESTS})
  get_filename_component(test_name ${test_file} NAME_WE)
  add_test(NAME net.${test_name} COMMAND python3 -u ${test_file} -v)
  set_tests_properties(net.${test_name} PROPERTIES
    LABELS "netns;root"
    TIMEOUT 600
    RESOURCE_LOCK netns
    ENVIRONMENT "HBD_BIN_DIR=${CMAKE_BINARY_DIR}/bin;HBD_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
endforeach()
