# Throughput, errors and latency over time for "@TITLE@", with a dashed
# marker at every event of events.csv (faults, recoveries) and the warm-up
# shaded. timeseries.csv counts requests per window of @WINDOW_S@ s; rates
# are counts / window.
# Written by cdnsim from its template reports/timeline.gp. Edit it and rerun
# it from the run directory:   gnuplot plots/timeline.gp
set datafile separator ","
set datafile columnheaders
set grid
set key top right horizontal noenhanced
# the same left margin in every panel, so their time axes line up
set lmargin 10
# head room above the curves for the key
set offsets 0, 0, graph 0.22, 0
window = @WINDOW_S@
@MARKERS@
do for [fmt in "png svg"] {
    if (fmt eq "png") {
        if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
            set terminal pngcairo size 900,900 noenhanced
        } else {
            set terminal png size 900,900 noenhanced
        }
    } else {
        set terminal svg size 900,900 dynamic noenhanced background "white"
    }
    set output "plots/timeline." . fmt
    set multiplot layout 3,1 title "@TITLE@: throughput, errors and latency over time" noenhanced
    # event labels in the top panel only; the dashed lines in all three
@LABELS@
    unset xlabel
    set ylabel "requests/s"
    set yrange [0:*]
    # the event labels hang from the top of this panel: the key goes below
    set key bottom right
    plot "timeseries.csv" using "t_s":(column("offered") / window) with lines lw 2 title "offered", \
         "" using "t_s":(column("completed") / window) with lines lw 2 title "completed"
    unset label
    set key top right
    set ylabel "errors/s"
    plot "timeseries.csv" using "t_s":(column("failed") / window) with lines lw 2 title "failed", \
         "" using "t_s":(column("timed_out") / window) with lines lw 2 title "timed out", \
         "" using "t_s":(column("rejected") / window) with lines lw 2 title "rejected"
    set ylabel "latency (ms)"
    set xlabel "simulated time (s)"
    plot "timeseries.csv" using "t_s":"p50_ms" with lines lw 2 title "p50", \
         "" using "t_s":"p99_ms" with lines lw 2 title "p99"
    unset multiplot
    unset output
}
