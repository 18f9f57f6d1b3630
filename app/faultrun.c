/* app/faultrun.c - applying the fault timeline and reporting on it. */
#include "app/faultrun.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/world.h"
#include "models/faults.h"
#include "models/net.h"
#include "sim/errors.h"

typedef struct fault_stat {
    bool started, ended;
    sim_time_t detected;         /* first ejection of a target, or -1 */
    uint64_t arr0, iss0;         /* arrivals at targets + peers, and requests issued, at the start */
    uint64_t arr1, iss1;         /* the same at the end */
    size_t *peers;               /* survivors: the targets' peers (indices into w->comps) */
    size_t npeers;
} fault_stat;

typedef struct fault_run {
    faults fs;
    fault_stat *st;
    fault_action *acts;
    size_t nacts;
    faults_comp *fc;
    bool *active;                /* per fault */
    int *crash_depth;            /* per component */
} fault_run;

/* ---- loading ------------------------------------------------------------- */

static bool contains(const size_t *v, size_t n, size_t x)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == x) return true;
    return false;
}

static int add_unique(size_t **v, size_t *n, size_t x)
{
    if (contains(*v, *n, x)) return 0;
    size_t *nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv) return SIM_ENOMEM;
    nv[(*n)++] = x;
    *v = nv;
    return 0;
}

/* The peers of a fault's targets: members of the same groups, and the
 * other links of the same kind of whoever sends to a target (the other
 * backends of its load balancer). They take the load the targets shed. */
static int find_peers(world *w, const fault *f, fault_stat *st)
{
    for (size_t k = 0; k < f->ntargets; k++) {
        component *t = w->comps[f->targets[k]];
        for (size_t i = 0; i < w->ncomps; i++) {
            component *c = w->comps[i];
            if (c != t && t->group && c->group && !strcmp(c->group, t->group) && !contains(f->targets, f->ntargets, i))
                if (add_unique(&st->peers, &st->npeers, i)) return SIM_ENOMEM;
            bool sends_to_t = false;
            for (size_t l = 0; l < c->nlinks; l++)
                if (c->links[l] == t) sends_to_t = true;
            if (!sends_to_t) continue;
            for (size_t l = 0; l < c->nlinks; l++) {
                component *p = c->links[l];
                if (p != t && p->kind == t->kind && !contains(f->targets, f->ntargets, p->index))
                    if (add_unique(&st->peers, &st->npeers, p->index)) return SIM_ENOMEM;
            }
        }
    }
    return 0;
}

int fault_run_load(world *w, conf_errors *errs)
{
    fault_run *fr = calloc(1, sizeof *fr);
    if (!fr) return SIM_ENOMEM;
    w->faults = fr;
    fr->fc = calloc(w->ncomps ? w->ncomps : 1, sizeof *fr->fc);
    fr->crash_depth = calloc(w->ncomps ? w->ncomps : 1, sizeof *fr->crash_depth);
    if (!fr->fc || !fr->crash_depth) return SIM_ENOMEM;
    for (size_t i = 0; i < w->ncomps; i++) {
        component *c = w->comps[i];
        unsigned can = 0;
        if (!(c->kind->flags & COMP_KIND_SOURCE)) can |= FAULTS_CAN_CRASH;
        if (c->st || c->kind->ops->set_slow) can |= FAULTS_CAN_SLOW;
        if (c->cache || c->kind->ops->flush) can |= FAULTS_CAN_FLUSH;
        fr->fc[i] = (faults_comp){ c->id, c->group, c->kind->name, c->region, can };
    }
    faults_world wd = { fr->fc, w->ncomps, (const char *const *)w->net.names, w->net.n };
    int rc = faults_parse(&fr->fs, &w->scn.doc, w->scn.faults, &wd, errs);
    if (rc == SIM_ENOMEM) return rc;
    size_t n = fr->fs.n;
    fr->st = calloc(n ? n : 1, sizeof *fr->st);
    fr->active = calloc(n ? n : 1, sizeof *fr->active);
    if (!fr->st || !fr->active) return SIM_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        fr->st[i].detected = -1;
        if (find_peers(w, &fr->fs.v[i], &fr->st[i])) return SIM_ENOMEM;
    }
    if (faults_actions(&fr->fs, &fr->acts, &fr->nacts)) return SIM_ENOMEM;
    return rc;
}

void fault_run_free(world *w)
{
    fault_run *fr = w->faults;
    if (!fr) return;
    for (size_t i = 0; fr->st && i < fr->fs.n; i++) free(fr->st[i].peers);
    faults_free(&fr->fs);
    free(fr->st);
    free(fr->acts);
    free(fr->fc);
    free(fr->active);
    free(fr->crash_depth);
    free(fr);
    w->faults = NULL;
}

/* ---- applying ------------------------------------------------------------ */

static uint64_t arrivals(const world *w, const fault *f, const fault_stat *st)
{
    uint64_t a = 0;
    for (size_t i = 0; i < f->ntargets; i++) a += w->comps[f->targets[i]]->requests + w->comps[f->targets[i]]->dropped;
    for (size_t i = 0; i < st->npeers; i++) a += w->comps[st->peers[i]]->requests + w->comps[st->peers[i]]->dropped;
    return a;
}

/* The network's fault state, recomputed from every active fault. */
static void recompute_links(world *w)
{
    fault_run *fr = w->faults;
    net *nt = &w->net;
    size_t n = nt->n;
    for (size_t k = 0; k < n * n; k++) {
        nt->factor[k] = 1.0;
        nt->cut[k] = false;
        nt->loss[k] = 0;
        nt->extra[k] = 0;
    }
    for (size_t i = 0; i < fr->fs.n; i++) {
        const fault *f = &fr->fs.v[i];
        if (!fr->active[i] || f->link[0] < 0) continue;
        size_t a = (size_t)f->link[0];
        if (f->kind == FAULT_PARTITION && f->link[1] < 0) {
            for (size_t x = 0; x < n; x++)
                if (x != a) nt->cut[a * n + x] = nt->cut[x * n + a] = true;
            continue;
        }
        size_t b = (size_t)f->link[1];
        size_t ks[2] = { a * n + b, b * n + a };
        for (int j = 0; j < (a == b ? 1 : 2); j++) {
            size_t k = ks[j];
            if (f->kind == FAULT_PARTITION) nt->cut[k] = true;
            else if (f->kind == FAULT_SLOW) nt->factor[k] *= f->factor;
            else if (f->kind == FAULT_DEGRADE) {
                /* independent losses compose: kept = product of (1 - loss) */
                nt->loss[k] = 1 - (1 - nt->loss[k]) * (1 - f->loss);
                nt->extra[k] += f->delay;
            }
        }
    }
}

static void recompute_slow(world *w, size_t comp)
{
    fault_run *fr = w->faults;
    double factor = 1.0;
    for (size_t i = 0; i < fr->fs.n; i++) {
        const fault *f = &fr->fs.v[i];
        if (fr->active[i] && f->kind == FAULT_SLOW && contains(f->targets, f->ntargets, comp)) factor *= f->factor;
    }
    comp_set_slow(w->comps[comp], factor);
}

static void describe_targets(const world *w, const fault *f, char *buf, size_t len)
{
    size_t k = 0;
    buf[0] = 0;
    if (f->ntargets == 0 && f->link[0] >= 0) {
        snprintf(buf, len, "%s<->%s", w->net.names[f->link[0]], f->link[1] >= 0 ? w->net.names[f->link[1]] : "*");
        return;
    }
    for (size_t i = 0; i < f->ntargets && k + 1 < len; i++) {
        int n = snprintf(buf + k, len - k, "%s%s", i ? ";" : "", w->comps[f->targets[i]]->id);
        if (n < 0) break;
        k += (size_t)n;
    }
}

static void ev_action(sim_engine *eng, sim_event *ev)
{
    world *w = ev->target;
    fault_run *fr = w->faults;
    const fault_action *a = &fr->acts[ev->data];
    const fault *f = &fr->fs.v[a->fault];
    fault_stat *st = &fr->st[a->fault];
    bool begin = !a->end;
    fr->active[a->fault] = begin;
    if (begin) {
        st->started = true;
        bool measuring = eng->now >= w->scn.warmup;
        st->arr0 = measuring ? arrivals(w, f, st) : 0;
        st->iss0 = measuring ? w->all.issued : 0;
    }
    /* the step first, then what it causes (drops, ejections) */
    static const char *const names[FAULT_NKINDS][2] = {
        { "crash", "recover" }, { "slow_start", "slow_end" }, { "partition_start", "partition_end" },
        { "flush", "flush" }, { "degrade_start", "degrade_end" },
    };
    char targets[512];
    describe_targets(w, f, targets, sizeof targets);
    world_event(w, names[f->kind][begin ? 0 : 1], targets, f->label);
    switch (f->kind) {
    case FAULT_CRASH:
        for (size_t i = 0; i < f->ntargets; i++) {
            size_t c = f->targets[i];
            if (begin && fr->crash_depth[c]++ == 0) {
                w->comps[c]->refuse = f->refuse;
                comp_crash(w->comps[c]);
            }
            if (!begin && --fr->crash_depth[c] == 0) {
                comp_recover(w->comps[c]);
                w->comps[c]->refuse = false;
            }
        }
        break;
    case FAULT_SLOW:
        if (f->ntargets == 0) recompute_links(w);
        for (size_t i = 0; i < f->ntargets; i++) recompute_slow(w, f->targets[i]);
        break;
    case FAULT_FLUSH:
        for (size_t i = 0; i < f->ntargets; i++) comp_flush(w->comps[f->targets[i]]);
        fr->active[a->fault] = false;
        break;
    case FAULT_PARTITION:
    case FAULT_DEGRADE:
        recompute_links(w);
        break;
    default:
        break;
    }
    if (!begin || f->kind == FAULT_FLUSH) {
        st->ended = true;
        st->arr1 = arrivals(w, f, st);
        st->iss1 = w->all.issued;
    }
}

int fault_run_start(world *w)
{
    fault_run *fr = w->faults;
    if (!fr) return 0;
    for (size_t i = 0; i < fr->nacts; i++) {
        if (fr->acts[i].t > w->scn.duration) break;
        sim_event_ref r = sim_schedule_at(&w->eng, fr->acts[i].t, ev_action, w, NULL, i);
        if (!r.ev) return SIM_ENOMEM;
    }
    return 0;
}

void fault_run_note(world *w, const char *event, const component *target)
{
    fault_run *fr = w->faults;
    if (!fr || !target || strcmp(event, "health_down") != 0) return;
    for (size_t i = 0; i < fr->fs.n; i++) {
        const fault *f = &fr->fs.v[i];
        fault_stat *st = &fr->st[i];
        if (!st->started || st->detected >= 0 || (f->kind != FAULT_CRASH && f->kind != FAULT_SLOW)) continue;
        if (contains(f->targets, f->ntargets, target->index)) st->detected = w->eng.now;
    }
}

/* ---- reporting ----------------------------------------------------------- */

static long col_of(const ts_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (!strcmp(t->names[i], name)) return (long)i;
    return -1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef struct ts_cols {
    long t, offered, completed, failed, timed_out, rejected, p99;
} ts_cols;

static double cell(const ts_table *t, size_t row, long col)
{
    return col < 0 ? NAN : t->v[row * t->ncols + (size_t)col];
}

/* A window is "back to normal" when its success ratio (completed over
 * offered: a request lost without an answer counts against it too) is at
 * least 90% of the reference and its p99 at most 110% of the reference.
 * An idle window counts as normal. */
static bool window_ok(const ts_table *t, size_t r, const ts_cols *c, double s0, double p0)
{
    double off = cell(t, r, c->offered);
    if (!(off > 0)) return true;
    double s = fmin(1.0, cell(t, r, c->completed) / off);
    double p = cell(t, r, c->p99);
    return s >= 0.9 * s0 && !isnan(p) && p <= 1.1 * p0;
}

/* Fills o with fault idx's report. Returns 0, or SIM_ENOMEM when the
 * reference p99s cannot be sorted (the report would lack them). */
static int report_one(const world *w, size_t idx, cJSON *o)
{
    const fault_run *fr = w->faults;
    const fault *f = &fr->fs.v[idx];
    const fault_stat *st = &fr->st[idx];
    const ts_table *t = &w->ts;
    cJSON_AddStringToObject(o, "label", f->label);
    cJSON_AddStringToObject(o, "kind", fault_kind_names[f->kind]);
    comp_json_num(o, "at_s", sim_time_to_s(f->at), "%.6f");
    if (f->until == FAULT_FOREVER) cJSON_AddNullToObject(o, "until_s");
    else comp_json_num(o, "until_s", sim_time_to_s(f->until), "%.6f");
    cJSON *tg = cJSON_AddArrayToObject(o, "targets");
    for (size_t i = 0; tg && i < f->ntargets; i++) cJSON_AddItemToArray(tg, cJSON_CreateString(w->comps[f->targets[i]]->id));
    if (f->link[0] >= 0) {
        cJSON *l = cJSON_AddArrayToObject(o, "link");
        cJSON_AddItemToArray(l, cJSON_CreateString(w->net.names[f->link[0]]));
        if (f->link[1] >= 0) cJSON_AddItemToArray(l, cJSON_CreateString(w->net.names[f->link[1]]));
    }
    if (!st->started) {
        cJSON_AddBoolToObject(o, "happened", false);
        return 0;
    }
    if (st->detected >= 0) comp_json_num(o, "time_to_detect_s", sim_time_to_s(st->detected - f->at), "%.6f");
    else cJSON_AddNullToObject(o, "time_to_detect_s");

    ts_cols c = { col_of(t, "t_s"), col_of(t, "offered"), col_of(t, "completed"), col_of(t, "failed"),
                  col_of(t, "timed_out"), col_of(t, "rejected"), col_of(t, "p99_ms") };
    double win = sim_time_to_s(w->window), at = sim_time_to_s(f->at), warm = sim_time_to_s(w->scn.warmup);
    double until = f->until == FAULT_FOREVER ? INFINITY : sim_time_to_s(f->until);
    /* reference: the windows wholly between the warm-up and the fault */
    double ok = 0, fin = 0;
    double *p99s = malloc((t->nrows ? t->nrows : 1) * sizeof *p99s);
    if (!p99s) return SIM_ENOMEM;
    size_t np = 0;
    size_t first = t->nrows;  /* the window holding `at` */
    for (size_t r = 0; r < t->nrows; r++) {
        double ts = cell(t, r, c.t);
        if (ts >= warm - 1e-9 && ts + win <= at + 1e-9) {
            ok += cell(t, r, c.completed);
            fin += cell(t, r, c.offered);
            double p = cell(t, r, c.p99);
            if (!isnan(p)) p99s[np++] = p;
        }
        if (first == t->nrows && ts + win > at + 1e-9) first = r;
    }
    double s0 = fin > 0 ? fmin(1.0, ok / fin) : NAN, p0 = NAN;
    if (np) {
        qsort(p99s, np, sizeof *p99s, cmp_double);
        p0 = np % 2 ? p99s[np / 2] : (p99s[np / 2 - 1] + p99s[np / 2]) / 2;
    }
    free(p99s);
    /* recovery: the first window after a bad one that starts three good ones
     * in a row (or runs to the end good) */
    long recovered = -1;
    bool any_bad = false;
    if (!isnan(s0) && !isnan(p0)) {
        for (size_t r = first; r < t->nrows; r++) {
            if (!window_ok(t, r, &c, s0, p0)) {
                any_bad = true;
                continue;
            }
            if (!any_bad) continue;
            bool run = true;
            for (size_t k = r; k < r + 3 && k < t->nrows; k++)
                if (!window_ok(t, k, &c, s0, p0)) run = false;
            if (run) {
                recovered = (long)r;
                break;
            }
        }
    }
    if (isnan(s0) || isnan(p0)) cJSON_AddNullToObject(o, "time_to_recover_s");
    else if (!any_bad) comp_json_num(o, "time_to_recover_s", 0, "%.6f");
    else if (recovered < 0) cJSON_AddNullToObject(o, "time_to_recover_s");
    else comp_json_num(o, "time_to_recover_s", fmax(0, cell(t, (size_t)recovered, c.t) - at), "%.6f");
    if (!isnan(s0)) comp_json_num(o, "success_ratio_before", s0, "%.6f");
    if (!isnan(p0)) comp_json_num(o, "p99_ms_before", p0, "%.4f");

    /* failures: from the fault's window to the later of its end and the recovery */
    double stop = until;
    if (recovered >= 0) stop = fmax(stop == INFINITY ? 0 : stop, cell(t, (size_t)recovered, c.t));
    else if (any_bad) stop = INFINITY;
    /* ... and on through any unbroken run of failing windows after that:
     * requests sent before the recovery may time out after it */
    double failed = 0, peak = NAN;
    bool prev_failing = true;
    for (size_t r = first; r < t->nrows; r++) {
        double ts = cell(t, r, c.t);
        double fw = cell(t, r, c.failed) + cell(t, r, c.timed_out) + cell(t, r, c.rejected);
        if (ts >= stop - 1e-9 && r != first && !(prev_failing && fw > 0)) break;
        failed += fw;
        prev_failing = fw > 0;
    }
    comp_json_num(o, "requests_failed", failed, "%.0f");
    for (size_t i = 0; i < st->npeers; i++) {
        char name[512];
        snprintf(name, sizeof name, "util:%s", w->comps[st->peers[i]]->id);
        long col = col_of(t, name);
        if (col < 0) continue;
        for (size_t r = first; r < t->nrows; r++) {
            double ts = cell(t, r, c.t);
            if (ts >= until - 1e-9) break;
            double u = cell(t, r, col);
            if (!isnan(u) && (isnan(peak) || u > peak)) peak = u;
        }
    }
    if (isnan(peak)) cJSON_AddNullToObject(o, "peak_utilization_survivors");
    else comp_json_num(o, "peak_utilization_survivors", peak, "%.6f");
    cJSON *sv = cJSON_AddArrayToObject(o, "survivors");
    for (size_t i = 0; sv && i < st->npeers; i++) cJSON_AddItemToArray(sv, cJSON_CreateString(w->comps[st->peers[i]]->id));
    /* load on the targets and their peers relative to the offered load */
    uint64_t a1 = st->ended ? st->arr1 : arrivals(w, f, st), i1 = st->ended ? st->iss1 : w->all.issued;
    if (f->ntargets && i1 > st->iss0)
        comp_json_num(o, "load_vs_offered", (double)(a1 - st->arr0) / (double)(i1 - st->iss0), "%.4f");
    else
        cJSON_AddNullToObject(o, "load_vs_offered");
    return 0;
}

int fault_run_report(const world *w, cJSON *summary)
{
    uint64_t issued = w->all.issued;
    comp_json_num(summary, "availability", issued ? (double)w->all.completed / (double)issued : NAN, "%.6f");
    const fault_run *fr = w->faults;
    cJSON *arr = cJSON_AddArrayToObject(summary, "faults");
    for (size_t i = 0; arr && fr && i < fr->fs.n; i++) {
        cJSON *o = cJSON_CreateObject();
        if (!o) return SIM_ENOMEM;
        int rc = report_one(w, i, o);
        cJSON_AddItemToArray(arr, o);
        if (rc) return rc;
    }
    return 0;
}
