#!/bin/sh
# Take one gunicorn instance out of nginx's upstream, or put it back, and reload nginx:
#   deploy/nginx-upstream.sh down 8001     # nginx sends it nothing new (`server … down;`)
#   deploy/nginx-upstream.sh up 8001
# The rolling restart (deploy/systemd/campaign-web@.service) drains each instance this way
# before stopping it: a gunicorn that stops, however gracefully, resets the connections still
# waiting in its listen queue, and nginx never resends a POST it already sent (a signup would
# answer 502; bench/fleet.py measured 4 per restart under load). Drained first, it has none.
#
# CAMPAIGN_NGINX_SITE: the site file (default /etc/nginx/sites-enabled/campaign.conf);
# NGINX: the nginx command, options included (default `nginx`), run as `$NGINX -t` and
# `$NGINX -s reload`.
set -eu

action=${1:?usage: nginx-upstream.sh down|up PORT}
port=${2:?usage: nginx-upstream.sh down|up PORT}
site=${CAMPAIGN_NGINX_SITE:-/etc/nginx/sites-enabled/campaign.conf}
nginx=${NGINX:-nginx}

line="^([[:space:]]*server [^[:space:];]+:$port([[:space:]][^;]*)?)"
grep -Eq "$line" "$site" || { echo "no upstream server on port $port in $site" >&2; exit 1; }
sed -i --follow-symlinks -E "s/$line down;/\1;/" "$site"
case $action in
    down) sed -i --follow-symlinks -E "s/$line;/\1 down;/" "$site" ;;
    up) ;;
    *) echo "usage: nginx-upstream.sh down|up PORT" >&2; exit 2 ;;
esac
$nginx -t -q
$nginx -s reload
