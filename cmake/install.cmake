# Installing ThreadLab like a desktop application: the generated man page, the desktop entry, icon, AppStream
# metadata, bash completion and Debian docs (the executables' rules are in app/CMakeLists.txt), then CPack.
# Included from the top CMakeLists.txt after app/, so the man page can run the threadlab it documents.

# The man page: everything in it is printed by the threadlab just built (help, help COMMAND, list ...).
find_package(Python3 3.9 REQUIRED COMPONENTS Interpreter)
set(threadlab_man ${CMAKE_BINARY_DIR}/man/threadlab.1)
add_custom_command(OUTPUT ${threadlab_man} ${threadlab_man}.gz
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/gen-manpage.py --binary $<TARGET_FILE:threadlab>
        --date ${THREADLAB_RELEASE_DATE} --host ${CMAKE_INSTALL_FULL_LIBEXECDIR}/threadlab/threadlab-worker
        --output ${threadlab_man}
    # -n: no name or time stamp inside, so the same page gives the same bytes (lintian checks it).
    COMMAND gzip -9nkf ${threadlab_man}
    DEPENDS threadlab threadlab-worker ${CMAKE_SOURCE_DIR}/scripts/gen-manpage.py
    COMMENT "Generating threadlab.1 from the built threadlab's help texts"
    VERBATIM)
add_custom_target(threadlab_manpage ALL DEPENDS ${threadlab_man}.gz)

set(desktop ${CMAKE_SOURCE_DIR}/resources/desktop)
set(THREADLAB_APP_ID org.threadlab.ThreadLab)
configure_file(${desktop}/${THREADLAB_APP_ID}.metainfo.xml.in ${CMAKE_BINARY_DIR}/${THREADLAB_APP_ID}.metainfo.xml
    @ONLY)
execute_process(COMMAND date -u -R -d ${THREADLAB_RELEASE_DATE} OUTPUT_VARIABLE THREADLAB_RELEASE_DATE_RFC2822
    OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
configure_file(${CMAKE_SOURCE_DIR}/resources/debian/changelog.in ${CMAKE_BINARY_DIR}/debian/changelog @ONLY)
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/debian/changelog.gz
    COMMAND gzip -9nkf ${CMAKE_BINARY_DIR}/debian/changelog
    DEPENDS ${CMAKE_BINARY_DIR}/debian/changelog
    VERBATIM)
add_custom_target(threadlab_changelog ALL DEPENDS ${CMAKE_BINARY_DIR}/debian/changelog.gz)

install(FILES ${threadlab_man}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${desktop}/${THREADLAB_APP_ID}.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${desktop}/${THREADLAB_APP_ID}.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
install(FILES ${CMAKE_BINARY_DIR}/${THREADLAB_APP_ID}.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES ${CMAKE_SOURCE_DIR}/resources/completion/threadlab.bash
    DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME threadlab)
install(FILES ${CMAKE_SOURCE_DIR}/resources/debian/copyright ${CMAKE_BINARY_DIR}/debian/changelog.gz
    DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/threadlab) # the package name, not the project name

# `cpack -G DEB` in the build directory: one threadlab_<version>_<arch>.deb for /usr.
set(CPACK_PACKAGE_NAME threadlab)
set(CPACK_PACKAGE_VENDOR "ThreadLab maintainers")
set(CPACK_PACKAGE_CONTACT "${THREADLAB_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "laboratory for stopping threads and processes")
# The long description, in lines under 80 columns (CPack puts the summary above it, and does not wrap).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "ThreadLab starts workers on several backends (threads, event loops, Qt
Concurrent, std::jthread and separate processes), gives them workloads that
behave like real code and stops them by asking, by killing or by both. It
measures every stop latency and reports leaked locks, files, threads and
processes, in a desktop timeline or on a headless command line, with lessons
and a stop-method matrix.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
    WORLD_READ WORLD_EXECUTE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${THREADLAB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${THREADLAB_HOMEPAGE_URL}")
# Library dependencies are computed by dpkg-shlibdeps and appended; python3 runs the coming Python backends.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "python3")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "qt6-wayland")
include(CPack)

# The bench's spawn reference is a static program on purpose (exec without the dynamic loader): lintian is told so.
install(FILES ${CMAKE_SOURCE_DIR}/resources/debian/lintian-overrides
    DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME threadlab)
