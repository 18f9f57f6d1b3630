/* reports/gp_templates.c - the gnuplot templates reports/NAME.gp, built into
 * the binary so that a run can write its plot scripts wherever cdnsim is
 * installed. The assembler's .incbin copies each file verbatim into
 * read-only data, followed by a NUL so it can be used as a C string. Paths
 * are relative to the project root, where make runs the compiler (the
 * Makefile lists the .gp files as prerequisites of this object). */
#include "reports/plots.h"

#define REPORTS_GP_EMBED(sym, file)                                                                    \
    __asm__(".section .rodata\n"                                                                       \
            ".global " #sym "\n"                                                                       \
            ".type " #sym ", @object\n"                                                                \
            ".balign 16\n" #sym ":\n"                                                                  \
            ".incbin \"" file "\"\n"                                                                   \
            ".byte 0\n"                                                                                \
            ".size " #sym ", . - " #sym "\n"                                                           \
            ".previous\n")

REPORTS_GP_EMBED(reports_gp_latency_cdf, "reports/latency_cdf.gp");
REPORTS_GP_EMBED(reports_gp_timeline, "reports/timeline.gp");
REPORTS_GP_EMBED(reports_gp_hit_ratio, "reports/hit_ratio.gp");
REPORTS_GP_EMBED(reports_gp_utilization, "reports/utilization.gp");
