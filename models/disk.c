/* models/disk.c - disk: access time + transfer, c channels, and optionally a
 * device bandwidth shared by the transfers in progress.
 *
 * Without `shared_bandwidth` (the default) a disk is a plain station: each
 * of `channels` serves one request at a time for `access` + size /
 * `bandwidth`, others wait in FIFO order.
 *
 * With `shared_bandwidth` B the `access` distribution is the time of a lone
 * request, transfer included (what `cdnsim calibrate` measures at
 * concurrency 1), and concurrent requests slow each other down only where
 * they compete for the device's bandwidth: a request holds a channel for
 * max(0, access - size / B), then transfers its `size` bytes while every
 * request transferring at that moment gets an equal share of B (processor
 * sharing). A lone request therefore still takes exactly `access`, and at
 * high concurrency throughput tends to B / size: the behaviour measured on
 * this machine's virtual disk (docs/calibration.md), which a FIFO channel
 * model cannot show for two chunk sizes at once.
 *
 * Writes (PUT) draw their time from `write` instead of `access`. With
 * `journal` J, the part of a durable write that the filesystem serialises
 * (its commits) is modelled, which capped this machine's durable writes at
 * 700-1200 per second whatever the concurrency while chunkio renamed its
 * temporaries across directories (docs/calibration.md). J is
 * a constant or a distribution drawn for each write from the disk's
 * "journal" stream (what `cdnsim calibrate --journal` measures: the times
 * between durable-write completions at saturation, whose spread is what
 * gives writes their tail). Its mean is taken out of the drawn `write`
 * time, so a lone write is unchanged on average (unless the draw is
 * shorter than the mean: nothing is negative):
 * - with shared_bandwidth, a write holds a channel for max(0, write - J),
 *   then passes a gate one write at a time (FIFO), transferring J x B bytes
 *   in the shared bandwidth: alone it takes J, and it competes with the
 *   reads in progress like one more transfer. This is what fitted that
 *   store's 70/30 mix best: writes wait for each other, reads are slowed by
 *   one write at most (since the temporaries moved beside their chunks, a
 *   bandwidth_curve measured per workload fits better: "A curve for
 *   writes" in docs/calibration.md);
 * - without, a write ends by holding a one-server FIFO station for J.
 *
 * Slow spells (`spell_every`, `spell_length`, `spell_factor` F): the disk
 * alternates between its normal speed and spells in which everything it
 * does - channel times drawn from then on, the shared bandwidth, the
 * journal - takes F times as long; the time to the next spell and a
 * spell's length are drawn from the disk's "spells" stream. This machine's
 * disk has them: about once a second, durable writes take about twice as
 * long for 5 to 57 ms, 11 ms at the median (`cdnsim calibrate --spells`
 * finds them in the lone writes).
 * Those spells, not the journal's spread, are where queued writes get
 * their p99 (docs/calibration.md, "Slow spells"). Faults' `slow` multiplies
 * with a spell's factor; a transfer in progress keeps what it received at
 * the old speed.
 *
 * The writes' tail that follows the throughput (`write_tail_above` T, with a
 * bandwidth_curve): the lone write times above T (a fraction p of `write`,
 * found at create from its quantile function) are the writes that met a
 * slow flush of the device. On this machine such flushes are more frequent
 * per write the more the device moves: 1.3-1.7% of flushes with writes
 * alone at about 800 MB/s, 1.9-3.1% in mixes of 1 MiB reads and writes at
 * 1.1-1.6 GB/s, whatever came just before the write (docs/calibration.md,
 * "A tail that follows the throughput"; the chunk store's check did not
 * adopt this law, which overshoots its mix at 4 in flight, but the one that
 * follows the reads, below, with b = 0.67: "The boost by the model's own
 * tail"). Here a write draws from the tail
 * with probability p x R / R0, capped at 1, and from the rest of `write`
 * otherwise, by inverting its quantile function: R is the bytes the disk's
 * transfers ended with over the last `write_tail_window` (an exponentially
 * weighted average, its weight normalised so that the disk's first moments
 * are not taken for idle), R0 `write_tail_bandwidth`, by default a write's
 * size over the mean of `write` (what lone writes back to back move, which
 * is how `cdnsim calibrate` measures them). Lone writes back to back thus
 * keep `write` on average; a disk that also reads meets the tail more
 * often, an idle one less. With `write_tail_follows` "reads" the tail
 * follows what share of those bytes were reads instead: it is drawn with
 * probability p x (1 + b x that share), b `write_tail_read_boost`, so that
 * writes alone keep `write` whatever their rate, and a mix meets the tail
 * more often by its reads, at any concurrency.
 * (Under transfer_order rounds with round_stall_above, the draws that
 * replace a slow one come from the whole of `write`, not from its tail or
 * the rest.)
 *
 * `write_weight` w makes the sharing weighted: a write's transfer gets w
 * shares of B for a read's 1 (below 1 reads go first, above 1 writes).
 * `write_weight_curve` [[n1, w1], ...] makes w depend on n, the number of
 * transfers in progress (linear between points, constant beyond the ends),
 * because this machine's disk favours reads more the longer its queue
 * (docs/calibration.md, "A weight that depends on the queue"): whenever n
 * changes, every write in progress takes the weight for the new n and
 * keeps the bytes it has received, so its end on the virtual clock moves
 * (an O(n) pass and re-heap per change; no allocation).
 *
 * `write_share` f < 1 lets at most round(f x w) of the w writes at the disk
 * (at least one) transfer at once, sharing with the reads as above; the
 * others wait in arrival order, and still count in a curve's n. A write
 * then waits for some of the others and shares with the rest: between
 * sharing (f = 1), where a slow lone write is stretched by the whole queue,
 * and one at a time, where every write waits for all the others. On this
 * machine the measured tail of durable writes at 4 and 16 in flight lies
 * between the two; f is chosen from the calibration's curve runs, 0.5 to 1
 * in single runs and 0.625 pooled (docs/calibration.md, "Writes that take
 * turns" and "A share from the curve runs").
 *
 * `bandwidth_curve` [[n1, B1], [n2, B2], ...] replaces the one number B by
 * B(n), n the number of requests in service: linear between the points, B1
 * below n1 and the last B beyond the last n. It is the device's measured
 * throughput at each queue depth (like fio's curve; calib/model_check.sh
 * measures it with chunkio), needed because one B cannot describe this
 * machine's disk: chunkio moves 2.1 GB/s at 4 reads in flight but 1.56 GB/s
 * at 32 (docs/calibration.md). With a curve there is no channel part: the
 * whole drawn time t of a request (`access`, or `write` for a PUT) is work
 * of t x B(1) bytes done in the shared bandwidth, so a lone request takes
 * exactly t (no truncation when t is shorter than size / B(1), which the
 * split above would cause when B(1) is itself measured from lone
 * requests), and n requests in service progress together at B(n) / B(1)
 * times a lone one's speed. `channels` then limits nothing (the curve says
 * how the device scales); `journal` cannot be combined with a curve. B(n)
 * changes only when a request enters or leaves the transfer stage, and the
 * virtual clock is brought up to date just before: a short scan of the
 * curve's points each time.
 *
 * `transfer_order` changes who gets the bandwidth, not how much there is:
 * - "shared" (the default): every transfer in progress an equal share, as
 *   above;
 * - "fifo": one transfer at a time gets all of it, in arrival order;
 * - "elevator": one at a time, chosen like the guest kernel's block
 *   scheduler does: each request gets a random position on the disk (from
 *   the disk's own "position" stream); the device holds `device_queue`
 *   requests (the one transferring included) and serves them in the order
 *   it took them; the others wait to be taken into it in ascending
 *   position from the last one taken, wrapping to the lowest (C-SCAN).
 *   A request that lands just behind the sweep waits for a whole round, one
 *   just ahead of it hardly at all: latencies spread from one transfer to
 *   about twice the mean. That is what this machine's virtual disk does
 *   under mq-deadline when each 1 MiB read is cut into two requests (a
 *   buffer in scattered 4 KiB pages) and the device holds about one of
 *   them; with the scheduler set to "none" the spread disappears. chunkio's
 *   reads are now one request each, all of them in the device, and fifo
 *   fits them (docs/calibration.md, "One request per read").
 * - "rounds" (with a bandwidth_curve): the device works through the
 *   requests one at a time in arrival order, as under fifo, but answers
 *   them a round at a time. A round begins when a request reaches a device
 *   with no round waiting to be answered (or, if one is, when that one has
 *   been answered); `round_wake` later the device closes it, taking every
 *   request that arrived meanwhile. Requests arriving after the close join
 *   the next round. A round is answered, all its requests at once, when
 *   the last of them has its bytes; the answers then go, in random order,
 *   through `completion_cpus` CPUs that each take `completion_time` per
 *   answer (FIFO; the guest's CPUs waking its threads and checking each
 *   chunk). The completion time's mean is taken out of the drawn time, so
 *   a lone request still takes it exactly when it is at least round_wake +
 *   completion_time. A request whose thread was woken late misses the
 *   round being gathered and waits for the whole of the next: the bimodal
 *   latencies this machine's virtual disk gives 64 KiB reads at 16 in
 *   flight (docs/calibration.md, "Answers in rounds"). The requests done
 *   but not yet answered still count in B(n).
 *   With `round_stall_above` T, slowness belongs to rounds, not to single
 *   requests: a drawn time t above T is taken as a stall of the whole
 *   device. The request's own time is drawn again until it is at most T
 *   (twenty tries, then T), and if the request opened its round, the
 *   device pauses - every transfer - for the difference, from the round's
 *   close. A slow draw of any other request is only replaced. So a round
 *   is slow as often as a lone request is, and all its requests are slow
 *   together: what this machine's disk does at 4 in flight
 *   (docs/calibration.md, "Slow rounds" and "Longer runs", where it is
 *   the model that fits 64 KiB reads). A lone request still takes t
 *   (when t's new draw is at least round_wake + completion_time).
 *   Faults' `slow` and spells
 *   slow the transfers, not the wake or the CPUs. A crash drops the
 *   requests held for their round at once, and those on a CPU when their
 *   answer falls due.
 * With one at a time, B(n) of a curve counts every request in the transfer
 * stage, waiting or not (n is the same as under sharing), so throughput is
 * the same under shared, fifo and elevator, and only the latency
 * distribution differs (work-conserving); rounds moves less, by its wakes
 * and its CPUs. The waiting transfers are kept in a ring in arrival
 * order: fifo and rounds take from its front in O(1). The elevator keeps
 * those the device has not taken in two heaps on position (ahead of its
 * head and behind it) and those it took in the ring, in the order taken:
 * O(log n).
 *
 * Processor sharing is simulated with a virtual clock V: the bytes each
 * active transfer of weight 1 has received since an arbitrary origin, growing
 * at B / W while transfers of total weight W are active. A transfer of s
 * bytes and weight w starting at V0 ends when V reaches V0 + s / w; one
 * event is pending for the earliest end and is moved whenever n changes.
 * Transfers are kept in a binary heap on their end (ties by arrival), in an
 * array that grows by doubling (no allocation per request once grown), so
 * adding or ending one is O(log n).
 */
#include "models/disk.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "sim/errors.h"
#include "sim/heap.h"

/* Default: an NVMe SSD per ../shared/reference/latency-numbers.md: random
 * read median 80-150 us with p99 of a few hundred us -> lognormal mean 120 us,
 * p99 400 us; sequential read 1-3 GB/s -> 2 GB/s; 4 channels. Writes: a
 * crash-safe 1 MiB write (tmp, fdatasync, rename, dir fsync) takes ~1.7 ms at
 * the median there; lognormal mean 1.5 ms, p99 6 ms (p99 4x the mean, within
 * the 3-10x the reference gives for tails) has a median of 1.17 ms, plus
 * 1 MiB / 2 GB/s = 0.52 ms of transfer: 1.7 ms for 1 MiB. */
static const char *const disk_orders[] = { "shared", "fifo", "elevator", "rounds", NULL };
static const char *const disk_tail_laws[] = { "throughput", "reads", NULL };
/* DISK_STR(DISK_TAIL_BOOST_DEFAULT) is "0.5": the conf table's defaults
 * are spelled from the macros the refusals compare with. */
#define DISK_STR_(x) #x
#define DISK_STR(x) DISK_STR_(x)

static const conf_field disk_fields[] = {
    { "channels", CONF_INT, offsetof(disk_conf, base.st.servers), "4",
      "requests the device serves in parallel", 1, 1e6, NULL, NULL },
    { "queue_limit", CONF_INT, offsetof(disk_conf, base.st.queue_limit), "-1",
      "most requests waiting; more are rejected (-1: unlimited)", -1, 1e12, NULL, NULL },
    { "access", CONF_DIST_TIME, offsetof(disk_conf, base.st.service),
      "{\"lognormal\": {\"mean\": \"120us\", \"p99\": \"400us\"}}",
      "access time of one read (seek + rotation for an HDD, flash read for an SSD); with shared_bandwidth, "
      "the whole time of a lone request, transfer included", 0, 0, NULL, NULL },
    { "write", CONF_DIST_TIME, offsetof(disk_conf, write),
      "{\"lognormal\": {\"mean\": \"1.5ms\", \"p99\": \"6ms\"}}",
      "time of one durable write (PUT), in the same terms as `access`: plus size / bandwidth, or with "
      "shared_bandwidth the whole time of a lone write", 0, 0, NULL, NULL },
    { "write_weight", CONF_DOUBLE, offsetof(disk_conf, write_weight), "1",
      "with shared_bandwidth: a write's share of the bandwidth relative to a read's 1 (below 1, reads go "
      "first; above 1, writes)", 0.001, 1000, NULL, NULL },
    { "journal", CONF_DIST_TIME, offsetof(disk_conf, journal), "\"0s\"",
      "time of the serialised part of a write (its commits), one write at a time: caps the disk at "
      "1 / mean journal writes/s; its mean is taken out of `write`, so a lone write is unchanged on average "
      "(0: off); a distribution such as `cdnsim calibrate --journal` measures", 0, 0, NULL, NULL },
    { "spell_every", CONF_DIST_TIME, offsetof(disk_conf, spell_every), "\"0s\"",
      "time from the end of one slow spell to the start of the next, e.g. {\"exp\": \"600ms\"} (0: no spells)",
      0, 0, NULL, NULL },
    { "spell_length", CONF_DIST_TIME, offsetof(disk_conf, spell_length), "\"0s\"",
      "how long a slow spell lasts, e.g. {\"exp\": \"15ms\"}", 0, 0, NULL, NULL },
    { "spell_factor", CONF_DOUBLE, offsetof(disk_conf, spell_factor), "1",
      "during a spell every part of the disk (channels, transfers, journal) takes this many times as long",
      1, 1000, NULL, NULL },
    { "bandwidth", CONF_BANDWIDTH, offsetof(disk_conf, base.bandwidth), "\"2GB/s\"",
      "transfer rate of one channel: adds size / bandwidth (ignored with shared_bandwidth)", 0, 0, NULL, NULL },
    { "shared_bandwidth", CONF_BANDWIDTH, offsetof(disk_conf, shared_bw), "\"0B/s\"",
      "device bandwidth shared by the transfers in progress, equally or by write_weight (0: off; see "
      "docs/calibration.md)", 0, 0,
      NULL, NULL },
    { "bandwidth_curve", CONF_JSON, offsetof(disk_conf, bw_curve), "null",
      "instead of shared_bandwidth: [[requests_in_service, bandwidth], ...], n increasing, e.g. "
      "[[1, \"900MB/s\"], [4, \"2.1GB/s\"], [32, \"1.5GB/s\"]]; linear between points, constant beyond "
      "the ends (at most 32 points; see docs/calibration.md)", 0, 0, NULL, NULL },
    { "write_share", CONF_DOUBLE, offsetof(disk_conf, write_share), "1",
      "with shared_bandwidth or bandwidth_curve and transfer_order shared: at most this fraction of the writes "
      "at the disk (rounded, at least one) transfer at once; the others wait in arrival order (1: all share; "
      "docs/calibration.md)", 0.01, 1, NULL, NULL },
    { "write_weight_curve", CONF_JSON, offsetof(disk_conf, ww_curve), "null",
      "instead of write_weight: [[transfers_in_progress, weight], ...], n increasing, e.g. [[2, 0.5], "
      "[16, 0.35]]; linear between points, constant beyond the ends; with transfer_order shared (see "
      "docs/calibration.md)", 0, 0, NULL, NULL },
    { "transfer_order", CONF_ENUM, offsetof(disk_conf, order), "\"shared\"",
      "with shared_bandwidth or bandwidth_curve, who gets the bandwidth: shared (equal shares), fifo (one "
      "transfer at a time, arrival order), elevator (one at a time; requests beyond device_queue wait sorted "
      "by a random disk position, like the kernel's mq-deadline) or rounds (fifo, answered a round at a time; "
      "needs bandwidth_curve; docs/calibration.md)", 0, 0, disk_orders, NULL },
    { "device_queue", CONF_INT, offsetof(disk_conf, device_queue), "1",
      "with transfer_order elevator: requests the device itself holds (the one transferring included), served "
      "in the order it took them; the rest wait for the elevator", 1, 1e6, NULL, NULL },
    { "round_wake", CONF_DIST_TIME, offsetof(disk_conf, round_wake), "\"0s\"",
      "with transfer_order rounds: from a round's chance to begin (a request reaching the device, or the "
      "round before answered) to the device closing it; later arrivals wait for the next round", 0, 0, NULL,
      NULL },
    { "completion_cpus", CONF_INT, offsetof(disk_conf, completion_cpus), "1",
      "with transfer_order rounds: CPUs that handle a round's answers, one answer at a time each", 1, 1024, NULL,
      NULL },
    { "completion_time", CONF_DIST_TIME, offsetof(disk_conf, completion_time), "\"0s\"",
      "with transfer_order rounds: CPU time of one answer (its mean is taken out of `access` and `write`; 0: "
      "answers leave at once)", 0, 0, NULL, NULL },
    { "round_stall_above", CONF_DURATION, offsetof(disk_conf, round_stall_above), "\"0s\"",
      "with transfer_order rounds: a drawn time above this is a stall of the whole device, in the round "
      "the request opens (others' slow draws are drawn again; 0: off; docs/calibration.md)", 0, 0, NULL,
      NULL },
    { "write_tail_above", CONF_DURATION, offsetof(disk_conf, write_tail_above), "\"0s\"",
      "with bandwidth_curve: the lone write times above this (the tail of `write`) are drawn in proportion to "
      "the device's recent throughput against write_tail_bandwidth (0: off; docs/calibration.md)", 0, 0, NULL,
      NULL },
    { "write_tail_bandwidth", CONF_BANDWIDTH, offsetof(disk_conf, write_tail_bw), "\"0B/s\"",
      "with write_tail_above: what the device moved while `write` was measured (0: lone writes back to back, "
      "a write's size / the mean of `write`)", 0, 0, NULL, NULL },
    { "write_tail_window", CONF_DURATION, offsetof(disk_conf, write_tail_window),
      "\"" DISK_STR(DISK_TAIL_WINDOW_DEFAULT_MS) "ms\"",
      "with write_tail_above: the time constant of the device's throughput average (0: "
      DISK_STR(DISK_TAIL_WINDOW_DEFAULT_MS) "ms)", 0, 0, NULL, NULL },
    { "write_tail_follows", CONF_ENUM, offsetof(disk_conf, write_tail_follows), "\"throughput\"",
      "with write_tail_above, what the tail's frequency follows: throughput (in proportion to the bytes the "
      "device moves, against write_tail_bandwidth) or reads (1 + write_tail_read_boost x the reads' share of "
      "those bytes)", 0, 0, disk_tail_laws, NULL },
    { "write_tail_read_boost", CONF_DOUBLE, offsetof(disk_conf, write_tail_read_boost),
      DISK_STR(DISK_TAIL_BOOST_DEFAULT),
      "with write_tail_follows reads: how much more often the tail is drawn when every byte moved is a read's",
      0, 100, NULL, NULL },
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

typedef struct xfer {
    request *r;
    double end;              /* V at which it has all its bytes */
    double w;                /* its weight: 1 for a read, write_weight for a write */
    uint64_t seq;            /* order of arrival: breaks ties between equal ends */
} xfer;

/* fifo and elevator: a transfer waiting for the one in progress */
typedef struct pend {
    request *r;
    double bytes;            /* what it will transfer (work, under a curve) */
    double pos;              /* elevator: its position on the disk, in [0, 1) */
    uint64_t arrived;        /* arrival order in the stage */
} pend;

/* elevator: transfers not yet taken by the device, a binary min-heap on
 * (pos, arrived) */
typedef struct pheap {
    pend *v;
    size_t n, cap;
} pheap;

typedef struct disk_state {
    station st;
    station journal;         /* one server: the serialised end of each write; used when has_journal */
    bool has_journal;        /* the journal station (without shared_bandwidth) */
    bool gate;               /* with shared_bandwidth: one write at a time in the shared transfer */
    double gate_bytes;       /* journal x shared_bandwidth: what a write transfers through the gate */
    const sim_dist *jdist;   /* the journal's time when it is drawn per write, else NULL (constant) */
    gsl_rng *journal_rng;    /* "<id>/journal": the journal's draws */
    bool gate_busy;
    request *gq_head, *gq_tail; /* writes waiting for the gate (linked through qnext) */
    double ns_per_byte;      /* of the shared bandwidth; 0: sharing off */
    xfer *x;
    size_t n, cap;
    uint64_t xfers_added;    /* transfers ever added: the next one's seq */
    double v;                /* virtual clock, bytes per unit of weight */
    double wsum;             /* total weight of the transfers in progress */
    double write_w;          /* write_weight */
    double write_share;      /* write_share (1: every write shares) */
    size_t act_w;            /* writes transferring (with write_share < 1 the others wait in p) */
    sim_time_t vt;           /* when v was last advanced */
    double slowness;         /* the factor in effect since vt: c->slow (faults) x spell */
    double spell;            /* spell_factor during a slow spell, else 1 */
    bool spell_in;           /* a spell is in progress */
    gsl_rng *spell_rng;      /* "<id>/spells": when spells begin and how long they last */
    sim_time_t spell_began;  /* start of the spell in progress */
    sim_time_t spell_ns;     /* time spent in spells (ended ones, since the last reset) */
    uint64_t spells;         /* spells begun since the last reset */
    sim_event_ref ev;        /* the earliest transfer end */
    uint64_t transfers;      /* completed since the last reset */
    /* bandwidth_curve, parsed: ncurve points, n increasing; 0: B is fixed */
    size_t ncurve;
    double curve_n[DISK_CURVE_MAX];
    double curve_bw[DISK_CURVE_MAX]; /* bytes/s */
    /* write_weight_curve, parsed: nww points, n increasing; 0: write_w is fixed */
    size_t nww;
    double ww_n[DISK_CURVE_MAX];
    double ww_w[DISK_CURVE_MAX];
    /* transfer_order fifo or elevator (order != DISK_ORDER_SHARED): at most
     * one transfer in x, the others waiting in p */
    int order;               /* disk_order */
    /* The ring holds, in the order the device will serve them: under fifo
     * every waiting transfer (the first ndev - n of them taken by the
     * device); under the elevator only those the device took. */
    pend *p;                 /* a ring: entry i (0 = oldest) is p[(pfirst + i) & (pcap - 1)] */
    size_t np, pcap, pfirst; /* pcap is 0 or a power of two */
    size_t ndev;             /* requests the device holds: the one in x and those taken */
    size_t device_queue;     /* the most it holds (>= 1) */
    uint64_t arrivals;
    pheap ahead, behind;     /* elevator: not taken yet, at or ahead of the head / behind it */
    double head;             /* elevator: position of the last request taken */
    gsl_rng *pos_rng;        /* elevator: "<id>/position" */
    /* transfer_order rounds: the open round gathers arrivals until it is
     * closed; at most one closed round waits for its transfers (the next
     * one is closed only round_wake after it is answered). Transfers end
     * in arrival order, so the first closed_left to end are the closed
     * round's. */
    gsl_rng *round_rng;      /* "<id>/rounds": wakes, completion times, answer order */
    double cmean;            /* completion_time's mean (ns), taken out of each drawn time */
    size_t open_n;           /* requests in the open round */
    size_t open_done;        /* of those, transfers already ended */
    sim_time_t open_stall;   /* the stall its first request drew (round_stall_above) */
    sim_time_t paused_until; /* a stall: no transfer progresses before it */
    uint64_t stalls;         /* stalls begun since the last reset */
    sim_time_t stall_ns;     /* and their total length */
    bool closed;             /* a closed round is waiting for its transfers */
    size_t closed_n;         /* its requests */
    size_t closed_left;      /* its transfers still to end */
    sim_event_ref wake;      /* the open round's close, when scheduled */
    request *held_head, *held_tail; /* transfers ended, round not answered, in order (through qnext) */
    size_t nheld;
    request **answers;       /* scratch: a round's requests, shuffled */
    size_t answers_cap;
    sim_time_t *cpu_free;    /* completion_cpus: when each is next free */
    size_t ncpu;
    uint64_t epoch;          /* bumped by a crash: answers scheduled before it are dropped */
    uint64_t rounds, round_reqs; /* rounds answered and their requests, since the last reset */
    /* write_tail_above: the writes' tail follows the throughput */
    double tail_q;           /* P(write <= write_tail_above); 1: off */
    double write_mean;       /* ns, the mean of `write` (the default reference throughput) */
    double tail_window;      /* ns, the average's time constant */
    double tail_bytes;       /* bytes of ended transfers, each weighted e^(-age / window) */
    double tail_read_bytes;  /* the same for the reads' transfers alone */
    sim_time_t tail_t;       /* when the two were last aged */
    uint64_t tail_draws, write_draws; /* writes drawn from the tail, and all writes, since the last reset */
} disk_state;

static void disk_access_done(void *owner, request *r);
static void disk_journal_done(void *owner, request *r);
static void disk_xfer_end(sim_engine *eng, sim_event *ev);
static void round_close(sim_engine *eng, sim_event *ev);

/* y(n) of the points (xs, ys), count > 0, xs increasing: linear between
 * points, constant beyond the ends. */
static double interp(const double *xs, const double *ys, size_t count, double n)
{
    if (n <= xs[0]) return ys[0];
    for (size_t i = 1; i < count; i++)
        if (n <= xs[i]) {
            double f = (n - xs[i - 1]) / (xs[i] - xs[i - 1]);
            return ys[i - 1] + f * (ys[i] - ys[i - 1]);
        }
    return ys[count - 1];
}

/* B(n) of the parsed curve (s->ncurve > 0), bytes/s. */
static double curve_bw(const disk_state *s, double n)
{
    return interp(s->curve_n, s->curve_bw, s->ncurve, n);
}

/* Reads the list of [n, value] points in field `name` (a, possibly NULL:
 * nothing to read) into xs, ys and *count: n >= 1 and increasing, each
 * value a bandwidth ("2.1GB/s" or bytes/s) when is_bw, else a weight in
 * [0.001, 1000]. Errors are located at the element; on one, *count is 0. */
static int read_points(component *c, const cJSON *a, const char *name, int is_bw, double *xs, double *ys,
                       size_t *count, conf_errors *errs)
{
    char jp[512];
    snprintf(jp, sizeof jp, "%s.%s", c->jpath, name);
    if (!a) return 0;
    const char *unit = is_bw ? "bandwidth" : "weight";
    int len = cJSON_IsArray(a) ? cJSON_GetArraySize(a) : -1;
    if (len < 1 || len > DISK_CURVE_MAX) {
        conf_error_at(errs, c->env->doc, a, jp, "expected a list of 1 to %d points like [4, %s] (requests in flight, %s)",
                      DISK_CURVE_MAX, is_bw ? "\"2.1GB/s\"" : "0.5", unit);
        return SIM_EPARSE;
    }
    int bad = 0, i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, a)
    {
        char ep[560];
        snprintf(ep, sizeof ep, "%s[%d]", jp, i++);
        const cJSON *n = cJSON_GetArrayItem(it, 0), *b = cJSON_GetArrayItem(it, 1);
        double y = 0;
        int ok = cJSON_IsArray(it) && cJSON_GetArraySize(it) == 2 && cJSON_IsNumber(n) && isfinite(n->valuedouble) &&
                 n->valuedouble >= 1;
        if (ok && is_bw)
            ok = (cJSON_IsString(b) ? conf_parse_bandwidth(b->valuestring, &y) == 0
                                    : cJSON_IsNumber(b) && (y = b->valuedouble) > 0) &&
                 y > 0 && isfinite(y);
        else if (ok)
            ok = cJSON_IsNumber(b) && (y = b->valuedouble) >= 0.001 && y <= 1000;
        if (!ok) {
            conf_error_at(errs, c->env->doc, it, ep, "expected [n, %s]: n >= 1 requests in flight, %s", unit,
                          is_bw ? "a bandwidth > 0 like \"2.1GB/s\" or a number of bytes/s"
                                : "a write's weight from 0.001 to 1000 (a read's is 1)");
            bad = 1;
            continue;
        }
        if (*count > 0 && !(n->valuedouble > xs[*count - 1])) {
            conf_error_at(errs, c->env->doc, it, ep, "expected n greater than the previous point's %g, found %g",
                          xs[*count - 1], n->valuedouble);
            bad = 1;
            continue;
        }
        xs[*count] = n->valuedouble;
        ys[(*count)++] = y;
    }
    if (bad) *count = 0;
    return bad ? SIM_EPARSE : 0;
}

/* Reads bandwidth_curve and write_weight_curve. */
static int read_curves(component *c, disk_state *s, conf_errors *errs)
{
    disk_conf *cf = c->conf;
    int rc = read_points(c, cf->bw_curve, "bandwidth_curve", 1, s->curve_n, s->curve_bw, &s->ncurve, errs);
    int rw = read_points(c, cf->ww_curve, "write_weight_curve", 0, s->ww_n, s->ww_w, &s->nww, errs);
    return rc ? rc : rw;
}

/* The first of the fields that only transfer_order rounds reads which is
 * set (wake and cpu: the means of round_wake and completion_time), or NULL. */
static const char *rounds_field_set(const disk_conf *cf, double wake, double cpu)
{
    if (wake > 0) return "round_wake";
    if (cpu > 0) return "completion_time";
    if (cf->completion_cpus > 1) return "completion_cpus";
    if (cf->round_stall_above > 0) return "round_stall_above";
    return NULL;
}

/* Checks transfer_order and device_queue against the rest of the
 * configuration (after the bandwidth is known) and opens the position
 * stream. */
static int setup_order(component *c, disk_state *s, conf_errors *errs)
{
    disk_conf *cf = c->conf;
    const char *why = NULL, *field = NULL;
    double wake = sim_dist_mean(&cf->round_wake), cpu = sim_dist_mean(&cf->completion_time);
    if (cf->order != DISK_ORDER_SHARED && s->ns_per_byte <= 0)
        field = "transfer_order", why = "fifo, elevator and rounds need shared_bandwidth or bandwidth_curve";
    else if (cf->order == DISK_ORDER_ROUNDS && s->ncurve == 0)
        field = "transfer_order", why = "rounds needs bandwidth_curve (one point, [[1, B]], for a fixed bandwidth)";
    else if (cf->order != DISK_ORDER_ROUNDS && (field = rounds_field_set(cf, wake, cpu)))
        why = "round_wake, completion_cpus, completion_time and round_stall_above apply to transfer_order "
              "\"rounds\" only";
    else if (!isfinite(wake) || !isfinite(cpu))
        field = isfinite(wake) ? "completion_time" : "round_wake", why = "expected a distribution with a finite mean";
    else if (cf->device_queue > 1 && cf->order != DISK_ORDER_ELEVATOR)
        field = "device_queue", why = "device_queue applies to transfer_order \"elevator\" only";
    else if (cf->order != DISK_ORDER_SHARED && cf->write_weight > 0 && cf->write_weight != 1)
        field = "write_weight", why = "write_weight applies to transfer_order \"shared\" only (one transfer at a "
                                      "time always gets the whole bandwidth)";
    else if (cf->write_share > 0 && cf->write_share < 1 &&
             (cf->order != DISK_ORDER_SHARED || s->ns_per_byte <= 0 || s->gate))
        field = "write_share", why = "write_share needs shared_bandwidth or bandwidth_curve, transfer_order "
                                     "\"shared\" and no journal";
    else if (s->nww > 0 && (cf->order != DISK_ORDER_SHARED || s->ns_per_byte <= 0))
        field = "write_weight_curve", why = "write_weight_curve needs shared_bandwidth or bandwidth_curve, with "
                                            "transfer_order \"shared\"";
    if (why) return comp_field_error(c, errs, field, "%s", why);
    s->order = cf->order;
    s->write_share = cf->write_share > 0 ? cf->write_share : 1;
    /* a conf filled in by a program may leave it 0: one */
    s->device_queue = cf->order == DISK_ORDER_ELEVATOR && cf->device_queue > 1 ? (size_t)cf->device_queue : 1;
    if (s->order == DISK_ORDER_ELEVATOR && !(s->pos_rng = comp_stream(c, "position"))) return SIM_ENOMEM;
    if (s->order == DISK_ORDER_ROUNDS) {
        if (!(s->round_rng = comp_stream(c, "rounds"))) return SIM_ENOMEM;
        s->cmean = cpu;
        s->ncpu = cf->completion_cpus > 1 ? (size_t)cf->completion_cpus : 1;
        if (!(s->cpu_free = calloc(s->ncpu, sizeof *s->cpu_free))) return SIM_ENOMEM;
    }
    return 0;
}

/* The slow spells: on when spell_every has a mean above 0, and then
 * spell_length must have one too; spell_length or spell_factor without
 * spell_every is refused (it would do nothing). Opens the "spells" stream. */
static int read_spells(component *c, disk_state *s, conf_errors *errs)
{
    disk_conf *cf = c->conf;
    double every = sim_dist_mean(&cf->spell_every), len = sim_dist_mean(&cf->spell_length);
    const char *field = NULL, *why = NULL;
    if (every > 0 && !(len > 0)) field = "spell_length", why = "spell_every needs a spell_length above 0";
    else if (!(every > 0) && (len > 0 || (cf->spell_factor > 0 && cf->spell_factor != 1)))
        field = len > 0 ? "spell_length" : "spell_factor", why = "a spell needs spell_every (the time between spells)";
    else if (!isfinite(every) || !isfinite(len)) field = "spell_every", why = "spells need a finite mean time and length";
    if (why) return comp_field_error(c, errs, field, "%s", why);
    if (every > 0 && !(s->spell_rng = comp_stream(c, "spells"))) return SIM_ENOMEM;
    if (cf->spell_factor <= 0) cf->spell_factor = 1; /* a conf filled in by a program may leave it 0 */
    return 0;
}

/* The fraction of d at or below t: where d's quantile function, which is
 * nondecreasing, passes t, found by bisection to within 2^-60. */
static double fraction_at_or_below(const sim_dist *d, double t)
{
    double lo = 0, hi = 1;
    for (int i = 0; i < 60; i++) {
        double mid = 0.5 * (lo + hi);
        if (sim_dist_quantile(d, mid) <= t) lo = mid;
        else hi = mid;
    }
    return lo;
}

/* write_tail_above and its companions: refused without a curve, or when
 * the tail is empty or is all of `write`; a companion set to other than
 * its default without write_tail_above (or a boost without follows
 * reads) is refused. Sets tail_q (1: off). */
static int read_write_tail(component *c, disk_state *s, conf_errors *errs)
{
    disk_conf *cf = c->conf;
    s->tail_q = 1;
    /* A companion set to other than its default, without what it
     * modifies, would be silently ignored: refused. Defaults pass, so that
     * `cdnsim show`, which prints every field, gives a valid scenario. */
    if (cf->write_tail_above <= 0) {
        if (cf->write_tail_bw > 0)
            return comp_field_error(c, errs, "write_tail_bandwidth", "write_tail_bandwidth needs write_tail_above");
        if (cf->write_tail_window != 0 && cf->write_tail_window != DISK_TAIL_WINDOW_DEFAULT_MS * 1000000)
            return comp_field_error(c, errs, "write_tail_window", "write_tail_window needs write_tail_above");
        if (cf->write_tail_follows != DISK_TAIL_THROUGHPUT)
            return comp_field_error(c, errs, "write_tail_follows", "write_tail_follows needs write_tail_above");
    }
    if (cf->write_tail_follows != DISK_TAIL_READS && cf->write_tail_read_boost != 0 &&
        cf->write_tail_read_boost != DISK_TAIL_BOOST_DEFAULT)
        return comp_field_error(c, errs, "write_tail_read_boost",
                                "write_tail_read_boost needs write_tail_follows \"reads\"");
    if (cf->write_tail_above <= 0) return 0;
    if (s->ncurve == 0)
        return comp_field_error(c, errs, "write_tail_above", "write_tail_above needs bandwidth_curve");
    double q = fraction_at_or_below(&cf->write, (double)cf->write_tail_above);
    s->write_mean = sim_dist_mean(&cf->write);
    if (!(s->write_mean > 0) || !isfinite(s->write_mean))
        return comp_field_error(c, errs, "write", "write_tail_above needs a `write` with a finite mean above 0");
    /* a tail of less than a billionth of the writes is none (a
     * distribution without an end, such as the lognormal, never quite
     * reaches 1) */
    if (!(q > 1e-9 && q < 1 - 1e-9))
        return comp_field_error(c, errs, "write_tail_above", "write_tail_above must fall inside `write`: %s",
                                q > 1e-9 ? "no write time is above it" : "every write time is above it");
    s->tail_q = q;
    s->tail_window = cf->write_tail_window > 0 ? (double)cf->write_tail_window : DISK_TAIL_WINDOW_DEFAULT_MS * 1e6;
    return 0;
}

/* The disk's station (channels and queue) with conf sc; a conf without a
 * channel is reported at the component. */
static int init_station(component *c, disk_state *s, const station_conf *sc, conf_errors *errs)
{
    int rc = station_init(&s->st, c->env->eng, sc, c->rng, disk_access_done, c);
    if (rc == SIM_EINVAL) {
        conf_error_at(errs, c->env->doc, c->node, c->jpath, "expected at least one channel");
        return SIM_EPARSE;
    }
    return rc;
}

static int disk_create(component *c, conf_errors *errs)
{
    disk_conf *cf = c->conf;
    disk_state *s = calloc(1, sizeof *s);
    if (!s) return SIM_ENOMEM;
    c->state = s;
    s->slowness = s->spell = 1.0;
    int rc = read_spells(c, s, errs);
    if (rc != 0) return rc;
    rc = read_curves(c, s, errs);
    if (rc != 0) return rc;
    /* a write's share of the shared bandwidth (used when there is one) */
    s->write_w = s->nww > 0 ? s->ww_w[0] : cf->write_weight > 0 ? cf->write_weight : 1;
    if (s->ncurve > 0) {
        if (sim_dist_mean(&cf->journal) > 0)
            return comp_field_error(c, errs, "journal", "journal cannot be combined with bandwidth_curve (use 0)");
        /* The station only queues (0 ns per request); disk_access_done
         * draws the request's time and turns it into shared work. */
        s->ns_per_byte = 1e9 / curve_bw(s, 1);
        station_conf sc = cf->base.st;
        sc.per_byte_ns = 0;
        sim_dist_const(&sc.service, 0);
        rc = init_station(c, s, &sc, errs);
        sim_dist_free(&sc.service);
        if (rc != 0) return rc;
        c->st = &s->st;
        rc = setup_order(c, s, errs);
        return rc ? rc : read_write_tail(c, s, errs);
    }
    if (cf->shared_bw > 0) {
        s->ns_per_byte = 1e9 / cf->shared_bw;
        /* The station's time is the access part: the drawn lone-request
         * time minus the transfer, floored at 0 by the station. */
        cf->base.st.per_byte_ns = -s->ns_per_byte;
    } else {
        cf->base.st.per_byte_ns = station_ns_per_byte(cf->base.bandwidth);
    }
    rc = init_station(c, s, &cf->base.st, errs);
    if (rc != 0) return rc;
    /* PUTs draw their time from `write`, everything else from `access`. */
    s->st.op_service[REQ_PUT] = &cf->write;
    double jmean = sim_dist_mean(&cf->journal);
    if (!isfinite(jmean))
        return comp_field_error(c, errs, "journal", "journal needs a finite mean (it caps the disk at 1 / mean "
                                "writes/s)");
    if (jmean > 0 && !(s->journal_rng = comp_stream(c, "journal"))) return SIM_ENOMEM;
    if (jmean > 0 && s->ns_per_byte > 0) {
        /* a write holds a channel for max(0, write - mean J), then passes
         * the gate: it transfers J x B bytes (J drawn for each write, or
         * the constant), alone through the gate, sharing B with the reads
         * in progress by its weight */
        s->gate = true;
        s->gate_bytes = jmean / s->ns_per_byte;
        if (cf->journal.kind != SIM_DIST_CONST) s->jdist = &cf->journal;
        s->st.op_no_per_byte[REQ_PUT] = true;
        s->st.op_shift_ns[REQ_PUT] = -jmean;
    } else if (jmean > 0) {
        station_conf jc = { .servers = 1, .queue_limit = -1, .service = cf->journal };
        rc = station_init(&s->journal, c->env->eng, &jc, s->journal_rng, disk_journal_done, c);
        s->has_journal = true; /* freeable even when the init failed */
        if (rc != 0) return rc;
        s->st.op_shift_ns[REQ_PUT] = -jmean;
    }
    c->st = &s->st;
    rc = setup_order(c, s, errs);
    return rc ? rc : read_write_tail(c, s, errs);
}

/* ns per byte of the device while s->n transfers are in progress and s->np
 * wait for them (one at a time: the curve counts both), and under rounds
 * s->nheld are done but not answered. */
static double cur_ns_per_byte(const disk_state *s)
{
    return s->ncurve > 0 ? 1e9 / curve_bw(s, (double)(s->n + s->np + s->ahead.n + s->behind.n + s->nheld))
                         : s->ns_per_byte;
}

/* Brings the virtual clock to now (at the rate of the s->n transfers that
 * were in progress since it was last advanced). */
static void advance(component *c, disk_state *s)
{
    sim_time_t now = c->env->eng->now;
    sim_time_t from = s->vt > s->paused_until ? s->vt : s->paused_until; /* a stall moves nothing */
    if (s->n > 0 && now > from) s->v += (double)(now - from) / (cur_ns_per_byte(s) * s->slowness * s->wsum);
    s->vt = now;
}

/* The transfers in progress are a binary min-heap on (end, seq) in
 * x[0..n): x[0] ends first. All of them gain V at the same rate, so their
 * order never changes while they share the device; only adding and
 * removing move entries. */
static bool xfer_before(const xfer *a, const xfer *b)
{
    return a->end < b->end || (a->end == b->end && a->seq < b->seq);
}

SIM_HEAP_DEFINE(xheap, xfer, xfer_before)

/* With write_weight_curve: gives every write in progress the weight for the
 * number of transfers now in progress. A write keeps the bytes it has
 * received, so its end on the virtual clock moves; the total weight is
 * summed again (no drift) and the heap restored. Call after advance(). */
static void reweigh(disk_state *s)
{
    if (s->nww == 0 || s->n == 0) return;
    double w = interp(s->ww_n, s->ww_w, s->nww, (double)s->n);
    if (w == s->write_w) return;
    double sum = 0;
    for (size_t i = 0; i < s->n; i++) {
        xfer *x = &s->x[i];
        if (x->r->op == REQ_PUT) {
            x->end = s->v + (x->end - s->v) * x->w / w;
            x->w = w;
        }
        sum += x->w;
    }
    s->wsum = sum;
    s->write_w = w;
    xheap_heapify(s->x, s->n);
}

static void reschedule(component *c, disk_state *s)
{
    sim_engine *eng = c->env->eng;
    if (sim_event_pending(s->ev)) sim_cancel(eng, s->ev);
    s->ev = (sim_event_ref){ 0 };
    if (s->n == 0) return;
    double left = s->x[0].end - s->v;
    double ns = left > 0 ? ceil(left * cur_ns_per_byte(s) * s->slowness * s->wsum) : 0;
    sim_time_t wait = s->paused_until > eng->now ? s->paused_until - eng->now : 0;
    s->ev = sim_schedule(eng, wait + sim_time_from_ns(ns), disk_xfer_end, c, NULL, 0);
}

/* The device is done with r's data: a write goes on to the journal, the
 * rest is answered. */
static void disk_finish(component *c, request *r)
{
    disk_state *s = c->state;
    if (s->has_journal && r->op == REQ_PUT && station_arrive(&s->journal, r) == 0) return;
    comp_respond(c, r, req_response_bytes(r));
}

static void disk_journal_done(void *owner, request *r)
{
    component *c = owner;
    comp_respond(c, r, req_response_bytes(r));
}

/* Adds r's transfer of `bytes` to those in progress. On out of memory r
 * fails, the run is stopped (comp_out_of_memory) and false is returned. */
static bool xfer_add(component *c, request *r, double bytes)
{
    disk_state *s = c->state;
    advance(c, s);
    if (!xheap_reserve(&s->x, &s->cap, s->n)) {
        comp_out_of_memory(c);
        r->status = REQ_FAILED;
        comp_respond(c, r, 0);
        return false;
    }
    double w = r->op == REQ_PUT ? s->write_w : 1;
    xheap_push(s->x, &s->n, (xfer){ r, s->v + bytes / w, w, ++s->xfers_added });
    s->wsum += w;
    reweigh(s);
    reschedule(c, s);
    return true;
}

/* The journal's gate and the requests held for their round wait in lists
 * linked through qnext: appends r at the tail. */
static void qlist_append(request **head, request **tail, request *r)
{
    r->qnext = NULL;
    if (*tail) (*tail)->qnext = r;
    else *head = r;
    *tail = r;
}

/* Drops every request of the list (a crash) and empties it. */
static void qlist_drop(component *c, request **head, request **tail)
{
    for (request *r = *head; r;) {
        request *next = r->qnext;
        r->qnext = NULL;
        comp_drop(c, r);
        r = next;
    }
    *head = *tail = NULL;
}

/* Entry i of the ring of waiting transfers (0: the oldest still there). */
static pend *pend_at(const disk_state *s, size_t i)
{
    return &s->p[(s->pfirst + i) & (s->pcap - 1)];
}

/* Appends e to the ring, growing it. Returns false on out of memory. */
static bool ring_push(disk_state *s, pend e)
{
    if (s->np == s->pcap) { /* grow the ring, its entries in order from 0 */
        size_t cap = s->pcap ? 2 * s->pcap : 16;
        pend *np = malloc(cap * sizeof *np);
        if (!np) return false;
        for (size_t i = 0; i < s->np; i++) np[i] = *pend_at(s, i);
        free(s->p);
        s->p = np;
        s->pcap = cap;
        s->pfirst = 0;
    }
    *pend_at(s, s->np++) = e;
    return true;
}

static bool pend_before(const pend *a, const pend *b)
{
    return a->pos < b->pos || (a->pos == b->pos && a->arrived < b->arrived);
}

SIM_HEAP_DEFINE(pheap_v, pend, pend_before)

/* Adds e to heap h, growing it. Returns false on out of memory. */
static bool pheap_push(pheap *h, pend e)
{
    if (!pheap_v_reserve(&h->v, &h->cap, h->n)) return false;
    pheap_v_push(h->v, &h->n, e);
    return true;
}

/* Fills the device (one at a time) while it holds fewer than device_queue.
 * Under fifo the ring holds the taken transfers first, then the others,
 * each in arrival order, so taking is counting. The elevator takes the
 * lowest position at or ahead of the head (the last position taken), and
 * when there is none, wraps to the lowest of all (C-SCAN): a heap of those
 * ahead and one of those behind, swapped at the wrap (everything behind
 * the old head is ahead of the new one, the lowest). A taken transfer goes
 * to the back of the ring; if the ring cannot grow, its request fails. */
static void fill_device(component *c, disk_state *s)
{
    if (s->order != DISK_ORDER_ELEVATOR) { /* fifo, rounds */
        size_t most = s->np < s->device_queue ? s->np : s->device_queue;
        if (s->ndev < most) s->ndev = most;
        return;
    }
    while (s->ndev < s->device_queue) {
        if (s->ahead.n == 0) {
            pheap t = s->ahead;
            s->ahead = s->behind;
            s->behind = t;
        }
        if (s->ahead.n == 0) return;
        pend e = pheap_v_pop(s->ahead.v, &s->ahead.n);
        s->head = e.pos;
        if (!ring_push(s, e)) {
            comp_out_of_memory(c);
            e.r->status = REQ_FAILED;
            comp_respond(c, e.r, 0);
            continue;
        }
        s->ndev++;
    }
}

/* ---- transfer_order rounds ---------------------------------------------- */

static void round_answered(sim_engine *eng, sim_event *ev);

/* Schedules the open round's close, round_wake from now. Out of memory:
 * the engine records it and stops the run. */
static void round_schedule_close(component *c, disk_state *s)
{
    disk_conf *cf = c->conf;
    s->wake = sim_schedule(c->env->eng, sim_dist_sample_time(&cf->round_wake, s->round_rng), round_close, c, NULL, 0);
}

/* A request has joined the open round (its transfer is queued), with the
 * stall it drew (0: none), which the round keeps if the request is its
 * first. The close is scheduled unless it already is, or a closed round
 * has yet to be answered (the close then follows that answer). */
static void round_join(component *c, disk_state *s, sim_time_t stall)
{
    if (s->open_n == 0) s->open_stall = stall;
    s->open_n++;
    if (!s->closed && !sim_event_pending(s->wake)) round_schedule_close(c, s);
}

/* Sends r, one of a round's answers, through the completion CPUs: the
 * first one free takes it for completion_time (FIFO). */
static void round_answer_one(component *c, disk_state *s, request *r)
{
    disk_conf *cf = c->conf;
    sim_time_t now = c->env->eng->now;
    size_t best = 0;
    for (size_t i = 1; i < s->ncpu; i++)
        if (s->cpu_free[i] < s->cpu_free[best]) best = i;
    sim_time_t start = s->cpu_free[best] > now ? s->cpu_free[best] : now;
    s->cpu_free[best] = start + sim_dist_sample_time(&cf->completion_time, s->round_rng);
    sim_schedule(c->env->eng, s->cpu_free[best] - now, round_answered, c, r, s->epoch);
}

/* The closed round's transfers have all ended: its requests, the first
 * closed_n held, are answered in random order, and the open round's close
 * is scheduled if it has requests. The answers leave the device's count
 * (B(n) changes), so the clock is brought up to now first. If the scratch
 * array cannot grow, they are answered in order, and the run is stopped
 * (comp_out_of_memory): that order is not the model's. */
static void round_answer(component *c, disk_state *s)
{
    advance(c, s);
    size_t k = s->closed_n;
    s->closed = false;
    s->closed_n = 0;
    s->rounds++;
    s->round_reqs += k;
    bool shuffle = k <= s->answers_cap;
    if (!shuffle) {
        size_t cap = s->answers_cap ? s->answers_cap : 16;
        while (cap < k) cap *= 2;
        request **a = realloc(s->answers, cap * sizeof *a);
        if (a) s->answers = a, s->answers_cap = cap, shuffle = true;
        else comp_out_of_memory(c);
    }
    size_t n = 0; /* taken from the held list: k, unless it holds fewer */
    for (; n < k && s->held_head; n++) {
        request *r = s->held_head;
        s->held_head = r->qnext;
        r->qnext = NULL;
        s->nheld--;
        if (shuffle) s->answers[n] = r;
        else round_answer_one(c, s, r);
    }
    if (!s->held_head) s->held_tail = NULL;
    if (shuffle) {
        /* gsl_ran_shuffle counts down from n - 1: n = 0 would wrap */
        if (n > 1) gsl_ran_shuffle(s->round_rng, s->answers, n, sizeof *s->answers);
        for (size_t i = 0; i < n; i++) round_answer_one(c, s, s->answers[i]);
    }
    if (s->open_n > 0) round_schedule_close(c, s);
    reschedule(c, s);
}

/* Under rounds, a transfer has ended: r is held until its round is
 * answered. r NULL: the request failed before its transfer (out of
 * memory) and only leaves its round. The first closed_left to end belong
 * to the closed round (transfers end in arrival order). */
static void round_ended(component *c, disk_state *s, request *r)
{
    bool in_closed = s->closed && s->closed_left > 0;
    if (r) {
        qlist_append(&s->held_head, &s->held_tail, r);
        s->nheld++;
    }
    if (in_closed) {
        if (!r) s->closed_n--;
        if (--s->closed_left == 0) round_answer(c, s);
    } else if (r) {
        s->open_done++;
    } else if (s->open_n > 0) {
        s->open_n--;
    }
}

/* The open round's close: it takes the requests that arrived so far. If
 * all their transfers have already ended it is answered at once. */
static void round_close(sim_engine *eng, sim_event *ev)
{
    component *c = ev->target;
    disk_state *s = c->state;
    s->wake = (sim_event_ref){ 0 };
    if (s->open_n == 0) return; /* its only requests failed */
    s->closed = true;
    s->closed_n = s->open_n;
    s->closed_left = s->open_n - s->open_done;
    s->open_n = s->open_done = 0;
    if (s->open_stall > 0) { /* the device stalls from now: nothing moves */
        advance(c, s);
        sim_time_t from = s->paused_until > eng->now ? s->paused_until : eng->now;
        s->paused_until = from + s->open_stall;
        s->stalls++;
        s->stall_ns += s->open_stall;
        s->open_stall = 0;
        reschedule(c, s);
    }
    if (s->closed_left == 0) round_answer(c, s);
}

/* An answer has had its CPU time; one scheduled before a crash is dropped. */
static void round_answered(sim_engine *eng, sim_event *ev)
{
    (void)eng;
    component *c = ev->target;
    disk_state *s = c->state;
    request *r = ev->arg;
    if (ev->data != s->epoch) comp_drop(c, r);
    else disk_finish(c, r);
}

/* Starts the device's next transfer (one at a time), the one it took first,
 * if none is in progress: the front of the ring. */
static void next_transfer(component *c, disk_state *s)
{
    while (s->n == 0 && s->ndev > 0 && s->np > 0) {
        pend e = *pend_at(s, 0);
        s->pfirst = (s->pfirst + 1) & (s->pcap - 1);
        s->np--;
        if (!xfer_add(c, e.r, e.bytes)) { /* r failed: the device no longer holds it */
            if (s->order == DISK_ORDER_ROUNDS) round_ended(c, s, NULL);
            s->ndev--;
            fill_device(c, s);
        }
    }
}

/* With write_share: how many of the writes at the disk (transferring or
 * waiting) may transfer at once, round(share x writes), at least one. */
static size_t write_limit(const disk_state *s)
{
    size_t k = (size_t)floor(s->write_share * (double)(s->act_w + s->np) + 0.5);
    return k < 1 ? 1 : k;
}

/* With write_share: starts the waiting writes, in arrival order, while
 * fewer than write_limit transfer. */
static void admit_writes(component *c, disk_state *s)
{
    advance(c, s); /* np is about to change, and with it a curve's B(n) */
    while (s->np > 0 && s->act_w < write_limit(s)) {
        pend e = *pend_at(s, 0);
        s->pfirst = (s->pfirst + 1) & (s->pcap - 1);
        s->np--;
        if (xfer_add(c, e.r, e.bytes)) s->act_w++;
    }
}

/* Starts r's transfer of `bytes`: at once under sharing (a write with
 * write_share below 1 when few enough writes transfer), else after the
 * transfers ahead of it. On out of memory r fails, the run is stopped
 * (comp_out_of_memory) and false is returned. */
static bool xfer_start(component *c, request *r, double bytes)
{
    disk_state *s = c->state;
    if (s->order == DISK_ORDER_SHARED && (r->op != REQ_PUT || s->write_share >= 1)) {
        bool ok = xfer_add(c, r, bytes);
        if (ok && r->op == REQ_PUT) s->act_w++;
        return ok;
    }
    if (s->ncurve > 0) advance(c, s); /* under a curve the speed changes with np */
    double pos = s->pos_rng ? gsl_rng_uniform(s->pos_rng) : 0;
    pend e = { r, bytes, pos, ++s->arrivals };
    bool ok = s->order != DISK_ORDER_ELEVATOR ? ring_push(s, e)
                                              : pheap_push(pos >= s->head ? &s->ahead : &s->behind, e);
    if (!ok) {
        comp_out_of_memory(c);
        r->status = REQ_FAILED;
        comp_respond(c, r, 0);
        return false;
    }
    if (s->order == DISK_ORDER_SHARED) { /* a write, with write_share: it waits its turn in p */
        admit_writes(c, s);
        if (s->ncurve > 0) reschedule(c, s);
        return true;
    }
    fill_device(c, s);
    if (s->n == 0) next_transfer(c, s);
    else if (s->ncurve > 0) reschedule(c, s); /* without a curve the transfer's end has not moved */
    return true;
}

/* Lets the first waiting write through the gate, if it is free. */
static void gate_next(component *c)
{
    disk_state *s = c->state;
    while (!s->gate_busy && s->gq_head) {
        request *r = s->gq_head;
        s->gq_head = r->qnext;
        if (!s->gq_head) s->gq_tail = NULL;
        r->qnext = NULL;
        double bytes = s->gate_bytes;
        if (s->jdist) {
            double t = sim_dist_sample(s->jdist, s->journal_rng);
            bytes = t > 0 ? t / s->ns_per_byte : 0;
        }
        s->gate_busy = xfer_start(c, r, bytes);
    }
}

/* The ns since the start weighted like the bytes, e^(-age / window) each:
 * the throughput average is tail_bytes over it (aged to the same time). */
static double tail_weight(const disk_state *s)
{
    return s->tail_window * -expm1(-(double)s->tail_t / s->tail_window);
}

/* Ages the throughput average to now. */
static void tail_age(disk_state *s, sim_time_t now)
{
    if (now <= s->tail_t) return;
    double f = exp(-(double)(now - s->tail_t) / s->tail_window);
    s->tail_bytes *= f;
    s->tail_read_bytes *= f;
    s->tail_t = now;
}

/* A lone write time for r under write_tail_above: from the tail (above
 * quantile tail_q) with probability p x R / R0, capped at 1, else from the
 * rest, both by inverting `write`'s quantile function with one uniform. */
static double draw_write(component *c, disk_state *s, const request *r)
{
    const disk_conf *cf = c->conf;
    tail_age(s, c->env->eng->now);
    double p = 1 - s->tail_q, pt;
    if (cf->write_tail_follows == DISK_TAIL_READS) {
        pt = p * (1 + cf->write_tail_read_boost * (s->tail_bytes > 0 ? s->tail_read_bytes / s->tail_bytes : 0));
    } else {
        double ref = cf->write_tail_bw > 0 ? cf->write_tail_bw / 1e9 : (double)r->size / s->write_mean; /* bytes/ns */
        double w = tail_weight(s);
        pt = w > 0 && ref > 0 ? p * (s->tail_bytes / w) / ref : p;
    }
    if (pt > 1) pt = 1;
    double u = gsl_rng_uniform(c->rng), at;
    s->write_draws++;
    if (u < pt) {
        s->tail_draws++;
        at = s->tail_q + u / pt * p;
    } else {
        at = (u - pt) / (1 - pt) * s->tail_q;
    }
    return sim_dist_quantile(&cf->write, at < 1 ? at : nextafter(1.0, 0.0));
}

static void disk_access_done(void *owner, request *r)
{
    component *c = owner;
    disk_state *s = c->state;
    if (s->ns_per_byte <= 0) {
        disk_finish(c, r);
        return;
    }
    if (s->ncurve > 0) {
        disk_conf *cf = c->conf;
        const sim_dist *d = r->op == REQ_PUT ? &cf->write : &cf->base.st.service;
        double t = r->op == REQ_PUT && s->tail_q < 1 ? draw_write(c, s, r) : sim_dist_sample(d, c->rng), stall = 0;
        if (cf->round_stall_above > 0 && t > (double)cf->round_stall_above) {
            double body = t;
            for (int i = 0; i < 20 && body > (double)cf->round_stall_above; i++) body = sim_dist_sample(d, c->rng);
            if (body > (double)cf->round_stall_above) body = (double)cf->round_stall_above;
            stall = t - body;
            t = body;
        }
        t -= s->cmean;
        /* t x B(1) bytes */
        if (xfer_start(c, r, t > 0 ? t / s->ns_per_byte : 0) && s->order == DISK_ORDER_ROUNDS)
            round_join(c, s, (sim_time_t)stall);
        return;
    }
    if (s->gate && r->op == REQ_PUT) {
        qlist_append(&s->gq_head, &s->gq_tail, r);
        gate_next(c);
        return;
    }
    xfer_start(c, r, (double)r->size);
}

static void disk_xfer_end(sim_engine *eng, sim_event *ev)
{
    (void)eng;
    component *c = ev->target;
    disk_state *s = c->state;
    s->ev = (sim_event_ref){ 0 };
    advance(c, s);
    xfer done = xheap_pop(s->x, &s->n);
    request *r = done.r;
    s->wsum -= done.w;
    if (s->n == 0) s->v = s->wsum = 0; /* keeps V small: precision does not decay over a long run */
    s->transfers++;
    if (s->tail_q < 1) {
        tail_age(s, c->env->eng->now);
        s->tail_bytes += (double)r->size;
        if (r->op != REQ_PUT) s->tail_read_bytes += (double)r->size;
    }
    reweigh(s);
    if (s->order == DISK_ORDER_ROUNDS) {
        round_ended(c, s, r); /* held: it still counts in B(n) */
        s->ndev--;
        fill_device(c, s);
        next_transfer(c, s);
        reschedule(c, s);
        return;
    }
    reschedule(c, s);
    if (s->order != DISK_ORDER_SHARED) {
        s->ndev--;
        fill_device(c, s);
        next_transfer(c, s);
    } else if (r->op == REQ_PUT && s->act_w > 0) {
        s->act_w--;
        if (s->write_share < 1) admit_writes(c, s);
    }
    if (s->gate && r->op == REQ_PUT) {
        s->gate_busy = false;
        gate_next(c);
    }
    disk_finish(c, r);
}

static void disk_on_request(component *c, request *r)
{
    disk_state *s = c->state;
    if (station_arrive(&s->st, r) != 0) {
        r->status = REQ_REJECTED;
        comp_respond(c, r, 0);
    }
}

static void disk_on_response(component *c, request *r, const req_hop *hop)
{
    (void)hop;
    comp_respond(c, r, req_response_bytes(r));
}

static void disk_drop(void *owner, request *r) { comp_drop(owner, r); }

static void disk_crash(component *c)
{
    disk_state *s = c->state;
    station_drop_all(&s->st, disk_drop);
    if (s->has_journal) station_drop_all(&s->journal, disk_drop);
    if (sim_event_pending(s->ev)) sim_cancel(c->env->eng, s->ev);
    s->ev = (sim_event_ref){ 0 };
    size_t n = s->n;
    s->n = 0;
    s->v = 0;
    s->wsum = 0;
    s->gate_busy = false;
    qlist_drop(c, &s->gq_head, &s->gq_tail);
    for (size_t i = 0; i < n; i++) comp_drop(c, s->x[i].r);
    size_t np = s->np;
    s->np = s->ndev = 0;
    s->head = 0;
    for (size_t i = 0; i < np; i++) comp_drop(c, pend_at(s, i)->r);
    s->pfirst = 0;
    pheap *hs[2] = { &s->ahead, &s->behind };
    for (int k = 0; k < 2; k++) {
        size_t nh = hs[k]->n;
        hs[k]->n = 0;
        for (size_t i = 0; i < nh; i++) comp_drop(c, hs[k]->v[i].r);
    }
    /* rounds: the held requests are dropped now, those on a completion CPU
     * when their answer falls due (the epoch has moved on) */
    if (sim_event_pending(s->wake)) sim_cancel(c->env->eng, s->wake);
    s->wake = (sim_event_ref){ 0 };
    qlist_drop(c, &s->held_head, &s->held_tail);
    s->nheld = s->open_n = s->open_done = s->closed_n = s->closed_left = 0;
    s->open_stall = s->paused_until = 0;
    s->act_w = 0;
    s->closed = false;
    s->epoch++;
    for (size_t i = 0; i < s->ncpu; i++) s->cpu_free[i] = 0;
}

/* Puts the disk at the speed of c->slow (faults) times the spell's factor:
 * services that start from now on take that much longer, and transfers in
 * progress keep what they received at the old speed (s->slowness, which
 * the clock is brought up to now with first) and get the rest at the new
 * one. */
static void apply_slowness(component *c, disk_state *s)
{
    double f = c->slow * s->spell;
    station_set_slow(&s->st, f);
    if (s->has_journal) station_set_slow(&s->journal, f);
    if (s->ns_per_byte > 0) advance(c, s);
    s->slowness = f;
    if (s->ns_per_byte > 0) reschedule(c, s);
}

/* comp_set_slow has set c->slow and the station's factor (without the
 * spell's) before calling this. */
static void disk_set_slow(component *c, double factor)
{
    (void)factor;
    apply_slowness(c, c->state);
}

/* A spell begins or ends; the next change is scheduled from the disk's
 * "spells" stream: the spell's length, or the time until the next one. */
static void disk_spell(sim_engine *eng, sim_event *ev)
{
    component *c = ev->target;
    disk_state *s = c->state;
    disk_conf *cf = c->conf;
    bool begin = !s->spell_in;
    if (begin) {
        s->spells++;
        s->spell_began = eng->now;
    } else {
        s->spell_ns += eng->now - s->spell_began;
    }
    s->spell_in = begin;
    s->spell = begin ? cf->spell_factor : 1.0;
    apply_slowness(c, s);
    sim_time_t next = sim_dist_sample_time(begin ? &cf->spell_length : &cf->spell_every, s->spell_rng);
    sim_schedule(eng, next, disk_spell, c, NULL, 0); /* out of memory: the engine records it and stops */
}

static int disk_start(component *c)
{
    disk_state *s = c->state;
    disk_conf *cf = c->conf;
    if (!s->spell_rng) return 0;
    sim_event_ref r = sim_schedule(c->env->eng, sim_dist_sample_time(&cf->spell_every, s->spell_rng), disk_spell, c,
                                   NULL, 0);
    return r.ev ? 0 : SIM_ENOMEM;
}

static void disk_reset_stats(component *c)
{
    disk_state *s = c->state;
    s->transfers = 0;
    s->rounds = s->round_reqs = s->stalls = 0;
    s->tail_draws = s->write_draws = 0;
    s->stall_ns = 0;
    s->spells = s->spell_in ? 1 : 0;
    s->spell_ns = 0;
    if (s->spell_in) s->spell_began = c->env->eng->now;
    if (s->has_journal) station_reset_stats(&s->journal);
}

static void disk_report(component *c, cJSON *o)
{
    disk_state *s = c->state;
    const disk_conf *cf = c->conf;
    comp_json_num(o, "servers", (double)s->st.servers, "%.0f");
    comp_json_latency(o, "wait_ms", &s->st.wait);
    if (s->ns_per_byte > 0) comp_json_num(o, "shared_bandwidth_transfers", (double)s->transfers, "%.0f");
    if (s->order == DISK_ORDER_ROUNDS) {
        comp_json_num(o, "rounds", (double)s->rounds, "%.0f");
        comp_json_num(o, "round_size_mean", s->rounds ? (double)s->round_reqs / (double)s->rounds : 0, "%.4f");
        if (cf->round_stall_above > 0) {
            comp_json_num(o, "round_stalls", (double)s->stalls, "%.0f");
            comp_json_num(o, "round_stall_s", (double)s->stall_ns / 1e9, "%.6f");
        }
    }
    if (s->has_journal) {
        comp_json_num(o, "journal_utilization", station_utilization(&s->journal), "%.6f");
        comp_json_latency(o, "journal_wait_ms", &s->journal.wait);
    }
    if (s->tail_q < 1) {
        comp_json_num(o, "write_tail_q", s->tail_q, "%.6f");
        comp_json_num(o, "write_tail_draws", (double)s->tail_draws, "%.0f");
        comp_json_num(o, "write_tail_share", s->write_draws ? (double)s->tail_draws / (double)s->write_draws : 0,
                      "%.6f");
    }
    if (s->spell_rng) {
        sim_time_t in = s->spell_ns + (s->spell_in ? c->env->eng->now - s->spell_began : 0);
        comp_json_num(o, "spells", (double)s->spells, "%.0f");
        comp_json_num(o, "spell_s", (double)in / 1e9, "%.6f");
    }
}

static void disk_free(component *c)
{
    disk_state *s = c->state;
    if (!s) return;
    station_free(&s->st);
    if (s->has_journal) station_free(&s->journal);
    free(s->x);
    free(s->p);
    free(s->ahead.v);
    free(s->behind.v);
    if (s->pos_rng) gsl_rng_free(s->pos_rng);
    if (s->round_rng) gsl_rng_free(s->round_rng);
    free(s->answers);
    free(s->cpu_free);
    if (s->journal_rng) gsl_rng_free(s->journal_rng);
    if (s->spell_rng) gsl_rng_free(s->spell_rng);
    free(s);
    c->state = NULL;
}

static const comp_ops disk_ops = {
    .create = disk_create,
    .start = disk_start,
    .on_request = disk_on_request,
    .on_response = disk_on_response,
    .report = disk_report,
    .free = disk_free,
    .crash = disk_crash,
    .set_slow = disk_set_slow,
    .reset_stats = disk_reset_stats,
};

const comp_kind disk_kind = {
    .name = "disk",
    .help = "disk: access (read) or write (PUT) time + size / bandwidth, `channels` in parallel, FIFO queue; "
            "optionally a shared device bandwidth and a journal that serialises writes",
    .fields = disk_fields,
    .conf_size = sizeof(disk_conf),
    .ops = &disk_ops,
    .flags = COMP_KIND_LOCAL,
};
