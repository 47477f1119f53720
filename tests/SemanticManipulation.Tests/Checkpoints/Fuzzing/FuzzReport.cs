using System.Globalization;
using System.Text;

namespace SemanticManipulation.Tests.Checkpoints.Fuzzing;

/// <summary>Counts of outcomes per kind of mutation, and the failing cases with what is needed to replay them.</summary>
internal sealed class FuzzReport(FuzzFormat format, int seed)
{
    private const int MaxFailuresKept = 20;

    private readonly SortedDictionary<string, int[]> _counts = new(StringComparer.Ordinal);
    private readonly List<string> _failures = [];

    public FuzzFormat Format { get; } = format;

    public int Seed { get; } = seed;

    public int Cases { get; private set; }

    public int FailureCount { get; private set; }

    public IReadOnlyList<string> Failures => _failures;

    public int Count(FuzzOutcome outcome) => _counts.Values.Sum(c => c[(int)outcome]);

    public void Add(FuzzCase fuzzCase, FuzzOutcome outcome, string? detail, string? savedAs)
    {
        Cases++;
        if (!_counts.TryGetValue(fuzzCase.Kind, out var counts))
        {
            _counts[fuzzCase.Kind] = counts = new int[Enum.GetValues<FuzzOutcome>().Length];
        }

        counts[(int)outcome]++;
        if (outcome is FuzzOutcome.Loaded or FuzzOutcome.Refused)
        {
            return;
        }

        FailureCount++;
        if (_failures.Count < MaxFailuresKept)
        {
            _failures.Add($"{outcome}: {fuzzCase} -> {detail}" + (savedAs is null ? "" : $" [bytes saved as {savedAs}]"));
        }
    }

    /// <summary>A Markdown table: one row per kind of mutation, then the total.</summary>
    public string Table()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{Format}, seed {Seed}: {Cases} cases");
        text.AppendLine("| format | kind | cases | loaded | refused (CheckpointFormatException) | failed |");
        text.AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (var (kind, counts) in _counts)
        {
            Row(kind, counts);
        }

        var total = Enum.GetValues<FuzzOutcome>().Select(Count).ToArray();
        Row("**all**", total);
        return text.ToString();

        void Row(string kind, int[] counts)
        {
            var failed = counts.Sum() - counts[(int)FuzzOutcome.Loaded] - counts[(int)FuzzOutcome.Refused];
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {Format} | {kind} | {counts.Sum()} | {counts[(int)FuzzOutcome.Loaded]} | {counts[(int)FuzzOutcome.Refused]} | {failed} |");
        }
    }
}
