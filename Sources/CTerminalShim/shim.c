// SwiftPM drops pkg-config's -D flags, so the feature macros are set here, before any header.
#define _GNU_SOURCE 1
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1

#include "shim.h"
#include "crash.h"
#include "shim_internal.h"

#include <ncursesw/curses.h>
#include <ncursesw/term.h>

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

// Process-wide state, kept in C on purpose: signal handlers may only touch plain static data
// (Swift rejects globals written by a signal handler), and ncurses itself is process-global, so
// there is at most one session per process (st_start refuses a second one).
// Everything the quit and resize handlers read is written before they are installed and not
// changed while they are installed. The crash handler (crash.c, installed earlier, for the whole
// process) reads `restore` only while `active`, which st_start sets last.
static struct {
    int active;                 // between st_start and st_stop
    int suspended;              // between st_suspend and st_resume
    int wake_fd;                // write end of the wake-up pipe
    int log_fd;                 // the crash log, kept open to re-point fd 2 after a resume
    int saved_stderr;           // the original fd 2
    int have_termios;
    struct termios termios;     // the terminal as found, restored exactly
    SCREEN *screen;
    int own_winch;              // 1 when ncurses installed no SIGWINCH handler of its own
    char restore[512];          // sgr0, op, cnorm, rmkx, rmcup as captured at start
    size_t restore_len;
    struct sigaction old_quit[3];
    struct sigaction old_cont;      // SIGCONT before st_start
    struct sigaction old_winch;     // before newterm
    struct sigaction ncurses_winch; // what newterm installed
} st = { .wake_fd = -1, .log_fd = -1, .saved_stderr = -1 };

static atomic_int pending_signals;
static atomic_int winch_pending;

static const int quit_signals[3] = { SIGINT, SIGTERM, SIGHUP };

// MARK: - Probing

int st_probe_terminfo(const char *term, int *has_cup, int *colors) {
    *has_cup = 0;
    *colors = 0;
    // setupterm replaces cur_term; put back whatever a running session uses.
    TERMINAL *previous = cur_term;
    int error = 0;
    if (setupterm(term, STDOUT_FILENO, &error) != OK || error != 1) {
        set_curterm(previous);
        return 0;
    }
    char *cup = tigetstr("cup");
    *has_cup = (cup != NULL && cup != (char *)-1) ? 1 : 0;
    int n = tigetnum("colors");
    *colors = n > 0 ? n : 0;
    del_curterm(cur_term);
    set_curterm(previous);
    return 1;
}

int st_apply_locale(const char *ctype_name) {
    setlocale(LC_ALL, "");
    if (ctype_name != NULL && ctype_name[0] != '\0') setlocale(LC_CTYPE, ctype_name);
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && strcmp(codeset, "UTF-8") == 0;
}

int st_isatty(int fd) { return isatty(fd); }

// MARK: - Wake-up pipe

int st_make_pipe(int fds[2]) {
    return pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0 ? 0 : errno;
}

void st_wake(int write_fd) {
    if (write_fd < 0) return;
    int saved = errno;
    char byte = 1;
    ssize_t ignored = write(write_fd, &byte, 1);
    (void)ignored;
    errno = saved;
}

void st_close(int fd) { if (fd >= 0) close(fd); }

const char *st_strerror(int error) { return strerror(error); }

void st_drain(int fd) {
    char buffer[64];
    while (read(fd, buffer, sizeof buffer) > 0) {}
}

// MARK: - Signal handlers

static void on_quit_signal(int sig) {
    int bit = sig == SIGINT ? ST_SIGNAL_INTERRUPT : sig == SIGTERM ? ST_SIGNAL_TERMINATE : ST_SIGNAL_HANGUP;
    atomic_fetch_or(&pending_signals, bit);
    st_wake(st.wake_fd);
}

// The process was continued (fg after a stop): the screen must be repainted.
static void on_continue(int sig) {
    (void)sig;
    int saved = errno;
    atomic_fetch_or(&pending_signals, ST_SIGNAL_CONTINUE);
    st_wake(st.wake_fd);
    errno = saved;
}

static void on_winch(int sig, siginfo_t *info, void *context) {
    int saved = errno;
    // ncurses' handler only sets its own flag; calling it keeps KEY_RESIZE working, and the wake
    // byte closes the race where the signal lands just before poll(2) starts waiting.
    if (st.ncurses_winch.sa_flags & SA_SIGINFO) {
        if (st.ncurses_winch.sa_sigaction != NULL) st.ncurses_winch.sa_sigaction(sig, info, context);
    } else if (st.ncurses_winch.sa_handler != SIG_DFL && st.ncurses_winch.sa_handler != SIG_IGN) {
        st.ncurses_winch.sa_handler(sig);
    }
    atomic_store(&winch_pending, 1);
    st_wake(st.wake_fd);
    errno = saved;
}

// Called from crash.c's handler: only write(2) of bytes prepared before the session went active.
void st_internal_restore_screen(void) {
    if (st.active && !st.suspended) st_internal_write_all(STDOUT_FILENO, st.restore, st.restore_len);
}

int st_internal_terminal_stderr(void) { return st.active ? st.saved_stderr : -1; }

static void install_quit_handlers(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_quit_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;   // other threads' reads should not fail with EINTR
    for (int i = 0; i < 3; i++) sigaction(quit_signals[i], &action, &st.old_quit[i]);
}

static void restore_quit_handlers(void) {
    for (int i = 0; i < 3; i++) sigaction(quit_signals[i], &st.old_quit[i], NULL);
    sigaction(SIGCONT, &st.old_cont, NULL);
}

static void install_continue_handler(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_continue;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGCONT, &action, &st.old_cont);
}

static void install_winch_chain(void) {
    sigaction(SIGWINCH, NULL, &st.ncurses_winch);
    st.own_winch = !(st.ncurses_winch.sa_flags & SA_SIGINFO)
        && (st.ncurses_winch.sa_handler == SIG_DFL || st.ncurses_winch.sa_handler == SIG_IGN);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_winch;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGWINCH, &action, NULL);
}

// MARK: - Session

// Appends a terminfo string without its "$<n>" padding, which only tputs understands.
static void append_capability(const char *name) {
    char *value = tigetstr(name);
    if (value == NULL || value == (char *)-1) return;
    for (const char *p = value; *p != '\0' && st.restore_len < sizeof st.restore - 1; p++) {
        if (p[0] == '$' && p[1] == '<') {
            const char *end = strchr(p, '>');
            if (end != NULL) { p = end; continue; }
        }
        st.restore[st.restore_len++] = *p;
    }
}

static void prepare_crash_restore(void) {
    st.restore_len = 0;
    append_capability("sgr0");
    append_capability("op");
    append_capability("cnorm");
    append_capability("rmkx");
    append_capability("rmcup");
    if (st.restore_len + 2 < sizeof st.restore) {
        st.restore[st.restore_len++] = '\r';
        st.restore[st.restore_len++] = '\n';
    }
}

int st_start(int wake_write_fd, const char *crash_log_path, int want_colors,
             int *error_out, int *colors_out, int *default_colors_out) {
    *error_out = 0;
    *colors_out = 0;
    *default_colors_out = 0;
    if (st.active) return ST_START_ALREADY_ACTIVE;

    int log_fd = open(crash_log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (log_fd < 0) { *error_out = errno; return ST_START_CRASH_LOG; }

    st.wake_fd = wake_write_fd;
    st.have_termios = tcgetattr(STDIN_FILENO, &st.termios) == 0;
    atomic_store(&pending_signals, 0);
    // Before newterm: ncurses only installs its own SIGINT/SIGTERM handlers (which exit without
    // the app's cleanup) where the disposition is still the default.
    install_quit_handlers();
    install_continue_handler();
    sigaction(SIGWINCH, NULL, &st.old_winch);

    fflush(stdout);
    SCREEN *screen = newterm(NULL, stdout, stdin);
    if (screen == NULL) {
        restore_quit_handlers();
        close(log_fd);
        st.wake_fd = -1;
        return ST_START_NEWTERM;
    }
    st.screen = screen;
    set_term(screen);
    // raw, not cbreak: Ctrl-C reaches the app as a byte (so it can quit cleanly) and Ctrl-S/Ctrl-Q
    // are keys rather than flow control.
    raw();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    leaveok(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    if (want_colors > 0 && has_colors() && start_color() == OK) {
        *default_colors_out = use_default_colors() == OK;
        *colors_out = COLORS < want_colors ? COLORS : want_colors;
    }

    prepare_crash_restore();
    // Normally installed first thing in main, for every mode; a session started without it gets it here.
    st_crash_install(crash_log_path);
    install_winch_chain();

    // From here a Swift fatalError message lands in the log instead of on the alternate screen.
    fflush(stderr);
    st.saved_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    if (st.saved_stderr >= 0) dup2(log_fd, STDERR_FILENO);
    st.log_fd = log_fd;
    st.active = 1;
    st.suspended = 0;
    return ST_START_OK;
}

static void point_stderr_at_terminal(void) {
    fflush(stderr);
    if (st.saved_stderr >= 0) dup2(st.saved_stderr, STDERR_FILENO);
}

void st_stop(void) {
    if (!st.active) return;
    if (!st.suspended) {
        curs_set(1);
        endwin();
    }
    delscreen(st.screen);
    st.screen = NULL;
    if (st.have_termios) tcsetattr(STDIN_FILENO, TCSANOW, &st.termios);
    // Keep ncurses' SIGWINCH handler (it installs it only once per process), minus the chain.
    sigaction(SIGWINCH, st.own_winch ? &st.old_winch : &st.ncurses_winch, NULL);
    restore_quit_handlers();
    point_stderr_at_terminal();
    st_close(st.saved_stderr);
    st_close(st.log_fd);
    st.saved_stderr = -1;
    st.log_fd = -1;
    st.wake_fd = -1;
    st.active = 0;
    st.suspended = 0;
}

void st_suspend(void) {
    if (!st.active || st.suspended) return;
    curs_set(1);
    endwin();
    point_stderr_at_terminal();
    st.suspended = 1;
}

void st_resume(void) {
    if (!st.active || !st.suspended) return;
    fflush(stderr);
    if (st.saved_stderr >= 0 && st.log_fd >= 0) dup2(st.log_fd, STDERR_FILENO);
    st.suspended = 0;
    // A refresh after endwin puts the terminal back in program mode; clearok repaints everything.
    clearok(curscr, TRUE);
    wrefresh(stdscr);
    curs_set(0);
}

int st_job_stop(void) {
    if (!st.active || st.suspended) return -1;
    st_suspend();
    // endwin put back the mode found at newterm; the exact termios found at start goes back too.
    if (st.have_termios) tcsetattr(STDIN_FILENO, TCSADRAIN, &st.termios);
    fflush(stdout);
    // The default action (stop), not ncurses' own handler, which would take the terminal back itself.
    struct sigaction stop, previous;
    memset(&stop, 0, sizeof stop);
    stop.sa_handler = SIG_DFL;
    sigemptyset(&stop.sa_mask);
    sigaction(SIGTSTP, &stop, &previous);
    sigset_t tstp, mask;
    sigemptyset(&tstp);
    sigaddset(&tstp, SIGTSTP);
    pthread_sigmask(SIG_UNBLOCK, &tstp, &mask);
    // Stops every thread here until SIGCONT (fg). In a process group without job control (orphaned)
    // the kernel discards it and this returns at once: the dashboard simply comes back.
    kill(getpid(), SIGTSTP);
    pthread_sigmask(SIG_SETMASK, &mask, NULL);
    sigaction(SIGTSTP, &previous, NULL);
    st_resume();
    return 0;
}

int st_is_active(void) { return st.active && !st.suspended; }

int st_lines(void) { return st.active ? getmaxy(stdscr) : 0; }
int st_cols(void) { return st.active ? getmaxx(stdscr) : 0; }

// MARK: - Drawing

int st_max_pairs(void) { return st.active ? COLOR_PAIRS : 0; }

int st_init_pair(int pair, int fg, int bg) {
    return init_extended_pair(pair, fg, bg) == OK ? 0 : -1;
}

int st_wcwidth(uint32_t scalar) { return wcwidth((wchar_t)scalar); }

int st_put(int y, int x, const uint32_t *scalars, int count, unsigned attrs, int pair) {
    if (!st.active || count <= 0) return -1;
    wchar_t text[CCHARW_MAX + 1];
    int n = count < CCHARW_MAX ? count : CCHARW_MAX;
    for (int i = 0; i < n; i++) text[i] = (wchar_t)scalars[i];
    text[n] = L'\0';
    attr_t attributes = A_NORMAL;
    if (attrs & ST_ATTR_BOLD) attributes |= A_BOLD;
    if (attrs & ST_ATTR_UNDERLINE) attributes |= A_UNDERLINE;
    if (attrs & ST_ATTR_REVERSE) attributes |= A_REVERSE;
    if (attrs & ST_ATTR_DIM) attributes |= A_DIM;
    cchar_t cell;
    // The int behind `opts` carries pairs beyond what a short can hold.
    if (setcchar(&cell, text, attributes, (short)(pair <= 0x7fff ? pair : 0), &pair) != OK) return -1;
    // At the bottom-right corner this returns ERR (the cursor cannot advance) after placing the
    // character, which is what we want.
    return mvwadd_wch(stdscr, y, x, &cell) == OK ? 0 : -1;
}

void st_erase(int hard) {
    if (!st.active) return;
    werase(stdscr);
    if (hard) clearok(curscr, TRUE);
}

void st_flush(void) {
    if (!st.active || st.suspended) return;
    wnoutrefresh(stdscr);
    doupdate();
}

// MARK: - Input

int st_poll(int wake_read_fd, int watch_stdin, int timeout_ms) {
    struct pollfd fds[2] = {
        { .fd = wake_read_fd, .events = POLLIN },
        { .fd = STDIN_FILENO, .events = POLLIN },
    };
    if (poll(fds, watch_stdin ? 2 : 1, timeout_ms) <= 0) return 0;
    int ready = 0;
    if (fds[0].revents & POLLIN) ready |= ST_READY_WAKE;
    if (watch_stdin) {
        if (fds[1].revents & POLLIN) ready |= ST_READY_INPUT;
        else if (fds[1].revents & (POLLHUP | POLLERR | POLLNVAL)) ready |= ST_READY_HANGUP;
    }
    return ready;
}

int st_take_signals(void) { return atomic_exchange(&pending_signals, 0); }

int st_read_input(uint32_t *value) {
    *value = 0;
    if (!st.active || st.suspended) return ST_INPUT_NONE;
    if (atomic_exchange(&winch_pending, 0) && st.own_winch) {
        // Nobody told ncurses about the resize; resizeterm queues KEY_RESIZE itself.
        struct winsize size;
        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_row > 0 && size.ws_col > 0)
            resizeterm(size.ws_row, size.ws_col);
    }
    wint_t ch = 0;
    int rc = wget_wch(stdscr, &ch);
    if (rc == ERR) return ST_INPUT_NONE;
    if (rc != KEY_CODE_YES) { *value = (uint32_t)ch; return ST_INPUT_CHARACTER; }
    if (ch >= KEY_F(1) && ch <= KEY_F(12)) { *value = (uint32_t)(ch - KEY_F0); return ST_INPUT_FUNCTION; }
    switch (ch) {
    case KEY_RESIZE: return ST_INPUT_RESIZE;
    case KEY_UP: *value = ST_KEY_UP; break;
    case KEY_DOWN: *value = ST_KEY_DOWN; break;
    case KEY_LEFT: *value = ST_KEY_LEFT; break;
    case KEY_RIGHT: *value = ST_KEY_RIGHT; break;
    case KEY_HOME: case KEY_FIND: *value = ST_KEY_HOME; break;      // vt220 keypads send find/select
    case KEY_END: case KEY_SELECT: *value = ST_KEY_END; break;
    case KEY_PPAGE: *value = ST_KEY_PAGE_UP; break;
    case KEY_NPAGE: *value = ST_KEY_PAGE_DOWN; break;
    case KEY_DC: *value = ST_KEY_DELETE; break;
    case KEY_BACKSPACE: *value = ST_KEY_BACKSPACE; break;
    case KEY_BTAB: *value = ST_KEY_BACK_TAB; break;
    case KEY_ENTER: *value = ST_KEY_ENTER; break;
    default: *value = ST_KEY_OTHER; break;
    }
    return ST_INPUT_KEY;
}
