# Utilization over time of each component with a queueing station in
# "@TITLE@" (columns util:<id> of timeseries.csv: busy servers / servers),
# with markers at events. Up to 10 components are drawn as lines; more as a
# heat map (one row per component, colour = utilization), which stays
# readable for a cluster of 30 disks.
# Written by cdnsim from its template reports/utilization.gp. Edit it and
# rerun it from the run directory:   gnuplot plots/utilization.gp
set datafile separator ","
set datafile columnheaders
set grid
ids = "@IDS@"
window = @WINDOW_S@
n = words(ids)
heatmap = n > 10
@MARKERS@
@LABELS@
set xlabel "simulated time (s)"
set title "@TITLE@: utilization per component" noenhanced
if (heatmap) {
    unset grid
    set autoscale xfix
    set ytics () noenhanced
    do for [i = 1:n] { set ytics add (word(ids, i) i) }
    set yrange [n + 0.5:0.5]
    set cbrange [0:1]
    set cblabel "utilization"
    set palette defined (0 "#ffffff", 0.5 "#fdae61", 1 "#d7191c")
    height = n > 20 ? 18 * n + 140 : 500
} else {
    set key outside right noenhanced
    set ylabel "utilization"
    set yrange [0:1.05]
    height = 500
}
do for [fmt in "png svg"] {
    if (fmt eq "png") {
        if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
            set terminal pngcairo size 900,height noenhanced
        } else {
            set terminal png size 900,height noenhanced
        }
    } else {
        set terminal svg size 900,height dynamic noenhanced background "white"
    }
    set output "plots/utilization." . fmt
    if (heatmap) {
        plot for [i = 1:n] "timeseries.csv" using (column("t_s") + window / 2.0):(i):(window * 0.51):(0.45):(column("util:" . word(ids, i))) \
             with boxxyerror fs solid noborder fc palette notitle
    } else {
        plot for [i = 1:n] "timeseries.csv" using "t_s":(column("util:" . word(ids, i))) \
             with lines lw 2 title word(ids, i)
    }
    unset output
}
