// Process-wide crash reporting: installed once, first thing in main, for every mode (dashboard,
// shell commands, consoles). See crash.h and DECISIONS.md ("A crash is one line and a log").
#define _GNU_SOURCE 1

#include "crash.h"
#include "shim_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

// Written once by st_crash_install before the handlers are installed, read-only afterwards (a
// second install only returns), so the handler reads plain static data, as it must.
static struct {
    int installed;
    char log_path[4096];
    int have_termios;
    struct termios termios;          // the terminal as found at start, restored exactly on a crash
    struct sigaction previous[6];    // Swift's backtracer, normally
} crash;

static volatile sig_atomic_t crash_in_progress;
static char alternate_stack[64 * 1024];

// Swift's fatalError/precondition trap with SIGILL (x86_64 ud2) or SIGTRAP (arm64 brk).
static const int crash_signals[6] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP };
static const char *const crash_signal_names[6] = { "SIGSEGV", "SIGBUS", "SIGILL", "SIGFPE", "SIGABRT", "SIGTRAP" };

int st_configure_backtracer(char *const argv[], const char *settings) {
    if (getenv("SWIFT_BACKTRACE") != NULL) return 0;       // the user's own choice wins
    // The runtime's defaults turn interaction and colour on only when stdout is a terminal; without
    // one they already are what we want (and the crash handler points stdout at the log too), so
    // scripts and pipes do not pay for the second exec (about 12 ms).
    if (!isatty(STDOUT_FILENO)) return 0;
    // The resolved path, not /proc/self/exe itself: the kernel names the process after the file
    // executed, and `ps`, `pgrep stacktop` and `top` should keep showing "stacktop", not "exe".
    char path[4096];
    ssize_t length = readlink("/proc/self/exe", path, sizeof path - 1);
    if (length <= 0 || (size_t)length >= sizeof path - 1) return length < 0 ? errno : ENAMETOOLONG;
    path[length] = '\0';
    if (setenv("SWIFT_BACKTRACE", settings, 1) != 0) return errno;
    execv(path, argv);
    int error = errno;
    unsetenv("SWIFT_BACKTRACE");                            // not applied; do not pretend to children
    return error;
}

// MARK: - Async-signal-safe text

void st_internal_write_all(int fd, const char *bytes, size_t length) {
    while (length > 0) {
        ssize_t n = write(fd, bytes, length);
        if (n < 0) { if (errno == EINTR) continue; return; }
        bytes += n;
        length -= (size_t)n;
    }
}

static void write_text(int fd, const char *text) { st_internal_write_all(fd, text, strlen(text)); }

static void write_number(int fd, long long value) {
    char digits[24];
    size_t n = 0;
    unsigned long long v = value < 0 ? 0ull : (unsigned long long)value;
    do { digits[sizeof digits - 1 - n++] = (char)('0' + v % 10); v /= 10; } while (v > 0 && n < sizeof digits);
    st_internal_write_all(fd, digits + sizeof digits - n, n);
}

static const char *signal_name(int sig) {
    for (int i = 0; i < 6; i++) if (crash_signals[i] == sig) return crash_signal_names[i];
    return "signal";
}

// MARK: - The handler

// Only async-signal-safe calls: write, open, dup, dup2, tcsetattr, time, sigaction, raise, plus the
// previous handler, which was written to run in a signal handler.
static void on_crash_signal(int sig, siginfo_t *info, void *context) {
    int terminal_fd = -1;
    int logged = 0;
    if (!crash_in_progress) {
        crash_in_progress = 1;
        // 1. The terminal first, at once: leave the alternate screen, then the exact termios.
        st_internal_restore_screen();
        if (crash.have_termios) tcsetattr(STDIN_FILENO, TCSANOW, &crash.termios);
        // 2. Everything the runtime writes from now on (its "Backtracing..." line and the
        //    backtrace itself, on stderr or stdout) goes to the crash log.
        terminal_fd = st_internal_terminal_stderr();
        if (terminal_fd < 0) terminal_fd = dup(STDERR_FILENO);
        int log_fd = open(crash.log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (log_fd >= 0) {
            write_text(log_fd, "\n=== stacktop crashed: ");
            write_text(log_fd, signal_name(sig));
            write_text(log_fd, " (signal ");
            write_number(log_fd, sig);
            write_text(log_fd, "), pid ");
            write_number(log_fd, (long long)getpid());
            write_text(log_fd, ", unix time ");
            write_number(log_fd, (long long)time(NULL));
            write_text(log_fd, " ===\n");
            // stdout too: where the runtime's defaults send the backtrace when it was not re-executed.
            dup2(log_fd, STDOUT_FILENO);
            if (log_fd != STDERR_FILENO) { dup2(log_fd, STDERR_FILENO); close(log_fd); }
            logged = 1;
        }
    }
    // 3. Swift's backtracer, called directly with the original fault context.
    for (int i = 0; i < 6; i++) {
        if (crash_signals[i] != sig) continue;
        struct sigaction *old = &crash.previous[i];
        if (old->sa_flags & SA_SIGINFO) {
            if (old->sa_sigaction != NULL) old->sa_sigaction(sig, info, context);
        } else if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
            old->sa_handler(sig);
        }
        break;
    }
    // 4. One line where the user looks.
    if (terminal_fd >= 0) {
        write_text(terminal_fd, "stacktop crashed (");
        write_text(terminal_fd, signal_name(sig));
        if (logged) {
            write_text(terminal_fd, "); the backtrace is in ");
            write_text(terminal_fd, crash.log_path);
            write_text(terminal_fd, "\n");
        } else {
            write_text(terminal_fd, "); the crash log ");
            write_text(terminal_fd, crash.log_path);
            write_text(terminal_fd, " could not be opened, so there is no backtrace\n");
        }
    }
    // 5. Whatever that handler did, a crash ends the process: the backtracer returns after a signal
    //    sent with kill(1), which would otherwise carry on. The signal is blocked while this handler
    //    runs, so the default action happens on return.
    struct sigaction default_action;
    memset(&default_action, 0, sizeof default_action);
    default_action.sa_handler = SIG_DFL;
    sigemptyset(&default_action.sa_mask);
    sigaction(sig, &default_action, NULL);
    raise(sig);
}

// SIGQUIT (Ctrl-\\) means "stop" to an operator, not "draw a backtrace over the screen and carry on"
// (what Swift's runtime does with it): it becomes SIGTERM, so the dashboard quits cleanly through its
// own SIGTERM handler and a shell command ends as SIGTERM ends it.
static void on_quit_signal_as_terminate(int sig) {
    (void)sig;
    raise(SIGTERM);
}

int st_crash_install(const char *log_path) {
    if (crash.installed) return 0;
    size_t length = strlen(log_path);
    if (length == 0 || length >= sizeof crash.log_path) return ENAMETOOLONG;
    memcpy(crash.log_path, log_path, length + 1);
    crash.have_termios = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &crash.termios) == 0;
    // A stack overflow can only be reported from another stack; keep one the runtime installed.
    stack_t current;
    if (sigaltstack(NULL, &current) == 0 && (current.ss_flags & SS_DISABLE)) {
        stack_t stack = { .ss_sp = alternate_stack, .ss_size = sizeof alternate_stack, .ss_flags = 0 };
        sigaltstack(&stack, NULL);
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_crash_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    for (int i = 0; i < 6; i++) sigaction(crash_signals[i], &action, &crash.previous[i]);
    struct sigaction quit;
    memset(&quit, 0, sizeof quit);
    quit.sa_handler = on_quit_signal_as_terminate;
    sigemptyset(&quit.sa_mask);
    quit.sa_flags = SA_RESTART;
    sigaction(SIGQUIT, &quit, NULL);
    crash.installed = 1;
    return 0;
}

int st_crash_installed(void) { return crash.installed; }
