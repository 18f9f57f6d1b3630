/* models/disk.h - a disk: `channels` requests served in parallel (the
 * device's internal parallelism at the queue depth the node uses), each
 * taking an access time drawn from `access` plus size / `bandwidth`.
 * Co-located with its data node (COMP_KIND_LOCAL: no network hop).
 * Built on models/station. With `shared_bandwidth` the access time is a lone
 * request's whole time and concurrent transfers share the device's
 * bandwidth (processor sharing): see models/disk.c and docs/calibration.md.
 * A PUT draws its access time from `write` instead of `access` (a durable
 * write: data, fdatasync, metadata commit), everything else is the same.
 * With `journal` J > 0 (a time, or a distribution whose mean is J) the part
 * of a durable write that the filesystem serialises (its commits) takes J,
 * one write at a time, which caps a disk at 1 / J writes per second whatever
 * its parallelism: with
 * shared_bandwidth, a gate through which one write at a time transfers
 * J x B bytes in the shared bandwidth; without, a one-server FIFO station
 * after the write. The rest of the write is shortened by the mean J, so a
 * lone write still takes its `write` time (exactly when J is a constant, on
 * average when it is drawn; nothing is negative).
 * With `spell_every` the disk has slow spells: from time to time, for
 * `spell_length`, everything it does takes `spell_factor` times as long.
 * With `bandwidth_curve` the shared bandwidth is not one number but B(n),
 * n the number of transfers in progress, interpolated between measured
 * points (the device's throughput against queue depth).
 * `write_weight_curve` makes a write's share depend on n in the same way.
 * `write_tail_above` T (with a curve) makes the writes' slow tail, the lone
 * write times above T, as frequent as the device's recent throughput says:
 * in proportion to it against the throughput `write` was measured at, or
 * (`write_tail_follows` reads) to the share of it that reads make up.
 * `transfer_order` says who gets that bandwidth: every transfer in progress
 * an equal share ("shared", the default), or one transfer at a time at the
 * full bandwidth, in arrival order ("fifo") or in the order of an elevator
 * over random disk positions ("elevator": the device holds `device_queue`
 * requests and serves them in the order it took them, the rest wait sorted
 * by position, like the guest kernel's mq-deadline scheduler). */
#ifndef MODELS_DISK_H
#define MODELS_DISK_H

#include "models/server.h"

#define DISK_CURVE_MAX 32 /* most points of a bandwidth_curve */

/* write_tail_follows: what makes the writes' tail more frequent */
typedef enum { DISK_TAIL_THROUGHPUT = 0, DISK_TAIL_READS = 1 } disk_tail_law;
/* The defaults of write_tail_window (ms) and write_tail_read_boost; disk.c
 * spells its conf table's defaults from them. */
#define DISK_TAIL_WINDOW_DEFAULT_MS 100
#define DISK_TAIL_BOOST_DEFAULT 0.5

/* transfer_order: how the transfers in progress share the bandwidth */
typedef enum { DISK_ORDER_SHARED = 0, DISK_ORDER_FIFO = 1, DISK_ORDER_ELEVATOR = 2, DISK_ORDER_ROUNDS = 3 } disk_order;

extern const comp_kind disk_kind;

/* Its parameters: a server_conf (channels = st.servers, access = st.service,
 * per-channel bandwidth) plus the optional shared device bandwidth. */
typedef struct disk_conf {
    server_conf base;        /* first member */
    double shared_bw;        /* bytes/s shared by transfers in progress; 0: off */
    sim_dist write;          /* ns: a write's access time (PUT); a conf filled in by a
                                program must set it (zero is a constant 0) */
    double write_weight;     /* a write's share of shared_bw relative to a read's 1 (0: 1) */
    sim_dist journal;        /* ns each write holds the device's journal, one write at a
                                time (mean 0: no journal); a conf filled in by a program
                                must set it, like `write` */
    sim_dist spell_every;    /* ns from the end of a slow spell to the next (mean 0: no spells) */
    sim_dist spell_length;   /* ns a spell lasts */
    double spell_factor;     /* during a spell every time is this many times as long (0: 1) */
    const cJSON *bw_curve;   /* bandwidth_curve: [[n, bandwidth], ...] or NULL (borrowed from
                                the scenario document; read at create) */
    const cJSON *ww_curve;   /* write_weight_curve: [[n, weight], ...] or NULL (borrowed, like
                                bw_curve) */
    double write_share;      /* shared: at most this fraction of the writes at the disk transfer
                                at once, the rest wait in arrival order (0, as a zeroed conf
                                leaves it, means 1: all) */
    int order;               /* transfer_order: a disk_order */
    int64_t device_queue;    /* elevator: requests the device holds, in the order it took them
                                (0, as a program's zeroed conf leaves it, means 1) */
    sim_dist round_wake;     /* rounds: ns from a round's chance to begin to the device closing it
                                (a zeroed conf's constant 0: at once) */
    int64_t completion_cpus; /* rounds: CPUs handling the answers (0, as a zeroed conf leaves it: 1) */
    sim_dist completion_time; /* rounds: ns of CPU each answer takes (mean 0: none) */
    sim_time_t round_stall_above; /* rounds: a drawn time above it is a device stall (0: off) */
    sim_time_t write_tail_above; /* curve: lone write times above it are drawn more often the more the
                                    device moves (0: off) */
    double write_tail_bw;    /* bytes/s the device moved when `write` was measured (0: a write's size
                                / the mean of `write`, lone writes back to back) */
    sim_time_t write_tail_window; /* time constant of the device's throughput average (0, as a zeroed
                                     conf leaves it: 100 ms) */
    int write_tail_follows;  /* what the tail follows: a disk_tail_law (a zeroed conf: throughput) */
    double write_tail_read_boost; /* follows reads: the tail is (1 + this x the reads' share of the
                                     bytes moved) times as frequent as in `write` */
} disk_conf;

#endif
