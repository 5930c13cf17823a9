#!/bin/sh
# The official redis image's start-up, reduced to what the generated projects rely on.
set -e

if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
	set -- redis-server "$@"
fi

if [ "$1" = 'redis-server' ] && [ "$(id -u)" = '0' ]; then
	find . \! -user redis -exec chown redis '{}' +
	exec gosu redis "$0" "$@"
fi

if [ "$1" = 'redis-server' ]; then
	# Protected mode off, as the official build's default; a config file must stay first.
	shift
	if [ "${1%.conf}" != "${1:-}" ] && [ -n "${1:-}" ]; then
		config=$1
		shift
		set -- redis-server "$config" --protected-mode no "$@"
	else
		set -- redis-server --protected-mode no "$@"
	fi
fi

exec "$@"
