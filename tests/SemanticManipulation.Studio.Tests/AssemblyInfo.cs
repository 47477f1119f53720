// The studios these tests start share two CPU cores; one at a time keeps their timings (and the machine) sane.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
