/*
 * simd.h — WA_VECTORISED: the hot loops compiled for several instruction sets.
 *
 * A function marked WA_VECTORISED is built three times — for baseline x86-64 (SSE2), for
 * x86-64-v3 (AVX2) and for x86-64-v4 (AVX-512) — and the dynamic loader picks the best the
 * CPU has (GCC's target_clones, an ifunc). The clones give the same bits: the build forbids
 * fused multiply-add contraction (-ffp-contract=off), the loops have no floating-point
 * reductions for the vectoriser to reorder, and what is left — +, -, *, /, sqrt, fma()
 * written out, comparisons and integer bit operations — is exactly rounded IEEE arithmetic
 * on any width (tests/test_vmath.c checks a clone against the baseline, tests/isa/check.sh
 * whole runs). fma() is one instruction from x86-64-v3 on; the baseline clone calls the C
 * library's, exact too but slower (x86-64 CPUs without FMA predate 2013).
 * Elsewhere (other compilers or systems, or -DWA_NO_CLONES) it is empty: one baseline
 * build, same bits again.
 */
#ifndef WA_SIMD_H
#define WA_SIMD_H

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && \
    !defined(WA_NO_CLONES) && !defined(__SANITIZE_ADDRESS__)
#define WA_VECTORISED __attribute__((target_clones("default", "arch=x86-64-v3", "arch=x86-64-v4")))
/* Nonzero when the CPU runs the x86-64-v4 (AVX-512) clones, as the loader's choice is
   made: for a kernel whose best shape differs between clones (the same bits), chosen at
   run time inside the clone. */
#define WA_AVX512() __builtin_cpu_supports("x86-64-v4")
#else
#define WA_VECTORISED
#define WA_AVX512() 0
#endif

/* WA_KERNEL: a helper of a WA_VECTORISED function, always inlined into it so that it is
   compiled for each clone's instruction set (a helper left out of line is baseline code). */
#if defined(__GNUC__)
#define WA_KERNEL static inline __attribute__((always_inline))
#else
#define WA_KERNEL static inline
#endif

#endif
