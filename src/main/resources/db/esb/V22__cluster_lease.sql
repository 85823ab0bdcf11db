-- Leadership of the singleton pollers when esb.cluster.type = postgres (io.conduit.esb.cluster.PostgresClusterService):
-- one row per namespace (inventory-feedback-poller, approvals-poller, ...), held by one ESB instance until expires_at.
-- The holder renews it every esb.cluster.retry-ms; another instance takes it only once it has expired. Every time is
-- the database's clock (clock_timestamp()), so the instances' own clocks never have to agree.
-- (Numbered 30: 21 to 29 were left to migrations written at the same time on other branches.)
CREATE TABLE cluster_lease (
    -- the leadership's namespace (a ClusteredRoutePolicy's namespace)
    namespace   varchar(128) PRIMARY KEY,
    -- the instance holding it: esb.cluster.member-id (host name and port by default)
    holder      varchar(256) NOT NULL,
    -- when the holder took it (kept while the same holder renews), and when it last renewed it
    acquired_at timestamptz  NOT NULL,
    renewed_at  timestamptz  NOT NULL,
    -- until when it is the holder's: after this any instance may take it
    expires_at  timestamptz  NOT NULL,
    -- how often the namespace changed hands
    transitions bigint       NOT NULL DEFAULT 0
);
