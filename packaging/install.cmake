# Where `cmake --install` and `cpack -G DEB` put hbd (Debian layout, ecosystem.md §7): programs in
# /usr/sbin, resource scripts in <prefix>/lib/hbd/resource.d (HBD_INSTALLED_RESOURCE_DIR), the
# unit in /lib/systemd/system, sample configuration in /etc/ha.d (conffiles: never overwritten
# silently), hb_standby/hb_takeover in <prefix>/share/hbd with links in /usr/sbin. Nothing is
# installed where Debian's heartbeat package has files (/usr/lib/heartbeat, /usr/libexec/heartbeat,
# /usr/share/heartbeat, /usr/bin/cl_status), so both packages can be installed during a migration.
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

install(FILES ${CMAKE_SOURCE_DIR}/conf/hbd.service DESTINATION /lib/systemd/system)
install(FILES ${CMAKE_SOURCE_DIR}/conf/ha.cf ${CMAKE_SOURCE_DIR}/conf/haresources
        DESTINATION /etc/ha.d)
install(FILES ${CMAKE_SOURCE_DIR}/conf/authkeys DESTINATION /etc/ha.d
        PERMISSIONS OWNER_READ OWNER_WRITE)
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
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_BINARY_DIR}/packaging/conffiles)
set(CPACK_GENERATOR DEB)
include(CPack)
