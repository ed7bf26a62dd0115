#!/bin/sh
# one line per notification: team, level, and the record's id
id=$(sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
printf '%s %s %s\n' "$TEND_TEAM" "$TEND_LEVEL" "$id" >> log
