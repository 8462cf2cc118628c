# libFuzzer targets (tests/fuzz/fuzz_*.cc), built only by clang with -DHBD_FUZZ=ON: scripts/fuzz
# configures build-fuzz/ that way (with HBD_SANITIZE=ON for ASan+UBSan) and runs them. hbdcore
# gets coverage instrumentation (-fsanitize=fuzzer-no-link); each target links libFuzzer's main.
# Each target also becomes a CTest test (label fuzz) that replays its seed corpus once.
option(HBD_FUZZ "Build the libFuzzer targets (clang only)" OFF)
if(HBD_FUZZ AND NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(WARNING "HBD_FUZZ needs clang (CXX=clang++); the fuzz targets are not built")
endif()
if(HBD_FUZZ AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  target_compile_options(hbdcore PRIVATE -fsanitize=fuzzer-no-link)
  file(GLOB HBD_FUZZ_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_*.cc)
  add_custom_target(fuzz_all)
  foreach(source ${HBD_FUZZ_SOURCES})
    get_filename_component(target ${source} NAME_WE)
    add_executable(${target} ${source})
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer)
    target_link_options(${target} PRIVATE -fsanitize=fuzzer)
    target_link_libraries(${target} PRIVATE hbdcore)
    add_dependencies(fuzz_all ${target})
    string(REGEX REPLACE "^fuzz_" "" corpus ${target})
    add_test(NAME ${target}_corpus
             COMMAND ${target} -runs=0 ${CMAKE_SOURCE_DIR}/tests/fuzz/corpus/${corpus})
    set_tests_properties(${target}_corpus PROPERTIES LABELS fuzz)
  endforeach()
endif()
