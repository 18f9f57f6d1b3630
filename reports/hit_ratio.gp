# Hit ratio over time of each caching component of "@TITLE@" (columns
# hit_ratio:<id> of timeseries.csv), with markers at events.
# Written by cdnsim from its template reports/hit_ratio.gp. Edit it and rerun
# it from the run directory:   gnuplot plots/hit_ratio.gp
set datafile separator ","
set datafile columnheaders
set grid
set key bottom right noenhanced
ids = "@IDS@"
@MARKERS@
@LABELS@
set xlabel "simulated time (s)"
set ylabel "hit ratio"
set yrange [0:1]
set title "@TITLE@: hit ratio per cache" noenhanced
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
    set output "plots/hit_ratio." . fmt
    plot for [i = 1:words(ids)] "timeseries.csv" using "t_s":(column("hit_ratio:" . word(ids, i))) \
         with lines lw 2 title word(ids, i)
    unset output
}
