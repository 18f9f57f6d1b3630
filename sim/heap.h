/* sim/heap.h - a binary min-heap over a caller's array, for any element type.
 *
 * SIM_HEAP_DEFINE(prefix, T, before) defines three static functions on an
 * array v of T holding *n elements in heap order (v[0] is the least):
 *
 *   bool prefix_reserve(T **v, size_t *cap, size_t n)
 *                                            makes room for n + 1 elements,
 *                                            doubling *cap (from 16) with
 *                                            realloc; false, and *v and
 *                                            *cap unchanged, on out of memory
 *
 *   void prefix_push(T *v, size_t *n, T x)   adds x; v must have room for
 *                                            *n + 1 elements (the caller
 *                                            grows it, e.g. with prefix_reserve)
 *   T    prefix_pop(T *v, size_t *n)         removes and returns v[0];
 *                                            *n must be > 0
 *   void prefix_heapify(T *v, size_t n)      puts v[0..n) in heap order
 *                                            again after the caller changed
 *                                            the keys of any elements; O(n)
 *
 * `before(const T *a, const T *b)` is a strict weak order: true when a must
 * come out before b. To make ties deterministic, put a sequence number in T
 * and compare it last. Both operations are O(log n) with at most log2(n)
 * moves of an element (a hole is moved, not swapped).
 *
 * The engine's own pending-event set (sim/evset.h) is a specialised
 * structure; this one is for models that keep a small ordered set of their
 * own (the disk's transfers by end, its elevator by position).
 */
#ifndef SIM_HEAP_H
#define SIM_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

/* A heap need not use all four functions; clang warns about unused static
 * functions defined in a .c file, even inline ones. */
#define SIM_HEAP_MAYBE_UNUSED __attribute__((unused))

#define SIM_HEAP_DEFINE(prefix, T, before)                                                                            \
    static inline SIM_HEAP_MAYBE_UNUSED bool prefix##_reserve(T **v, size_t *cap, size_t n)                           \
    {                                                                                                                 \
        if (n < *cap) return true;                                                                                    \
        size_t nc = *cap ? 2 * *cap : 16;                                                                             \
        T *nv = realloc(*v, nc * sizeof *nv);                                                                         \
        if (!nv) return false;                                                                                        \
        *v = nv;                                                                                                      \
        *cap = nc;                                                                                                    \
        return true;                                                                                                  \
    }                                                                                                                 \
                                                                                                                      \
    static inline SIM_HEAP_MAYBE_UNUSED void prefix##_push(T *v, size_t *n, T x)                                      \
    {                                                                                                                 \
        size_t i = (*n)++;                                                                                            \
        while (i > 0) {                                                                                               \
            size_t up = (i - 1) / 2;                                                                                  \
            if (!before(&x, &v[up])) break;                                                                           \
            v[i] = v[up];                                                                                             \
            i = up;                                                                                                   \
        }                                                                                                             \
        v[i] = x;                                                                                                     \
    }                                                                                                                 \
                                                                                                                      \
    /* x goes into the hole at i of v[0..n), moved down past smaller kids */                                          \
    static inline SIM_HEAP_MAYBE_UNUSED void prefix##_sift_down(T *v, size_t n, size_t i, T x)                        \
    {                                                                                                                 \
        for (;;) {                                                                                                    \
            size_t kid = 2 * i + 1;                                                                                   \
            if (kid >= n) break;                                                                                      \
            if (kid + 1 < n && before(&v[kid + 1], &v[kid])) kid++;                                                   \
            if (!before(&v[kid], &x)) break;                                                                          \
            v[i] = v[kid];                                                                                            \
            i = kid;                                                                                                  \
        }                                                                                                             \
        v[i] = x;                                                                                                     \
    }                                                                                                                 \
                                                                                                                      \
    static inline SIM_HEAP_MAYBE_UNUSED T prefix##_pop(T *v, size_t *n)                                               \
    {                                                                                                                 \
        T top = v[0], last = v[--(*n)];                                                                               \
        if (*n > 0) prefix##_sift_down(v, *n, 0, last);                                                               \
        return top;                                                                                                   \
    }                                                                                                                 \
                                                                                                                      \
    static inline SIM_HEAP_MAYBE_UNUSED void prefix##_heapify(T *v, size_t n)                                         \
    {                                                                                                                 \
        for (size_t i = n / 2; i-- > 0;) prefix##_sift_down(v, n, i, v[i]);                                           \
    }

#endif
