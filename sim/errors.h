/* sim/errors.h - error codes shared by the whole project.
 *
 * Functions that can fail return 0 (or a non-negative count) on success and a
 * negative SIM_E* code on failure, in the style of libuv. sim_strerror() turns
 * a code into a short sentence. Detailed, located messages (file, line, JSON
 * path) are built by the layer that knows the location, not here.
 */
#ifndef SIM_ERRORS_H
#define SIM_ERRORS_H

enum {
    SIM_OK = 0,
    SIM_ENOMEM = -1,   /* out of memory */
    SIM_EINVAL = -2,   /* invalid argument or parameter */
    SIM_ERANGE = -3,   /* value out of the accepted range */
    SIM_ENOENT = -4,   /* file or named thing not found */
    SIM_EIO = -5,      /* read or write failed */
    SIM_EPARSE = -6,   /* malformed input */
    SIM_ESTATE = -7,   /* call not valid in the current state */
    SIM_ECORRUPT = -8, /* data failed a checksum or consistency check */
    SIM_ENOSPC = -9,   /* no space left on the device */
    SIM_EINTR = -10,   /* interrupted (signal, stop request) */
    SIM_EEXIST = -11,  /* already exists */
    SIM_ENOTSUP = -12, /* not supported in this build or on this system */
};

/* Returns a static, human-readable description of a SIM_E* code. Never NULL:
 * unknown codes give "unknown error". */
const char *sim_strerror(int err);

#endif
