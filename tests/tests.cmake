# Tests beyond the unit tests: every tests/<area>/ctest.cmake registers its own (namespace tests,
# resource script tests, ...). Included from the top-level CMakeLists.txt.
file(GLOB HBD_TEST_AREAS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/*/ctest.cmake)
foreach(area ${HBD_TEST_AREAS})
  include(${area})
endforeach()
