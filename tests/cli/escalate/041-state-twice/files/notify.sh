#!/bin/sh
# one line per notification: the environment, then the record from stdin
printf '%s %s %s ' "$TEND_TEAM" "$TEND_LEVEL" "$TEND_KIND" >> log
cat >> log
