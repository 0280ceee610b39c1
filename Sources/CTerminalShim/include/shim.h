#ifndef STACKTOP_TERMINAL_SHIM_H
#define STACKTOP_TERMINAL_SHIM_H

// The only C the terminal layer needs. The interface uses plain C types on purpose: Swift never
// sees ncurses itself, so none of its shared globals (stdscr, LINES, COLS, cur_term) or
// unimportable macros (COLOR_PAIR, A_*, getmaxyx) leak into Swift code.

#include <stdint.h>

#include "crash.h"

// MARK: - Probing (before going full screen; touches no terminal state)

/// Looks `term` up in terminfo. Returns 1 when an entry exists, then `has_cup` is 1 when it can
/// move the cursor and `colors` is its `colors` number (0 when absent).
int st_probe_terminfo(const char *term, int *has_cup, int *colors);

/// setlocale(LC_ALL, ""), then LC_CTYPE set to `ctype_name` so the process agrees with the
/// environment the caller decided from. Returns 1 when the resulting codeset is UTF-8.
int st_apply_locale(const char *ctype_name);

int st_isatty(int fd);

// MARK: - Wake-up pipe

/// Creates a non-blocking, close-on-exec pipe. Returns 0, or the errno.
int st_make_pipe(int fds[2]);
/// Writes one byte; async-signal-safe, never blocks (a full pipe already means "wake up").
void st_wake(int write_fd);
void st_close(int fd);
const char *st_strerror(int error);

// MARK: - Session

enum {
    ST_START_OK = 0,
    ST_START_ALREADY_ACTIVE = 1,
    ST_START_CRASH_LOG = 2,   // *error_out holds the errno
    ST_START_NEWTERM = 3,
};

/// Takes the terminal: signal handlers, newterm, raw mode, crash restore, fd 2 to the crash log.
/// `want_colors` is the capability decided by the caller; `*colors_out` is what is usable.
int st_start(int wake_write_fd, const char *crash_log_path, int want_colors,
             int *error_out, int *colors_out, int *default_colors_out);
/// Gives the terminal back exactly as found. Safe to call when not started.
void st_stop(void);
void st_suspend(void);
void st_resume(void);
/// Ctrl-Z: gives the terminal back as found (st_suspend, then the termios from start), stops the process
/// with SIGTSTP's default action and, once continued (fg), takes the terminal again. Returns 0, or -1
/// when no session is active.
int st_job_stop(void);
int st_is_active(void);

int st_lines(void);
int st_cols(void);

// MARK: - Drawing

enum { ST_ATTR_BOLD = 1, ST_ATTR_UNDERLINE = 2, ST_ATTR_REVERSE = 4, ST_ATTR_DIM = 8 };

int st_max_pairs(void);
/// Defines colour pair `pair` (1...) as fg on bg (-1 = terminal default). Returns 0 on success.
int st_init_pair(int pair, int fg, int bg);
/// Columns `scalar` takes in the current locale (-1 when it cannot be shown).
int st_wcwidth(uint32_t scalar);
/// Puts one character (a spacing scalar followed by up to 4 combining ones) at (y, x).
int st_put(int y, int x, const uint32_t *scalars, int count, unsigned attrs, int pair);
/// Blanks the whole virtual screen; with `hard`, the next flush clears and repaints the terminal.
void st_erase(int hard);
/// Sends the frame: wnoutrefresh + doupdate.
void st_flush(void);

// MARK: - Input

enum { ST_READY_INPUT = 1, ST_READY_WAKE = 2, ST_READY_HANGUP = 4 };
/// poll(2) on `wake_read_fd` and, when `watch_stdin`, on stdin. Returns ST_READY_* bits (0 on
/// timeout or EINTR); ST_READY_HANGUP means stdin is gone (the terminal was closed).
int st_poll(int wake_read_fd, int watch_stdin, int timeout_ms);
/// Empties the wake pipe.
void st_drain(int fd);

enum { ST_SIGNAL_INTERRUPT = 1, ST_SIGNAL_TERMINATE = 2, ST_SIGNAL_HANGUP = 4, ST_SIGNAL_CONTINUE = 8 };
/// The quit signals (and SIGCONT: repaint) received since the last call, as ST_SIGNAL_* bits; clears them.
int st_take_signals(void);

enum {
    ST_INPUT_NONE = 0,
    ST_INPUT_CHARACTER = 1,   // value: a Unicode scalar, control characters included
    ST_INPUT_KEY = 2,         // value: ST_KEY_*
    ST_INPUT_FUNCTION = 3,    // value: 1...12
    ST_INPUT_RESIZE = 4,
};
enum {
    ST_KEY_UP = 1, ST_KEY_DOWN, ST_KEY_LEFT, ST_KEY_RIGHT, ST_KEY_HOME, ST_KEY_END,
    ST_KEY_PAGE_UP, ST_KEY_PAGE_DOWN, ST_KEY_DELETE, ST_KEY_BACKSPACE, ST_KEY_BACK_TAB,
    ST_KEY_ENTER, ST_KEY_OTHER,
};
/// One decoded get_wch result without waiting (nodelay). Returns the ST_INPUT_* kind.
int st_read_input(uint32_t *value);

#endif
