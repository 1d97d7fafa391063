#!/bin/sh
# One backup of Speciosa's PostgreSQL database: pg_dump's custom format (pg_restore reads
# it) into BACKUP_DIR as speciosa-<UTC time>.dump, keeping the newest BACKUP_KEEP files.
# Exits non-zero, with one line saying why, when no good backup was written.
#
#   BACKUP_DATABASE_URL  postgresql://user:password@host:5432/name (else libpq's PG* variables)
#   BACKUP_DIR           where the dumps go (default ./backups)
#   BACKUP_KEEP          how many dumps to keep (default 14)
set -eu

dir="${BACKUP_DIR:-./backups}"
keep="${BACKUP_KEEP:-14}"
case "$keep" in
  '' | *[!0-9]* | 0)
    echo "backup: BACKUP_KEEP must be a whole number of at least 1, not '$keep'" >&2
    exit 2 ;;
esac

umask 077  # the dumps hold people's health journals: readable by this user only
mkdir -p "$dir"
final="$dir/speciosa-$(date -u +%Y%m%dT%H%M%SZ).dump"
partial="$final.partial"  # never mistaken for a backup if pg_dump stops half-way

# pg_dump's own message (above this one) says what went wrong; no data is printed.
if ! pg_dump --format=custom --file="$partial" ${BACKUP_DATABASE_URL:+"--dbname=$BACKUP_DATABASE_URL"}; then
  rm -f "$partial"
  echo "backup: pg_dump failed; no new backup was written in $dir" >&2
  exit 1
fi
if ! pg_restore --list "$partial" >/dev/null; then  # the archive reads back whole
  rm -f "$partial"
  echo "backup: the new dump does not read back; no new backup was written in $dir" >&2
  exit 1
fi
mv "$partial" "$final"

# Names sort by time, so everything after the newest BACKUP_KEEP goes.
ls -1 "$dir"/speciosa-*.dump | sort -r | tail -n +"$((keep + 1))" | while read -r old; do
  rm -f -- "$old"
done
echo "backup: wrote $final"
