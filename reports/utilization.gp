# Utilization over time of each component with a queueing station in
# "@TITLE@" (columns util:<id> of timeseries.csv: busy servers / servers),
# with markers at events.
# Written by cdnsim from its template reports/utilization.gp. Edit it and
# rerun it from the run directory:   gnuplot plots/utilization.gp
set datafile separator ","
set datafile columnheaders
set grid
set key outside right noenhanced
ids = "@IDS@"
@MARKERS@
set xlabel "simulated time (s)"
set ylabel "utilization"
set yrange [0:1.05]
set title "@TITLE@: utilization per component" noenhanced
do for [fmt in "png svg"] {
    if (fmt eq "png") {
        if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
            set terminal pngcairo size 900,500 noenhanced
        } else {
            set terminal png size 900,500 noenhanced
        }
    } else {
        set terminal svg size 900,500 dynamic noenhanced background "white"
    }
    set output "plots/utilization." . fmt
    plot for [i = 1:words(ids)] "timeseries.csv" using "t_s":(column("util:" . word(ids, i))) \
         with lines lw 2 title word(ids, i)
    unset output
}
