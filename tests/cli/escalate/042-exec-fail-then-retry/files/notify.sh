#!/bin/sh
# fails until the file "ok" exists
[ -f ok ] || exit 3
printf '%s %s %s ' "$TEND_TEAM" "$TEND_LEVEL" "$TEND_KIND" >> log
cat >> log
