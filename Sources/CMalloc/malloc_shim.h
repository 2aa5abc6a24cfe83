// glibc's malloc tuning (mallopt, M_ARENA_MAX, M_MMAP_THRESHOLD, mallinfo2), which Swift's Glibc module leaves out.
// Nothing to link: mallopt is in libc. Elsewhere the header is empty.
#ifndef CORSLOG_MALLOC_SHIM_H
#define CORSLOG_MALLOC_SHIM_H
#if defined(__linux__)
#include <features.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#endif
#endif
