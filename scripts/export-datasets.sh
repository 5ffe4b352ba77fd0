#!/bin/sh
# Exports the two real data sets of src/test/resources/datasets/ from the R packages that ship them, once.
# The files are committed; run this only to reproduce or check them (git diff shows any change).
#
#   pbcseq  (R package survival): lab values of 312 PBC patients at irregular clinic visits
#   coal    (R package boot):     dates of 191 coal-mining disasters, 1851-1962, as bare events
#
# Needs Rscript and both packages; on Debian or Ubuntu:
#   apt-get install --no-install-recommends r-base-core r-cran-survival r-cran-boot
# The README.md next to the files records the package versions they were made with.
#
# Each data set is written twice:
#   <name>.csv    a header, then key,time[,value columns]; time is ISO-8601 UTC; an empty cell is a missing value
#   <name>.jsonl  one event a line, the events-topic form (schemas/event.schema.json) plus a "key" field;
#                 time is epoch milliseconds; a missing value is written as 0 with mask false
#
# Usage: scripts/export-datasets.sh [output directory, default src/test/resources/datasets]
set -eu

out=${1:-"$(dirname "$0")/../src/test/resources/datasets"}
mkdir -p "$out"

Rscript --vanilla - "$out" <<'EOF'
out <- commandArgs(trailingOnly = TRUE)[1]
suppressPackageStartupMessages({ library(survival); library(boot) })

ms_per_day <- 86400000
iso <- function(date) format(date, "%Y-%m-%dT00:00:00Z")
epoch_ms <- function(date) sprintf("%.0f", as.numeric(date) * ms_per_day)
cell <- function(x) ifelse(is.na(x), "", as.character(x))

# One JSON line per row: values is null for a point event; a mask only when some value is missing.
json_lines <- function(key, ms, values) {
  if (is.null(values)) {
    return(sprintf('{"key":"%s","time":%s,"values":null}', key, ms))
  }
  present <- !is.na(values)
  numbers <- ifelse(present, as.character(values), "0")
  body <- apply(numbers, 1, paste, collapse = ",")
  mask <- apply(ifelse(present, "true", "false"), 1, paste, collapse = ",")
  with_mask <- !apply(present, 1, all)
  line <- sprintf('{"key":"%s","time":%s,"values":[%s]', key, ms, body)
  ifelse(with_mask, sprintf('%s,"mask":[%s]}', line, mask), paste0(line, "}"))
}

write_set <- function(name, key, date, values) {
  csv <- data.frame(key = key, time = iso(date))
  if (!is.null(values)) csv <- cbind(csv, as.data.frame(lapply(as.data.frame(values), cell)))
  write.csv(csv, file.path(out, paste0(name, ".csv")), row.names = FALSE, quote = FALSE)
  writeLines(json_lines(key, epoch_ms(date), values), file.path(out, paste0(name, ".jsonl")))
}

# pbcseq: day = days from enrolment to the visit; every patient is put on one time axis from 2000-01-01.
lab <- c("bili", "albumin", "chol", "platelet")
write_set("pbcseq", sprintf("patient-%03d", pbcseq$id), as.Date("2000-01-01") + pbcseq$day,
          as.matrix(pbcseq[, lab]))

# coal: date = 1851 + d / 365.25, with d whole days after 1850-12-31 (checked below), which gives the span
# the package documents (1851-03-15 to 1962-03-22).
days <- (coal$date - 1851) * 365.25
stopifnot(all(abs(days - round(days)) < 1e-6))
write_set("coal", rep("coal", nrow(coal)), as.Date("1850-12-31") + round(days), NULL)

cat("survival", format(packageVersion("survival")), "boot", format(packageVersion("boot")), "\n")
EOF
