# Resource script tests (resource.d/*): each runs the real program inside its own network
# namespace(s) and needs root; they fail loudly when not run as root. Label: root.
set(HBD_RESOURCE_SCRIPT_TESTS ipaddr filesystem drbddisk memcached mysql mysql_proxy)
foreach(name ${HBD_RESOURCE_SCRIPT_TESTS})
  set(script ${CMAKE_SOURCE_DIR}/tests/resource_scripts/${name}_test.sh)
  if(EXISTS ${script})
    add_test(NAME resource_script_${name} COMMAND bash ${script})
    set_tests_properties(resource_script_${name} PROPERTIES LABELS "root;resource_scripts" TIMEOUT 120)
  endif()
endforeach()
