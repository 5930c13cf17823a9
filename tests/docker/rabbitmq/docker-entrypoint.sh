#!/bin/sh
# The official rabbitmq image's start-up, reduced to what the generated projects rely on.
set -e

if [ "${1#-}" != "$1" ]; then
	set -- rabbitmq-server "$@"
fi

if [ "$1" = 'rabbitmq-server' ] && [ "$(id -u)" = '0' ]; then
	# The default user, vhost and password, written where the broker reads its config.
	defaults=/etc/rabbitmq/conf.d/20-default-user.conf
	: > "$defaults"
	[ -z "${RABBITMQ_DEFAULT_USER:-}" ] || echo "default_user = $RABBITMQ_DEFAULT_USER" >> "$defaults"
	[ -z "${RABBITMQ_DEFAULT_PASS:-}" ] || echo "default_pass = $RABBITMQ_DEFAULT_PASS" >> "$defaults"
	[ -z "${RABBITMQ_DEFAULT_VHOST:-}" ] || echo "default_vhost = $RABBITMQ_DEFAULT_VHOST" >> "$defaults"
	# A tmpfs mounted over the data directory arrives empty and owned by root. The Erlang
	# cookie is made here: a health check (`docker exec`, root) that ran before the broker
	# would otherwise create it owned by root, and the broker could not read it.
	mkdir -p "$RABBITMQ_DATA_DIR"
	cookie="$RABBITMQ_DATA_DIR/.erlang.cookie"
	if [ ! -s "$cookie" ]; then
		head -c 15 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$cookie"
	fi
	chmod 400 "$cookie"
	chown -R rabbitmq:rabbitmq "$RABBITMQ_DATA_DIR"
	exec gosu rabbitmq "$0" "$@"
fi

exec "$@"
