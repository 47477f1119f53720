using System.Globalization;

namespace SemanticManipulation.Benchmarks.SideBySide;

/// <summary>The side-by-side benchmark's options (shared by the runner and the SDK worker).</summary>
internal sealed class SideBySideOptions
{
    public int Threads { get; set; } = 2;

    public int Rounds { get; set; } = 3;

    public int Iterations { get; set; } = 5;

    public int Warmup { get; set; } = 2;

    public IReadOnlyList<int> Sizes { get; set; } = [64, 256];

    public int FitSteps { get; set; } = 20;

    /// <summary>Full-fit steps for particular sizes (from <c>--fit-steps 64:1000,256:100</c>), overriding <see cref="FitSteps"/>.</summary>
    public IReadOnlyDictionary<int, int> FitStepsBySize { get; set; } = new Dictionary<int, int>();

    public int FitStepsFor(int size) => FitStepsBySize.TryGetValue(size, out var steps) ? steps : FitSteps;

    /// <summary>The <c>--fit-steps</c> value as given: <c>K</c>, or <c>SIZE:K,…</c>.</summary>
    public string FitStepsText => FitStepsBySize.Count == 0
        ? Invariant(FitSteps)
        : string.Join(',', FitStepsBySize.Select(p => $"{Invariant(p.Key)}:{Invariant(p.Value)}"));

    public int FitIterations { get; set; } = 1;

    public IReadOnlyList<string> Rows { get; set; } = [];

    public string Python { get; set; } = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    public string? Output { get; set; }

    public bool Write { get; set; } = true;

    public string? Note { get; set; }

    public bool Wants(string row) => Rows.Count == 0 || Rows.Contains(row, StringComparer.Ordinal);

    /// <summary>The arguments both sides' workers take.</summary>
    public IReadOnlyList<string> WorkerArguments() =>
    [
        "--threads", Invariant(Threads), "--iterations", Invariant(Iterations), "--warmup", Invariant(Warmup),
        "--sizes", string.Join(',', Sizes.Select(Invariant)), "--fit-steps", FitStepsText,
        "--fit-iterations", Invariant(FitIterations), "--rows", string.Join(',', Rows),
    ];

    public const string Usage = """
        Side-by-side benchmark: the SDK and a PyTorch reference (tools/side-by-side/reference.py) timing the same
        operations at the same sizes and thread count, each in its own process, interleaved for several rounds.

          dotnet run -c Release --project benchmarks/SemanticManipulation.Benchmarks -- side-by-side [options]

          --threads N          torch threads on both sides (default 2; OMP_NUM_THREADS is set to the same)
          --rounds N           rounds; each runs both sides, alternating which goes first (default 3)
          --iterations N       measured iterations per row per round (default 5)
          --warmup N           warm-up iterations per row per round (default 2)
          --sizes 64,256       generator sizes: 64 (small64) and/or 256 (the authors' LSUN layout)
          --fit-steps K        steps of the full-fit rows (default 20; the paper's fit is 1000), or per size: 64:1000,256:100
          --fit-iterations N   measured full fits per round (default 1, no warm-up)
          --rows a,b           only these rows (g_forward, gf_forward, free_step, r_step, refine_step,
                               refine_feature_step, preview_free, preview_r, fit_free, fit_r)
          --python PATH        Python with torch (default /usr/bin/python3: Debian's python3-torch)
          --output PATH        Markdown file whose side-by-side section is (re)written (default docs/benchmarks.md)
          --no-write           print the table only
          --note TEXT          a line added under the table (e.g. "the machine was not quiet")
        """;

    public static SideBySideOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SideBySideOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int NextInt() => int.Parse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--threads": options.Threads = NextInt(); break;
                case "--rounds": options.Rounds = NextInt(); break;
                case "--iterations": options.Iterations = NextInt(); break;
                case "--warmup": options.Warmup = NextInt(); break;
                case "--sizes":
                    options.Sizes = Next().Split(',', StringSplitOptions.RemoveEmptyEntries)
                        .Select(s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture)).ToArray();
                    break;
                case "--fit-steps":
                    var spec = Next();
                    if (spec.Contains(':', StringComparison.Ordinal))
                    {
                        options.FitStepsBySize = spec.Split(',', StringSplitOptions.RemoveEmptyEntries)
                            .Select(part => part.Split(':'))
                            .ToDictionary(p => int.Parse(p[0], CultureInfo.InvariantCulture), p => int.Parse(p[1], CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        options.FitSteps = int.Parse(spec, CultureInfo.InvariantCulture);
                    }

                    break;
                case "--fit-iterations": options.FitIterations = NextInt(); break;
                case "--rows": options.Rows = Next().Split(',', StringSplitOptions.RemoveEmptyEntries); break;
                case "--python": options.Python = Next(); break;
                case "--output": options.Output = Next(); break;
                case "--no-write": options.Write = false; break;
                case "--note": options.Note = Next(); break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.\n{Usage}");
            }
        }

        if (options.Threads < 1 || options.Rounds < 1 || options.Iterations < 1 || options.Warmup < 0 || options.FitSteps < 1 || options.FitStepsBySize.Values.Any(v => v < 1)
            || options.FitIterations < 0 || options.Sizes.Count == 0 || options.Sizes.Any(s => s is not (64 or 256)))
        {
            throw new ArgumentException($"Out-of-range option.\n{Usage}");
        }

        return options;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
