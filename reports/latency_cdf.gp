# Latency CDF of "@TITLE@": the fraction of requests that finished within
# each latency (latency.csv holds the quantiles q of the latency distribution).
# Written by cdnsim from its template reports/latency_cdf.gp. Edit it and
# rerun it from the run directory:   gnuplot plots/latency_cdf.gp
set datafile separator ","
set datafile columnheaders
set grid
set key top left noenhanced
set logscale x 10
set format x "%g"
set xlabel "latency (ms, log scale)"
set ylabel "fraction of requests"
set yrange [0:1]
set title "@TITLE@: latency CDF" noenhanced
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
    set output "plots/latency_cdf." . fmt
    plot "latency.csv" using (column("latency_ms")):(column("q")) with linespoints lw 2 pt 7 ps 0.5 title "all requests"
    unset output
}
