#!/bin/sh
# CMD of gcr.io/google_samples/gb-redisslave:v1: a Redis replica of the
# guestbook's master, as the original image's run.sh did. The master is the
# service name `redis-master` (cluster DNS) unless GET_HOSTS_FROM=env, in which
# case it is the service's cluster IP from REDIS_MASTER_SERVICE_HOST.
# Redis resolves and reconnects to the master every second on its own, so the
# replica may start before the master (or its DNS name) exists.
set -eu

if [ "${GET_HOSTS_FROM:-dns}" = env ]; then
  master=${REDIS_MASTER_SERVICE_HOST:-}
  if [ -z "$master" ]; then
    echo "run.sh: GET_HOSTS_FROM=env but REDIS_MASTER_SERVICE_HOST is empty;" \
      "was the redis-master service created before this pod?" >&2
    exit 1
  fi
else
  master=redis-master
fi

echo "run.sh: replicating from $master:6379 (GET_HOSTS_FROM=${GET_HOSTS_FROM:-dns})"
exec /usr/local/bin/redis-entrypoint redis-server --replicaof "$master" 6379
