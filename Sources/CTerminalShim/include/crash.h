#ifndef STACKTOP_CRASH_H
#define STACKTOP_CRASH_H

// Crash reporting for the whole process (every mode, not only the dashboard).

/// Swift's backtracer reads SWIFT_BACKTRACE once, when the runtime loads, and decides then whether
/// to be interactive (it waits up to 30 s for a key when stdin and stdout are terminals) and
/// coloured. So the settings are chosen by re-executing the binary once with `settings` set, when
/// stdout is a terminal (without one the defaults are already non-interactive and colourless) and
/// unless the user set SWIFT_BACKTRACE themselves. Returns 0 when nothing was to be done, or the
/// errno of a failed exec (the process then carries on with the runtime's defaults). On success
/// it does not return.
int st_configure_backtracer(char *const argv[], const char *settings);

/// Installs handlers for SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT and SIGTRAP that, on a crash:
/// restore the terminal (leave a curses screen, put back the termios found at install), point fds 1
/// and 2 at `log_path` (0600, appended, a header line per crash), let the previous handler (Swift's
/// backtracer) write the backtrace there, print one line naming the log on the original stderr,
/// and end the process with the signal. SIGQUIT is turned into SIGTERM. Call once, early; later calls
/// do nothing. Returns 0 or an errno.
int st_crash_install(const char *log_path);
int st_crash_installed(void);

#endif
