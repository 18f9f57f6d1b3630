/* models/db.h - a replicated database: a primary with replicas, health
 * checks and failover (issue 5).
 *
 * Two kinds, because a fault must be able to crash one server of the
 * cluster (the primary, or one replica) by id:
 *
 *   "db_node"  one database server: a queueing station (servers, queue
 *              limit) with its own service-time distributions for reads
 *              (GET, HEAD) and writes (PUT, DELETE). It knows nothing of
 *              roles; a crash drops what it is serving.
 *   "db"       the cluster endpoint the application talks to (what a
 *              driver with a host list, or a proxy such as ProxySQL or
 *              HAProxy in front of Patroni, does): it routes writes to the
 *              current primary and reads by `read_from`, health-checks
 *              every node (models/prober.h), and promotes a replica when
 *              the primary is marked down. It adds no service time.
 *
 * Scenario sketch:
 *   {"id": "db", "kind": "db", "nodes": ["db-a", "db-b", "db-c"],
 *    "read_from": "replicas", "replication_lag": {"exp": "50ms"},
 *    "health_check": {"interval": "1s", "timeout": "1s", "fall": 3},
 *    "promotion_delay": "5s", "during_failover": "fail"}
 *   {"id": "db-a", "kind": "db_node", "read_service": ..., "write_service": ...}
 * The first node of `nodes` is the primary at the start, the others are
 * replicas.
 *
 * Routing. Writes go to the primary. Reads go, by `read_from`, to the
 * primary, to the replicas (round robin over those believed up; the primary
 * when none is), or to any node believed up (round robin). A node that has
 * crashed refuses connections: the endpoint learns it at once when it sends
 * (as a driver gets "connection refused" from a host whose database process
 * died), but it only stops choosing the node once the health check marks it
 * down. A refused read is tried on the next candidate at once; a refused
 * write fails, or waits (below). Requests in service on a node when it
 * crashes are lost (the client's timeout, if any, ends them).
 *
 * Failover. The health check probes every node (interval, timeout, fall,
 * rise of models/health.h). When the primary is marked down ("detected"),
 * `promotion_delay` later the most up-to-date replica believed up (largest
 * replicated commit time; ties: first in `nodes`) becomes the primary
 * ("promoted"); when none is up, the first node marked up again is promoted
 * `promotion_delay` after that. From the crash until then writes have no primary: with
 * `during_failover` "fail" they fail at once; with "queue" up to
 * `write_queue_limit` of them wait at the endpoint and go to the new primary
 * when it is promoted (more fail). A former primary that comes back (health
 * up) rejoins as a replica. Reads with `read_from` "primary" have no node
 * during the gap and fail.
 *
 * Replication is asynchronous: a write committed on the primary at time w
 * reaches replica j at max(w + L, the previous write's arrival at j), L
 * drawn from `replication_lag` per write and replica (a replica applies the
 * stream in commit order). A read served by a replica counts as stale when
 * the last write to the same object committed on the primary before the
 * read was served has not reached that replica yet. That is the exact
 * definition of `stale_reads` in the summary; the primary never serves
 * stale reads. Applying the stream costs the replicas no service time (an
 * assumption: replica load comes from reads only). Writes that had not
 * reached the promoted replica when the old primary crashed are lost
 * (`writes_lost_in_failover`), as with asynchronous replication in MySQL or
 * PostgreSQL.
 *
 * Summary fields of "db": reads, writes, failed_reads, failed_writes,
 * queued_writes, refused_connections, replica_reads, stale_reads,
 * writes_lost_in_failover, write_unavailable_s (for each failover, from
 * the primary's crash until the first write succeeds on the new primary,
 * summed; a primary marked down without a crash, e.g. cut off by a
 * partition, counts from its detection), and per failover
 * time_to_detect_s and time_to_promote_s (from the crash), the old and
 * the new primary. Events: "db_primary_lost",
 * "db_promoted", "db_writes_back", "db_promotion_failed", plus the
 * prober's health_down/health_up.
 */
#ifndef MODELS_DB_H
#define MODELS_DB_H

#include <stdbool.h>

#include "models/component.h"
#include "models/station.h"

extern const comp_kind db_kind;
extern const comp_kind db_node_kind;

typedef enum { DB_READ_PRIMARY = 0, DB_READ_REPLICAS = 1, DB_READ_ANY = 2 } db_read_from;
typedef enum { DB_FAILOVER_FAIL = 0, DB_FAILOVER_QUEUE = 1 } db_during_failover;

typedef struct db_conf {
    conf_strlist nodes;         /* db_node ids; the first is the primary */
    int read_from;              /* db_read_from */
    sim_dist replication_lag;   /* ns */
    const cJSON *health_check;  /* {interval, timeout, fall, rise}; NULL: defaults */
    sim_time_t promotion_delay;
    int during_failover;        /* db_during_failover */
    int64_t write_queue_limit;
    sim_time_t timeout;         /* per hop, on calls to the nodes; 0: wait (issue 5) */
} db_conf;

typedef struct db_node_conf {
    int64_t servers;
    int64_t queue_limit;
    sim_dist read_service;      /* ns */
    sim_dist write_service;     /* ns */
} db_node_conf;

/* Whether op is a write (PUT, DELETE) for the database. */
static inline bool db_op_is_write(int op) { return op == REQ_PUT || op == REQ_DELETE; }

/* The index in `nodes` of the current primary of a "db" component, or -1
 * during a failover (no primary). For tests. */
int db_primary(const component *db);

#endif
