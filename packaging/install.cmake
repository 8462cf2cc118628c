# Where `cmake --install` and `cpack -G DEB` put hbd (Debian layout, ecosystem.md §7): programs in
# /usr/sbin, resource scripts in <prefix>/lib/hbd/resource.d (HBD_INSTALLED_RESOURCE_DIR), the
# unit in /lib/systemd/system, sample ha.cf and haresources in /etc/ha.d (conffiles: never
# overwritten silently), hb_standby/hb_takeover in <prefix>/share/hbd with links in /usr/sbin.
# No authkeys in /etc/ha.d: a shipped key would be public. The package's postinst creates one with
# a random key when there is none; the sample is in <prefix>/share/doc/hbd/examples.
# With HBD_HEARTBEAT_PATHS (default ON) the tools are also reachable where Heartbeat 3 operators
# and their scripts call them (links: /usr/share/heartbeat/hb_standby and hb_takeover,
# /usr/bin/cl_status, /usr/lib/heartbeat/drbd-peer-outdater for drbd.conf's fence-peer); the
# package then replaces Debian's heartbeat (Conflicts/Replaces), as two cluster managers on one
# node is a mistake anyway. Configure with -DHBD_HEARTBEAT_PATHS=OFF to install beside heartbeat.
# Included from the top-level CMakeLists.txt; configure with -DCMAKE_INSTALL_PREFIX=/usr.

install(TARGETS hbd hbctl cl_status drbd-peer-outdater RUNTIME DESTINATION sbin)

# Not lib/${CMAKE_INSTALL_LIBDIR}: the path is compiled into hbd as HBD_INSTALLED_RESOURCE_DIR.
install(DIRECTORY ${CMAKE_SOURCE_DIR}/resource.d/ DESTINATION lib/hbd/resource.d
        USE_SOURCE_PERMISSIONS
        FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                         WORLD_READ WORLD_EXECUTE)

install(PROGRAMS ${CMAKE_SOURCE_DIR}/scripts/hb_standby ${CMAKE_SOURCE_DIR}/scripts/hb_takeover
        DESTINATION share/hbd)
file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/packaging)
foreach(script hb_standby hb_takeover)
  file(CREATE_LINK ../share/hbd/${script} ${CMAKE_BINARY_DIR}/packaging/${script} SYMBOLIC)
  install(FILES ${CMAKE_BINARY_DIR}/packaging/${script} DESTINATION sbin)
endforeach()

option(HBD_HEARTBEAT_PATHS "Also install links where Heartbeat 3 had its tools" ON)
if(HBD_HEARTBEAT_PATHS)
  # link name (relative to the prefix) -> target (relative to the link's directory)
  set(HBD_COMPAT_LINKS
      "share/heartbeat/hb_standby|../hbd/hb_standby"
      "share/heartbeat/hb_takeover|../hbd/hb_takeover"
      "bin/cl_status|../sbin/cl_status"
      "lib/heartbeat/drbd-peer-outdater|../../sbin/drbd-peer-outdater")
  foreach(entry ${HBD_COMPAT_LINKS})
    string(REPLACE "|" ";" parts ${entry})
    list(GET parts 0 link)
    list(GET parts 1 target)
    get_filename_component(dir ${link} DIRECTORY)
    get_filename_component(name ${link} NAME)
    file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/packaging/compat/${dir})
    file(CREATE_LINK ${target} ${CMAKE_BINARY_DIR}/packaging/compat/${link} SYMBOLIC)
    install(FILES ${CMAKE_BINARY_DIR}/packaging/compat/${link} DESTINATION ${dir})
  endforeach()
  set(CPACK_DEBIAN_PACKAGE_CONFLICTS "heartbeat")
  set(CPACK_DEBIAN_PACKAGE_REPLACES "heartbeat")
endif()

install(FILES ${CMAKE_SOURCE_DIR}/conf/hbd.service DESTINATION /lib/systemd/system)
install(FILES ${CMAKE_SOURCE_DIR}/conf/ha.cf ${CMAKE_SOURCE_DIR}/conf/haresources
        DESTINATION /etc/ha.d)
install(FILES ${CMAKE_SOURCE_DIR}/conf/authkeys DESTINATION share/doc/hbd/examples)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_SOURCE_DIR}/conf/hbd.yaml
        ${CMAKE_SOURCE_DIR}/packaging/README.Debian
        DESTINATION share/doc/hbd)

# Debian package: `cpack -G DEB` in the build directory.
set(CPACK_PACKAGE_NAME hbd)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "hbd maintainers <hbd@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "high-availability cluster manager compatible with Heartbeat 3")
set(CPACK_PACKAGE_DESCRIPTION
    "hbd reads Heartbeat's /etc/ha.d (ha.cf, haresources, authkeys), speaks its wire protocol
and runs haresources groups, with built-in ipfail and dopd, cl_status and hb_standby.")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "iproute2, iputils-arping | arping, psmisc")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "drbd-utils, resource-agents, prometheus-node-exporter")
configure_file(${CMAKE_SOURCE_DIR}/packaging/conffiles ${CMAKE_BINARY_DIR}/packaging/conffiles
               COPYONLY)
configure_file(${CMAKE_SOURCE_DIR}/packaging/postinst ${CMAKE_BINARY_DIR}/packaging/postinst
               COPYONLY FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
               GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_BINARY_DIR}/packaging/conffiles
                                       ${CMAKE_BINARY_DIR}/packaging/postinst)
# Maintainer scripts 0755, other control files 0644, whatever the source tree's modes.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
set(CPACK_GENERATOR DEB)
include(CPack)
