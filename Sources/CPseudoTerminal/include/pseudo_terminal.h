#ifndef STACKTOP_PSEUDO_TERMINAL_H
#define STACKTOP_PSEUDO_TERMINAL_H

#include <stddef.h>
#include <sys/types.h>

/// Opens a pseudo-terminal master (close-on-exec, non-blocking, not our controlling terminal), sets its window to
/// rows x cols and writes the slave's path into `slave_path`. Returns the master's descriptor, or -1
/// with errno set.
int pt_open(unsigned short rows, unsigned short cols, char *slave_path, size_t slave_path_size);

/// Starts `path` with `argv` and `envp` in a new session (setsid) whose controlling terminal is the
/// slave at `slave_path`, which becomes its stdin, stdout and stderr. Signals start unblocked and at
/// their defaults; no other descriptor of ours reaches it. Returns 0 and sets `*pid`, or an errno value.
int pt_spawn(const char *path, char *const argv[], char *const envp[], const char *slave_path, pid_t *pid);

/// Starts `file` (looked up in PATH) with `argv` and `envp`, stdin from /dev/null and stdout and stderr
/// into `output_fd`; signals as for `pt_spawn`, and no other descriptor of ours reaches it. Returns 0 and
/// sets `*pid`, or an errno value.
int pt_spawn_piped(const char *file, char *const argv[], char *const envp[], int output_fd, pid_t *pid);

#endif
