#ifndef STACKTOP_SHIM_INTERNAL_H
#define STACKTOP_SHIM_INTERNAL_H

#include <stddef.h>

// Between shim.c (the curses session) and crash.c (the crash handler); both async-signal-safe.

/// Writes the saved sgr0/op/cnorm/rmkx/rmcup bytes when a curses session is on screen.
void st_internal_restore_screen(void);
/// The terminal's stderr while a session points fd 2 at the crash log; -1 otherwise.
int st_internal_terminal_stderr(void);
/// Writes all of `bytes` to `fd`, again after EINTR; gives up silently on any other error.
void st_internal_write_all(int fd, const char *bytes, size_t length);

#endif
