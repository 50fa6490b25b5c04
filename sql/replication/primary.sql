-- On the primary (as root), once: the account replicas connect with. Replace {{REPLICATION_HOSTS}}
-- (the replicas' addresses, e.g. 10.0.0.%) and {{REPLICATION_PASSWORD}} before use. It is written to the
-- binary log, so every replica gets it too and can serve as the primary the old one rejoins.
CREATE USER IF NOT EXISTS 'repl'@'{{REPLICATION_HOSTS}}' IDENTIFIED BY '{{REPLICATION_PASSWORD}}';
GRANT REPLICATION SLAVE ON *.* TO 'repl'@'{{REPLICATION_HOSTS}}';
