#include "sim/errors.h"

const char *sim_strerror(int err)
{
    switch (err) {
    case SIM_OK: return "success";
    case SIM_ENOMEM: return "out of memory";
    case SIM_EINVAL: return "invalid argument";
    case SIM_ERANGE: return "value out of range";
    case SIM_ENOENT: return "not found";
    case SIM_EIO: return "input/output error";
    case SIM_EPARSE: return "malformed input";
    case SIM_ESTATE: return "not valid in the current state";
    case SIM_ECORRUPT: return "data corrupt (checksum mismatch)";
    case SIM_ENOSPC: return "no space left on device";
    case SIM_EINTR: return "interrupted";
    case SIM_EEXIST: return "already exists";
    case SIM_ENOTSUP: return "not supported";
    default: return "unknown error";
    }
}
