#ifndef CORSLOG_CZLIB_SHIM_H
#define CORSLOG_CZLIB_SHIM_H

#include <zlib.h>

// `inflateInit2` is a C macro (it passes ZLIB_VERSION and sizeof(z_stream)),
// which Swift cannot call; this inline function can be.
static inline int CZlib_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}

#endif
