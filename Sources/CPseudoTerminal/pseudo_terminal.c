// posix_openpt, grantpt, unlockpt, ptsname_r, POSIX_SPAWN_SETSID and posix_spawn_file_actions_addclosefrom_np
// sit behind feature macros that Swift's Glibc module does not set (and the ioctl numbers behind them are C
// macros), so the pseudo-terminal that `stacktop bench` drives the dashboard through, and the bench's other
// children, are started here.
#define _GNU_SOURCE 1

#include "pseudo_terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

int pt_open(unsigned short rows, unsigned short cols, char *slave_path, size_t slave_path_size) {
    // Non-blocking: the bench polls before it reads, and a child that stops reading must not stop
    // the bench's writes (a full input queue is an error to report, not a wait).
    int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
    if (master < 0) return -1;
    struct winsize size = { .ws_row = rows, .ws_col = cols };
    if (grantpt(master) != 0 || unlockpt(master) != 0 || ptsname_r(master, slave_path, slave_path_size) != 0
        || ioctl(master, TIOCSWINSZ, &size) != 0) {
        int saved = errno;
        close(master);
        errno = saved;
        return -1;
    }
    return master;
}

// Children start with no signal blocked and every signal at its default: Swift's worker threads block
// nearly all of them, and a child inheriting that mask would never see SIGTERM or SIGWINCH.
// On failure nothing is left to destroy.
static int prepare(posix_spawn_file_actions_t *actions, posix_spawnattr_t *attributes, short flags) {
    int error = posix_spawn_file_actions_init(actions);
    if (error != 0) return error;
    error = posix_spawnattr_init(attributes);
    if (error != 0) {
        posix_spawn_file_actions_destroy(actions);
        return error;
    }
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    error = posix_spawnattr_setsigmask(attributes, &none);
    if (!error) error = posix_spawnattr_setsigdefault(attributes, &all);
    if (!error) error = posix_spawnattr_setflags(attributes, flags | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    if (error != 0) {
        posix_spawnattr_destroy(attributes);
        posix_spawn_file_actions_destroy(actions);
    }
    return error;
}

// Closes every descriptor above stderr in the child, spawns, and destroys what `prepare` made.
static int finish(posix_spawn_file_actions_t *actions, posix_spawnattr_t *attributes, int error, int search_path,
                  pid_t *pid, const char *path, char *const argv[], char *const envp[]) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    if (!error) error = posix_spawn_file_actions_addclosefrom_np(actions, 3);
#endif
    if (!error) {
        error = search_path ? posix_spawnp(pid, path, actions, attributes, argv, envp)
                            : posix_spawn(pid, path, actions, attributes, argv, envp);
    }
    posix_spawnattr_destroy(attributes);
    posix_spawn_file_actions_destroy(actions);
    return error;
}

int pt_spawn(const char *path, char *const argv[], char *const envp[], const char *slave_path, pid_t *pid) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    // glibc runs setsid before the file actions, so opening the slave (without O_NOCTTY) in the new
    // session makes it the child's controlling terminal, as a terminal emulator's shell has it.
    int error = prepare(&actions, &attributes, POSIX_SPAWN_SETSID);
    if (error != 0) return error;
    error = posix_spawn_file_actions_addopen(&actions, 0, slave_path, O_RDWR, 0);
    if (!error) error = posix_spawn_file_actions_adddup2(&actions, 0, 1);
    if (!error) error = posix_spawn_file_actions_adddup2(&actions, 0, 2);
    return finish(&actions, &attributes, error, 0, pid, path, argv, envp);
}

int pt_spawn_piped(const char *file, char *const argv[], char *const envp[], int output_fd, pid_t *pid) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    int error = prepare(&actions, &attributes, 0);
    if (error != 0) return error;
    error = posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    if (!error) error = posix_spawn_file_actions_adddup2(&actions, output_fd, 1);
    if (!error) error = posix_spawn_file_actions_adddup2(&actions, output_fd, 2);
    return finish(&actions, &attributes, error, 1, pid, file, argv, envp);
}
