"""``python -m bench`` (``make bench``): every local benchmark — generation, then the desk's hot paths.

Not part of ``make test``: building the 50k-student database takes about two minutes the first time
(cached under bench/out/ afterwards). The platform server's benchmarks live in bench/bench_server*.py.
"""

from __future__ import annotations

from bench import bench_local

raise SystemExit(bench_local.main())  # --encrypted: also on an SQLCipher copy
