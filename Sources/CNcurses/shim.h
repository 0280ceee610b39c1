// SwiftPM drops pkg-config's -D flags, so the wide-character API must be switched on here,
// before the header, or get_wch and cchar_t are missing.
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <ncursesw/curses.h>
#include <ncursesw/term.h>
