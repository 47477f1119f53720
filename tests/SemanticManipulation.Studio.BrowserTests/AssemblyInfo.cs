// Each fixture starts a studio and a Chromium on two shared CPU cores; one test at a time keeps the timings sane.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
