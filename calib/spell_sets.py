#!/usr/bin/env python3
"""calib/spell_sets.py FILE - the `--set` arguments that give calib/chunkio-model.json's
disk the slow spells `cdnsim calibrate --spells` found: FILE is the write
series' file (its "_spells"). Prints them on one line, none if no spell was
found; the values hold no spaces, so a shell can split the line into
arguments (calib/write_tail_check.sh, calib/model_check_writes.sh)."""
import json
import sys

s = json.load(open(sys.argv[1]))["_spells"]
if s["count"]:
    print(f"""--set components.disk.spell_every={{"exp":"{s["mean_gap_ns"] / 1e6:.3f}ms"}} """
          f"""--set components.disk.spell_length={{"exp":"{s["mean_length_ns"] / 1e6:.3f}ms"}} """
          f"""--set components.disk.spell_factor={s["factor"]}""")
