#ifndef CORSLOG_CISAL_SHIM_H
#define CORSLOG_CISAL_SHIM_H

// Intel ISA-L's streaming inflate, loaded at run time (dlopen "libisal.so.2"), so the
// default build needs no ISA-L header or library. This is a copy of the layout of
// `struct inflate_state` in Debian's libisal-dev 2.30 header <isa-l/igzip_lib.h>
// (ABI of libisal.so.2); IsalLayoutTests compiles the real header, when installed,
// and compares sizes and offsets. Swift touches the state only through the inline
// functions below.

#include <stddef.h>
#include <stdint.h>

#define CISAL_DECODE_LONG_BITS 12
#define CISAL_DECODE_SHORT_BITS 10
#define CISAL_L_REM (21 - CISAL_DECODE_LONG_BITS)
#define CISAL_S_REM (15 - CISAL_DECODE_SHORT_BITS)
#define CISAL_L_DUP ((1 << CISAL_L_REM) - (CISAL_L_REM + 1))
#define CISAL_S_DUP ((1 << CISAL_S_REM) - (CISAL_S_REM + 1))
#define CISAL_L_UNUSED ((1 << CISAL_L_REM) - (1 << ((CISAL_L_REM)/2)) - (1 << ((CISAL_L_REM + 1)/2)) + 1)
#define CISAL_S_UNUSED ((1 << CISAL_S_REM) - (1 << ((CISAL_S_REM)/2)) - (1 << ((CISAL_S_REM + 1)/2)) + 1)
#define CISAL_L_SIZE (257 + 29 + CISAL_L_DUP + CISAL_L_UNUSED)
#define CISAL_S_SIZE (30 + CISAL_S_DUP + CISAL_S_UNUSED)
#define CISAL_HUFF_CODE_LARGE_LONG_ALIGNED (CISAL_L_SIZE + (-CISAL_L_SIZE & 0xf))
#define CISAL_HUFF_CODE_SMALL_LONG_ALIGNED (CISAL_S_SIZE + (-CISAL_S_SIZE & 0xf))
#define CISAL_DEF_MAX_HDR_SIZE 328
#define CISAL_DEF_HIST_SIZE (32 * 1024)
#define CISAL_LOOK_AHEAD ((258 + 31) & ~31)

// isal_inflate's return values and block states, and crc_flag ISAL_GZIP.
#define CISAL_DECOMP_OK 0
#define CISAL_END_INPUT 1
#define CISAL_OUT_OVERFLOW 2
#define CISAL_NEED_DICT 6
#define CISAL_INVALID_BLOCK -1
#define CISAL_INVALID_SYMBOL -2
#define CISAL_INVALID_LOOKBACK -3
#define CISAL_INVALID_WRAPPER -4
#define CISAL_UNSUPPORTED_METHOD -5
#define CISAL_INCORRECT_CHECKSUM -6
#define CISAL_BLOCK_FINISH 5
#define CISAL_GZIP 1

struct CIsal_inflate_state {
    uint8_t *next_out;
    uint32_t avail_out;
    uint32_t total_out;
    uint8_t *next_in;
    uint64_t read_in;
    uint32_t avail_in;
    int32_t read_in_length;
    struct {
        uint32_t short_code_lookup[1 << CISAL_DECODE_LONG_BITS];
        uint16_t long_code_lookup[CISAL_HUFF_CODE_LARGE_LONG_ALIGNED];
    } lit_huff_code;
    struct {
        uint16_t short_code_lookup[1 << CISAL_DECODE_SHORT_BITS];
        uint16_t long_code_lookup[CISAL_HUFF_CODE_SMALL_LONG_ALIGNED];
    } dist_huff_code;
    int block_state; // enum isal_block_state
    uint32_t dict_length;
    uint32_t bfinal;
    uint32_t crc_flag;
    uint32_t crc;
    uint32_t hist_bits;
    union {
        int32_t type0_block_len;
        int32_t count;
        uint32_t dict_id;
    };
    int32_t write_overflow_lits;
    int32_t write_overflow_len;
    int32_t copy_overflow_length;
    int32_t copy_overflow_distance;
    int16_t wrapper_flag;
    int16_t tmp_in_size;
    int32_t tmp_out_valid;
    int32_t tmp_out_processed;
    uint8_t tmp_in_buffer[CISAL_DEF_MAX_HDR_SIZE];
    uint8_t tmp_out_buffer[2 * CISAL_DEF_HIST_SIZE + CISAL_LOOK_AHEAD];
};

typedef void (*CIsal_init_fn)(struct CIsal_inflate_state *);
typedef int (*CIsal_inflate_fn)(struct CIsal_inflate_state *);

/// The layout the tests compare with the real header: size, then offsets.
static inline size_t CIsal_layout(int i) {
    switch (i) {
    case 0: return sizeof(struct CIsal_inflate_state);
    case 1: return offsetof(struct CIsal_inflate_state, next_out);
    case 2: return offsetof(struct CIsal_inflate_state, avail_out);
    case 3: return offsetof(struct CIsal_inflate_state, total_out);
    case 4: return offsetof(struct CIsal_inflate_state, next_in);
    case 5: return offsetof(struct CIsal_inflate_state, avail_in);
    case 6: return offsetof(struct CIsal_inflate_state, block_state);
    case 7: return offsetof(struct CIsal_inflate_state, crc_flag);
    case 8: return offsetof(struct CIsal_inflate_state, hist_bits);
    case 9: return offsetof(struct CIsal_inflate_state, tmp_out_buffer);
    default: return 0;
    }
}

static inline size_t CIsal_state_size(void) { return sizeof(struct CIsal_inflate_state); }

/// Sets up a zeroed state (`init`), then asks for gzip headers and trailers to be parsed and checked.
static inline void CIsal_start(CIsal_init_fn init, void *state) {
    struct CIsal_inflate_state *s = (struct CIsal_inflate_state *)state;
    init(s);
    s->crc_flag = CISAL_GZIP;
}

/// One isal_inflate call from `in` into `out`; reports bytes consumed and produced, and whether the member ended.
static inline int CIsal_run(CIsal_inflate_fn inflate, void *state,
                            const uint8_t *in, uint32_t in_count, uint8_t *out, uint32_t out_count,
                            uint32_t *consumed, uint32_t *produced, int *finished) {
    struct CIsal_inflate_state *s = (struct CIsal_inflate_state *)state;
    s->next_in = (uint8_t *)in;
    s->avail_in = in_count;
    s->next_out = out;
    s->avail_out = out_count;
    int status = inflate(s);
    *consumed = in_count - s->avail_in;
    *produced = out_count - s->avail_out;
    *finished = s->block_state == CISAL_BLOCK_FINISH;
    s->next_in = NULL;
    s->avail_in = 0;
    s->next_out = NULL;
    s->avail_out = 0;
    return status;
}

#endif
